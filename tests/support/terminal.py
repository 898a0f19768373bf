"""The installed `smjob` console script in a real terminal: a tmux session on a private server.

The server runs on its own socket (`tmux -L <unique>`, no config file); the `terminal` fixture
(tests/conftest.py) kills it in teardown whatever happens. Every wait polls the screen or the file
system with a deadline and fails showing what it last saw.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
SIZE = (80, 24)
DEMO_NAME = "pytorch-resnet50-g5-20240601-120000"  # the job `smjob demo` opens (example pytorch-gpu)


def _smjob() -> Path | None:
    """The console script installed next to this interpreter (the venv's), else the one on PATH."""
    beside = Path(sys.executable).parent / "smjob"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("smjob")
    return Path(found) if found else None


SMJOB = _smjob()
# For test modules: pytestmark = [*REQUIRED, ...]
REQUIRED = [
    pytest.mark.skipif(
        TMUX is None, reason="tmux is not installed (CI: apt-get install -y --no-install-recommends tmux)"
    ),
    pytest.mark.skipif(SMJOB is None, reason="the smjob console script is not installed (pip install -e .)"),
]


# The tmux server passes its environment to the program: COLUMNS and LINES (set by pytest for its own
# output) would override the pane's real size in Textual.
TERMINAL_ENV = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}


class Terminal:
    """One tmux session on a private server, running one command."""

    def __init__(self, socket: str, session: str) -> None:
        self.socket, self.session = socket, session
        self.socket_path: str | None = None

    def tmux(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            [TMUX, "-L", self.socket, "-f", os.devnull, *args],
            capture_output=True,
            text=True,
            timeout=10,
            env=TERMINAL_ENV,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout

    def start(self, argv: list[str], size: tuple[int, int]) -> None:
        # Several arguments: tmux runs them directly, not through the user's shell. remain-on-exit
        # keeps the pane (and its last screen) after the program ends.
        self.tmux(
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            str(size[0]),
            "-y",
            str(size[1]),
            *argv,
            ";",
            "set-option",
            "-t",
            self.session,
            "remain-on-exit",
            "on",
        )
        self.socket_path = self.tmux("display-message", "-p", "#{socket_path}").strip() or None

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def keys(self, *keys: str) -> None:
        """tmux key names: C-n, F2, End, Enter, ..."""
        self.tmux("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.session, "-l", text)

    def pane(self, fmt: str) -> str:
        return self.tmux("display-message", "-p", "-t", self.session, fmt).strip()

    def wait_for(self, predicate, what: str, timeout: float = 5.0) -> str:
        """Poll the screen until `predicate(screen_text)` holds; fail with the last screen shown."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if predicate(text):
                return text
            if self.pane("#{pane_dead}") == "1":
                break
            time.sleep(0.05)
        pytest.fail(
            f"timed out waiting for {what}; the terminal shows:\n{text}\n"
            f"(pane dead={self.pane('#{pane_dead}')} status={self.pane('#{pane_dead_status}')})"
        )

    def press_until(self, key: str, label: str, limit: int = 40) -> str:
        """Press `key` (C-n, C-r) until the section list marks `label`; each press waits for the mark
        to move. Sections get added over time: never count presses."""
        for _ in range(limit):
            shown = self.screen()
            if f"▸ {label}" in shown:
                return shown
            before = selected_section(shown)
            self.keys(key)
            self.wait_for(lambda s, before=before: selected_section(s) != before, f"{key} to leave {before!r}")
        return self.wait_for(lambda s: f"▸ {label}" in s, f"the section {label!r}")

    def kill(self) -> None:
        """Stop this test's tmux server (and so smjob, if still running) and remove its socket."""
        self.tmux("kill-server", check=False)
        if self.socket_path:
            Path(self.socket_path).unlink(missing_ok=True)


def wait_for_file(predicate, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out ({timeout} s) waiting for {what}")


def shelf_draft(data: Path) -> Path:
    """The one draft on the shelf (<data>/drafts, smjob.drafts); its file name follows the job's name."""
    found = sorted((data / "drafts").glob("*.json"))
    return found[0] if len(found) == 1 else data / "drafts" / f"(not one draft: {len(found)})"


def draft_name(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("TrainingJobName")
    except (OSError, ValueError):
        return None


def status_line(screen: str) -> str:
    return screen.splitlines()[0] if screen else ""


def selected_section(screen: str) -> str:
    """The label the section list marks with ▸ ('' when none is shown)."""
    for line in screen.splitlines():
        if "▸ " in line:
            return line.split("▸ ", 1)[1].split("  ", 1)[0].strip()
    return ""
