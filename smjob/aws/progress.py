"""What a slow call to AWS is doing (operation, attempt N of M, seconds waited), and a way to stop it.

A server that accepts the connection and never answers costs a read timeout per attempt; the
user sees this instead of silence. `CallProgress.watch(client)` hooks botocore's `before-send`
event (sent once per HTTP attempt, retries included): it counts attempts, and once `cancel()`
was called it refuses to send another one. The attempt already waiting on its socket cannot be
interrupted; it ends at the read timeout, and then nothing more is sent. A cancelled request
may still have reached AWS: the job may exist (`smjob status NAME` says).

`budget`: no attempt starts once this many seconds have passed since the first, so a whole
submission (DescribeTrainingJob for the name, then CreateTrainingJob) ends within the budget
plus one attempt (connect 5 s + read 30 s, smjob.aws.clients): about 100 s at worst.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field


class Cancelled(Exception):
    """Raised inside botocore (by the hook) when the user stopped waiting: no further attempt is sent."""


BUDGET = 60.0  # seconds after which no new attempt starts (see above)


@dataclass
class CallProgress:
    max_attempts: int = 1  # per operation, as configured on the client (retries + 1)
    operation: str = ""
    attempt: int = 0  # of the current operation, 1-based once sent
    started: float = field(default_factory=time.monotonic)
    attempt_started: float = field(default_factory=time.monotonic)
    cancelled: bool = False
    done: bool = False
    budget: float | None = BUDGET

    def watch(self, client) -> None:
        """Count `client`'s attempts and stop it after cancel(). The clock starts here: a code upload
        before it is not time spent waiting for SageMaker."""
        self.started = time.monotonic()
        retries = getattr(client.meta.config, "retries", None) or {}
        # botocore turns Config(retries={"max_attempts": n}) into total_max_attempts = n + 1.
        total = retries.get("total_max_attempts")
        self.max_attempts = int(total) if total is not None else int(retries.get("max_attempts", 0)) + 1
        client.meta.events.register("before-send", self._before_send)

    def _before_send(self, request=None, event_name: str = "", **_) -> None:
        if self.cancelled:
            raise Cancelled("cancelled: smjob stopped waiting for the endpoint")
        if self.budget is not None and self.elapsed > self.budget:
            raise Cancelled(f"gave up: the endpoint did not answer within {self.budget:.0f} s")
        operation = event_name.rsplit(".", 1)[-1]
        if operation != self.operation:
            self.operation, self.attempt = operation, 0
        self.attempt += 1
        self.attempt_started = time.monotonic()
        return None  # send as usual

    def cancel(self) -> None:
        self.cancelled = True

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def describe(self) -> str:
        """One line, e.g. "CreateTrainingJob: attempt 2 of 3, waiting for the endpoint (41 s)"."""
        if not self.operation:
            return f"connecting ({self.elapsed:.0f} s)"
        return (
            f"{self.operation}: attempt {self.attempt} of {self.max_attempts}, "
            f"waiting for the endpoint ({self.elapsed:.0f} s)"
        )


def print_while_slow(progress: CallProgress, *, after: float = 2.0, every: float = 5.0, stream=None):
    """Headless: a daemon thread that prints `progress.describe()` to stderr once the call has
    taken `after` seconds, then every `every` seconds, until `progress.done`. Returns the thread."""

    def run() -> None:
        shown_at = None
        while not progress.done:
            time.sleep(0.1)
            if progress.done or not progress.operation or progress.elapsed < after:
                continue  # nothing sent yet (a code upload reports itself), or not slow yet
            if shown_at is None or time.monotonic() - shown_at >= every:
                print(f"smjob: {progress.describe()}", file=stream or sys.stderr, flush=True)
                shown_at = time.monotonic()

    thread = threading.Thread(target=run, name="smjob-progress", daemon=True)
    thread.start()
    return thread
