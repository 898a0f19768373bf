"""Crash safety: the installed `smjob` in a real terminal (tmux, 80x24) is killed with SIGKILL
mid-edit; the next plain `smjob` restores the draft, losing at most the last second of typing
(the app autosaves AUTOSAVE_DELAY = 0.5 s after the last change).

Reuses the tmux helpers of tests/test_e2e_tmux.py (private tmux server, polling waits).
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.test_e2e_tmux import (
    OLD_NAME,
    SIZE,
    SMJOB,
    TMUX,
    _draft_name,
    _status,
    _wait_for_file,
    terminal,  # noqa: F401 - the fixture
)

pytestmark = [
    pytest.mark.skipif(
        TMUX is None, reason="tmux is not installed (CI: apt-get install -y --no-install-recommends tmux)"
    ),
    pytest.mark.skipif(SMJOB is None, reason="the smjob console script is not installed (pip install -e .)"),
]

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


def test_sigkill_loses_at_most_the_last_second(terminal, tmp_path):  # noqa: F811
    data = tmp_path / "data"
    env = {
        "SMJOB_DATA_DIR": str(data),
        "SMJOB_CACHE_DIR": str(tmp_path / "cache"),
        "TERM": "tmux-256color",
        "COLORTERM": "truecolor",
        "TEXTUAL_ANIMATIONS": "none",
    }
    draft = data / "draft.json"

    terminal.start(_command(env, "demo"), SIZE)
    terminal.wait_for(lambda s: OLD_NAME in _status(s) and "Quit" in s, "the first paint", timeout=15)
    # The editor starts with the cursor in TrainingJobName: replace the name by typing.
    terminal.keys("End", "C-u")
    terminal.wait_for(lambda s: "(unnamed)" in _status(s), "the name cleared in the status line")
    terminal.type(SAVED)
    terminal.wait_for(lambda s: SAVED in _status(s), "the new name in the status line")
    time.sleep(1.0)  # more than AUTOSAVE_DELAY: everything typed so far must survive the kill
    terminal.type(LATE)  # typed right before the kill: allowed to be lost

    pid = int(terminal.pane("#{pane_pid}"))
    victims = [pid, *_descendants(pid)]
    assert any(
        "smjob" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")
        for p in victims
        if Path(f"/proc/{p}/cmdline").exists()
    ), "the pane does not run smjob"
    for p in victims:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _wait_for_file(lambda: not any(_alive(p) for p in victims), "the killed processes to die", timeout=5)
    assert terminal.pane("#{pane_dead}") == "1" or not _alive(pid)

    # The draft on disk: the name typed a second before the kill, perhaps with the late part.
    assert _draft_name(draft) in (SAVED, SAVED + LATE), draft.read_text() if draft.exists() else "no draft"
    assert draft.stat().st_mode & 0o777 == 0o600

    # Plain `smjob` restores the draft: the status line names the saved job.
    terminal.tmux("respawn-pane", "-k", "-t", terminal.session, *_command(env))
    screen = terminal.wait_for(lambda s: SAVED in _status(s) and "Quit" in s, "the restored draft", timeout=15)
    assert "restored draft" in _status(screen), _status(screen)
    assert OLD_NAME not in _status(screen)
    assert _draft_name(draft) in (SAVED, SAVED + LATE)
