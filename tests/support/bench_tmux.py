"""A private tmux server for the benchmarks: start a command at a size, poll the screen, read its pid.

The server runs on its own socket (`tmux -L`), with no config file, and is killed by `close()`.
"""

from __future__ import annotations

import contextlib
import os
import select
import shlex
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


class Watcher:
    """A tmux control-mode client (`tmux -C`) attached to one session: keys are sent and the screen read
    over its pipe, and a wait wakes on the pane's own output (%output) instead of polling. No process is
    spawned per key or per look (each `tmux` command costs 3-5 ms), so a switch is timed to within the
    capture itself (~1 ms) rather than 10-20 ms of harness."""

    def __init__(self, server: TmuxServer, session: str) -> None:
        self.session = session
        self.proc = subprocess.Popen(
            [TMUX, "-L", server.socket, "-f", os.devnull, "-C", "attach-session", "-t", session],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        self._out = self.proc.stdout.fileno()
        os.set_blocking(self._out, False)
        self._pending = b""
        self._output_seen = False
        self.screen()  # the attach's own reply is read here, before any measurement

    def _line(self, deadline: float) -> str:
        while b"\n" not in self._pending:
            left = deadline - time.perf_counter()
            if left <= 0 or not select.select([self._out], [], [], left)[0]:
                raise TimeoutError("tmux control client: no output")
            chunk = os.read(self._out, 65536)
            if not chunk:
                raise RuntimeError("tmux control client exited")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode("utf-8", "replace")

    def command(self, command: str, timeout: float = 10.0) -> list[str]:
        """Run one tmux command over the pipe; its output lines."""
        self.proc.stdin.write(command.encode() + b"\n")
        deadline = time.perf_counter() + timeout
        block: list[str] | None = None
        while True:
            line = self._line(deadline)
            if block is None:
                if line.startswith("%begin"):
                    block = []
                elif line.startswith("%output"):
                    self._output_seen = True
            elif line.startswith(("%end ", "%error ")):
                if line.startswith("%error"):
                    raise RuntimeError(f"tmux {command!r} failed: {block}")
                return block
            else:
                block.append(line)

    def keys(self, *keys: str) -> None:
        self.command("send-keys -t " + " ".join(shlex.quote(k) for k in (self.session, *keys)))

    def screen(self) -> str:
        return "\n".join(self.command(f"capture-pane -p -t {shlex.quote(self.session)}"))

    def wait_for(self, predicate, what: str, timeout: float = 20.0) -> float:
        """Look again each time the pane has written output until predicate(screen); time.perf_counter()."""
        deadline = time.perf_counter() + timeout
        text = ""
        while True:
            self._output_seen = False
            text = self.screen()
            if predicate(text):
                return time.perf_counter()
            try:
                while not self._output_seen:  # sleep until the app writes to the terminal
                    if self._line(deadline).startswith("%output"):
                        self._output_seen = True
            except TimeoutError:
                raise RuntimeError(f"timed out waiting for {what}; the terminal shows:\n{text}") from None

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.proc.stdin.close()
        self.proc.terminate()
        self.proc.wait(timeout=5)
