"""A private tmux server for the benchmarks: start a command at a size, poll the screen, read its pid.

The server runs on its own socket (`tmux -L`), with no config file, and is killed by `close()`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

TMUX = shutil.which("tmux")
POLL = 0.01  # seconds between screen captures


class TmuxServer:
    def __init__(self) -> None:
        if TMUX is None:
            raise RuntimeError("tmux is not installed")
        self.socket = f"smjob-bench-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.socket_path: str | None = None
        # A long-lived idle session keeps the server up, so each measured run only pays for
        # `new-session`, not for starting a tmux server.
        self.tmux("new-session", "-d", "-s", "keepalive", "-x", "80", "-y", "24", "sleep", "100000")
        self.socket_path = self.tmux("display-message", "-p", "#{socket_path}").strip() or None

    def tmux(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            [TMUX, "-L", self.socket, "-f", os.devnull, *args], capture_output=True, text=True, timeout=10
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout

    def start(self, session: str, argv: list[str], size: tuple[int, int], env: dict[str, str]) -> None:
        env_args = [a for k, v in env.items() for a in ("-e", f"{k}={v}")]
        self.tmux("new-session", "-d", "-s", session, "-x", str(size[0]), "-y", str(size[1]), *env_args, *argv)

    def screen(self, session: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", session, check=False)

    def pid(self, session: str) -> int:
        return int(self.tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())

    def keys(self, session: str, *keys: str) -> None:
        self.tmux("send-keys", "-t", session, *keys)

    def wait_for(self, session: str, predicate, what: str, timeout: float = 20.0) -> float:
        """Poll every POLL s until predicate(screen); returns time.perf_counter() when it held."""
        deadline = time.perf_counter() + timeout
        text = ""
        while time.perf_counter() < deadline:
            text = self.screen(session)
            if predicate(text):
                return time.perf_counter()
            time.sleep(POLL)
        raise RuntimeError(f"timed out waiting for {what}; the terminal shows:\n{text}")

    def kill_session(self, session: str) -> None:
        self.tmux("kill-session", "-t", session, check=False)

    def close(self) -> None:
        self.tmux("kill-server", check=False)
        if self.socket_path:
            Path(self.socket_path).unlink(missing_ok=True)


def vm_hwm_kib(pid: int) -> int:
    """Peak resident set size (VmHWM) of a live process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for pid {pid}")
