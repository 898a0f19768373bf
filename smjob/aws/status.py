"""A job's status from DescribeTrainingJob, and polling until it ends."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from smjob.aws.clients import client_for
from smjob.aws.errors import AwsError
from smjob.aws.jobs import describe
from smjob.aws.target import Target

TERMINAL = frozenset({"Completed", "Failed", "Stopped"})


@dataclass(frozen=True, slots=True)
class Transition:
    status: str
    start: datetime | None
    end: datetime | None
    message: str = ""


@dataclass(frozen=True, slots=True)
class JobStatus:
    name: str
    arn: str
    status: str  # InProgress | Completed | Failed | Stopping | Stopped
    secondary_status: str
    transitions: tuple[Transition, ...] = ()
    failure_reason: str | None = None
    model_artifacts: str | None = None
    creation_time: datetime | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    max_runtime_seconds: int | None = None
    max_wait_seconds: int | None = None
    elapsed_seconds: float | None = None

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL

    @property
    def remaining_seconds(self) -> float | None:
        """Time left before MaxRuntimeInSeconds stops the job (None when finished or unknown)."""
        if self.terminal or self.max_runtime_seconds is None or self.elapsed_seconds is None:
            return None
        return max(0.0, self.max_runtime_seconds - self.elapsed_seconds)

    def summary(self) -> str:
        text = f"{self.name}: {self.status}"
        if self.secondary_status and self.secondary_status != self.status:
            text += f" / {self.secondary_status}"
        if self.elapsed_seconds is not None:
            text += f" after {format_seconds(self.elapsed_seconds)}"
        if self.max_runtime_seconds:
            text += f" (max {format_seconds(self.max_runtime_seconds)})"
        return text


def format_seconds(seconds: float) -> str:
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s" if m else f"{s}s"


def status_from_describe(response: dict, now: datetime | None = None) -> JobStatus:
    """A JobStatus from a DescribeTrainingJob response. Pure: `now` is only used for running jobs."""
    now = now or datetime.now(UTC)
    stopping = response.get("StoppingCondition") or {}
    status = response.get("TrainingJobStatus", "")
    created, started, ended = (response.get(k) for k in ("CreationTime", "TrainingStartTime", "TrainingEndTime"))
    begin = started or created
    finish = (ended or response.get("LastModifiedTime")) if status in TERMINAL else now
    elapsed = None
    if isinstance(begin, datetime) and isinstance(finish, datetime):
        elapsed = max(0.0, (_aware(finish) - _aware(begin)).total_seconds())
    transitions = tuple(
        Transition(t.get("Status", ""), t.get("StartTime"), t.get("EndTime"), t.get("StatusMessage", ""))
        for t in response.get("SecondaryStatusTransitions") or []
    )
    return JobStatus(
        name=response.get("TrainingJobName", ""),
        arn=response.get("TrainingJobArn", ""),
        status=status,
        secondary_status=response.get("SecondaryStatus", ""),
        transitions=transitions,
        failure_reason=response.get("FailureReason"),
        model_artifacts=(response.get("ModelArtifacts") or {}).get("S3ModelArtifacts"),
        creation_time=created,
        start_time=started,
        end_time=ended,
        max_runtime_seconds=stopping.get("MaxRuntimeInSeconds"),
        max_wait_seconds=stopping.get("MaxWaitTimeInSeconds"),
        elapsed_seconds=elapsed,
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def job_status(name: str, target: Target | None = None, *, now: datetime | None = None, client=None) -> JobStatus:
    return status_from_describe(describe(name, target, client=client), now)


TRANSIENT = frozenset({"throttled", "timeout", "endpoint-unreachable", "server-error"})


def watch(
    name: str,
    target: Target | None = None,
    *,
    poll_seconds: float = 30.0,
    on_update: Callable[[JobStatus, list[Transition]], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime] | None = None,
    max_transient_errors: int = 5,
    client=None,
) -> JobStatus:
    """Poll until the job reaches Completed, Failed or Stopped; return the final status.

    `on_update(status, new_transitions)` runs on the first poll and whenever the status, the
    secondary status or the transitions change. Up to `max_transient_errors` consecutive
    throttling/timeout/connection/5xx errors are ridden out (botocore already retried each).
    """
    sm = client_for(target, client)
    clock = clock or (lambda: datetime.now(UTC))
    seen: tuple = ()
    last_key = None
    failures = 0
    while True:
        try:
            current = job_status(name, target, now=clock(), client=sm)
            failures = 0
        except AwsError as exc:
            failures += 1
            if exc.kind not in TRANSIENT or failures > max_transient_errors:
                raise
            sleep(poll_seconds)
            continue
        key = (current.status, current.secondary_status, current.transitions)
        if key != last_key:
            fresh = [t for t in current.transitions if t not in seen]
            seen = current.transitions
            last_key = key
            if on_update:
                on_update(current, fresh)
        if current.terminal:
            return current
        sleep(poll_seconds)
