"""An error the app does not handle: the installed `smjob` (tmux, 80x24) exits non-zero, and the
edits typed just before it are in the draft (tui/launch.py saves them on the way out).

The crash is injected from outside smjob: tests/support/crash_shim/sitecustomize.py, on PYTHONPATH
for this process only, makes F9 raise and keeps autosave from ever firing by itself."""

from __future__ import annotations

import shlex
from pathlib import Path

from tests.support.terminal import DEMO_NAME, REQUIRED, SIZE, SMJOB, draft_name, shelf_draft, status_line, wait_for_file

pytestmark = REQUIRED  # about 1 s: not slow

SHIM = Path(__file__).parent / "support" / "crash_shim"
TYPED = "typed-before-crash"


def test_an_app_crash_exits_non_zero_and_keeps_the_edits(terminal, tmp_path):
    data = tmp_path / "data"
    env = {
        "SMJOB_DATA_DIR": str(data),
        "SMJOB_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": str(SHIM),
        "SMJOB_TEST_CRASH": "1",
        "TERM": "tmux-256color",
        "TEXTUAL_ANIMATIONS": "none",
    }
    # The shell records smjob's exit status (tmux's own #{pane_dead_status} sometimes never comes: the
    # exited process can stay unreaped); smjob's stderr stays on the dead pane.
    exit_file = tmp_path / "exit-status"
    exit_file.write_text("")
    script = (
        " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        + f" {shlex.quote(str(SMJOB))} demo; echo $? > {shlex.quote(str(exit_file))}"
    )
    terminal.start(["/bin/sh", "-c", script], SIZE)
    terminal.wait_for(lambda s: DEMO_NAME in status_line(s) and "Quit" in s, "the first paint", timeout=15)
    terminal.keys("End", "C-u")
    terminal.wait_for(lambda s: "(unnamed)" in status_line(s), "the name cleared in the status line")
    terminal.type(TYPED)
    terminal.wait_for(lambda s: TYPED in status_line(s), "the new name in the status line")
    assert not (data / "drafts").exists()  # the shim holds autosave back: only the crash path can save

    terminal.keys("F9")
    wait_for_file(lambda: exit_file.read_text().strip(), "smjob to exit", timeout=15)
    status = exit_file.read_text().strip()
    screen = terminal.tmux("capture-pane", "-p", "-S", "-200", "-t", terminal.session)
    assert status not in ("", "0"), f"exit status {status!r}; the terminal shows:\n{screen}"
    assert "crash injected by tests/support/crash_shim" in screen  # the error is shown, not hidden
    assert draft_name(shelf_draft(data)) == TYPED  # nothing lost
    assert "your edits are in draft" in screen
