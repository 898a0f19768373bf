"""Submit, resubmit, clone and export, each written once for the app and the headless CLI.

The front ends collect input (files, flags, dialogs) and show what comes back; everything that
decides what is sent, where, under which name, what is recorded in the history and which files
are written with which modes lives here. No Textual, no printing; boto3 only when a workflow
talks to AWS.

- `options`: checks of user-given options before anything is sent (endpoint URL, poll interval)
  and what of a target may be recorded (no userinfo in endpoint URLs).
- `submitting`: check a request (smjob's one validation before sending), send it, resubmit a
  history entry, retry under a fresh name.
- `cloning`: a request from a history entry or from a training job, under a fresh name.
- `exporting`: a request as files (JSON, YAML, CLI script + its JSON, Python) with their modes.
"""

from __future__ import annotations

from smjob.lazy_names import lazy_names

_MODULES = {
    "options": ("OptionError", "check_endpoint_url", "poll_seconds", "recordable_target", "without_userinfo"),
    "submitting": ("Submission", "WorkflowError", "check_request", "renamed_fresh", "resubmission", "send", "submit"),
    "cloning": ("clone_entry", "clone_job"),
    "exporting": ("ExportFile", "ExportPlan", "ExportResult", "export", "plan_export", "write_export"),
}
# Modules are not named like the functions: importing smjob.workflows.submit would shadow submit().
# PEP 562: the app imports these modules only when a workflow runs.
__getattr__, __dir__, __all__ = lazy_names(__name__, _MODULES, globals())
