"""Talking to SageMaker: submit, describe, list, stop, clone, poll. The only package that imports boto3.

boto3/botocore are imported inside functions, never at module import, so headless commands
that do not talk to AWS (validate, render, ...) stay fast and boto3-free.

Every failure surfaces as one `AwsError` with a `kind` (see KINDS), a plain `message` that says
what to do, and `problems`: the fields a server ValidationException names, as request paths.

Modules: `clients` (botocore clients, sessions, targets resolved), `jobs` (submit, describe,
list, tags, stop, clone), `status` (polling), `identity` (whoami), `errors` (AwsError and
translating botocore exceptions), `server_messages` (server field paths -> request paths),
`target` (Target).
"""

from __future__ import annotations

from smjob.lazy_names import lazy_names

# Names are imported from their modules on first use (PEP 562): the app needs only Target to
# start, and the other modules cost ~25 ms (ssl, logging, concurrent.futures) before the first paint.
_MODULES = {
    "clients": ("DEFAULT_CONNECT_TIMEOUT", "DEFAULT_READ_TIMEOUT", "DEFAULT_RETRIES", "client", "resolve"),
    "errors": ("KINDS", "AwsError", "known_profiles", "translate"),
    "identity": ("Identity", "whoami"),
    "jobs": ("JobSummary", "SubmitResult", "clone", "describe", "list_jobs", "stop", "submit", "tags"),
    "server_messages": ("aws_path", "server_problems"),
    "status": (
        "TERMINAL",
        "TRANSIENT",
        "JobStatus",
        "Transition",
        "format_seconds",
        "job_status",
        "status_from_describe",
        "watch",
    ),
    "target": ("Target",),
}
__getattr__, __dir__, __all__ = lazy_names(__name__, _MODULES, globals())
