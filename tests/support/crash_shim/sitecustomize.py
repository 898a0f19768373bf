"""Test-only (tests/test_crash_exit.py): Python imports this at start-up when this folder is on
PYTHONPATH. With SMJOB_TEST_CRASH=1 it breaks the app on purpose: F9 (copy the CLI command) raises, an error
nothing in the app handles, and autosave never fires on its own, so the edits reach the draft
only if the crash path saves them. Nothing in smjob reads the variable."""

import os

if os.environ.get("SMJOB_TEST_CRASH") == "1":
    import smjob.tui.app as app_module

    def _crash(self, *args) -> None:
        raise RuntimeError("crash injected by tests/support/crash_shim")

    app_module.SmjobApp.action_copy = _crash
    app_module.AUTOSAVE_DELAY = 3600.0
