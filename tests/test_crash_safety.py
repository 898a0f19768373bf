"""Crash safety: the installed `smjob` in a real terminal (tmux, 80x24) is killed with SIGKILL
mid-edit; the next plain `smjob` restores the draft, losing at most what was typed after the last
autosave (the app autosaves AUTOSAVE_DELAY = 0.5 s after the last change).

Uses the tmux helpers of tests/support/terminal.py (private tmux server, polling waits).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
from pathlib import Path

import pytest

from tests.support.terminal import (
    DEMO_NAME,
    REQUIRED,
    SIZE,
    SMJOB,
    draft_name,
    shelf_draft,
    status_line,
    wait_for_file,
)

pytestmark = [*REQUIRED, pytest.mark.slow]

SAVED = "crash-safe-job"
LATE = "x2"  # typed just before the kill: may be lost (no leading "-": tmux would read a flag)


def _command(env: dict[str, str], *args: str) -> list[str]:
    # exec: the pane's process is smjob itself, so #{pane_pid} is the process to kill.
    script = (
        " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        + " exec "
        + " ".join(shlex.quote(a) for a in (str(SMJOB), *args))
    )
    return ["/bin/sh", "-c", script]


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        result = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True)
        children = [int(x) for x in result.stdout.split()]
        out.extend(children)
        todo.extend(children)
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"  # a zombie is dead, only not yet reaped
    except (OSError, IndexError):
        return False


def test_sigkill_keeps_what_was_autosaved(terminal, tmp_path):
    data = tmp_path / "data"
    env = {
        "SMJOB_DATA_DIR": str(data),
        "SMJOB_CACHE_DIR": str(tmp_path / "cache"),
        "TERM": "tmux-256color",
        "COLORTERM": "truecolor",
        "TEXTUAL_ANIMATIONS": "none",
    }

    terminal.start(_command(env, "demo"), SIZE)
    terminal.wait_for(lambda s: DEMO_NAME in status_line(s) and "Quit" in s, "the first paint", timeout=15)
    # The editor starts with the cursor in TrainingJobName: replace the name by typing.
    terminal.keys("End", "C-u")
    terminal.wait_for(lambda s: "(unnamed)" in status_line(s), "the name cleared in the status line")
    terminal.type(SAVED)
    terminal.wait_for(lambda s: SAVED in status_line(s), "the new name in the status line")
    # The autosave (AUTOSAVE_DELAY after the last key) lands: from now on the name must survive the kill.
    wait_for_file(lambda: draft_name(shelf_draft(data)) == SAVED, f"the autosave of {SAVED!r}", timeout=5)
    terminal.type(LATE)  # typed right before the kill: allowed to be lost

    pid = int(terminal.pane("#{pane_pid}"))
    victims = [pid, *_descendants(pid)]
    assert any(
        "smjob" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")
        for p in victims
        if Path(f"/proc/{p}/cmdline").exists()
    ), "the pane does not run smjob"
    for p in victims:
        with contextlib.suppress(ProcessLookupError):
            os.kill(p, signal.SIGKILL)
    wait_for_file(lambda: not any(_alive(p) for p in victims), "the killed processes to die", timeout=5)
    assert terminal.pane("#{pane_dead}") == "1" or not _alive(pid)

    # The draft on disk: the name typed a second before the kill, perhaps with the late part.
    draft = shelf_draft(data)  # the job's own file on the shelf
    assert draft_name(draft) in (SAVED, SAVED + LATE), draft.read_text() if draft.exists() else "no draft"
    assert draft.stat().st_mode & 0o777 == 0o600

    # Plain `smjob` restores the draft: the status line names the saved job.
    terminal.tmux("respawn-pane", "-k", "-t", terminal.session, *_command(env))
    screen = terminal.wait_for(lambda s: SAVED in status_line(s) and "Quit" in s, "the restored draft", timeout=15)
    assert "restored draft" in status_line(screen), status_line(screen)
    assert DEMO_NAME not in status_line(screen)
    assert draft_name(shelf_draft(data)) in (SAVED, SAVED + LATE)  # restored into the same draft
