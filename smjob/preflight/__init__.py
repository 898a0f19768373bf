"""Preflight: will this job run? Checks against the account, never sending CreateTrainingJob.

    report = run_preflight(request, Target(profile, region, endpoint_url))
    report.exit_code      # 0 all passed (warnings allowed), 1 a check failed, 2 a check could not be made
    for c in report.checks: c.status, c.title, c.message, c.path   # path: the request field to show it at
    warm(target)          # optional, in a worker thread: makes the clients so the first preflight is quick

Every check runs in a thread pool with a per-call timeout (botocore connect/read timeouts, no
retries) and an overall deadline; a check that errs or times out is "could not check" with why.
"""

from __future__ import annotations

import contextlib
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field

PASSED, FAILED, WARNING, UNKNOWN = "passed", "failed", "warning", "could not check"
EXIT_PASSED, EXIT_FAILED, EXIT_UNKNOWN = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Check:
    title: str  # "role trusts SageMaker"
    status: str  # PASSED | FAILED | WARNING | UNKNOWN
    message: str = ""
    path: tuple | None = None  # the request field it is about, e.g. ("RoleArn",)

    def to_dict(self) -> dict:
        from smjob.paths import format_path

        return {
            "title": self.title,
            "status": self.status,
            "message": self.message,
            "path": format_path(self.path) if self.path else None,
        }


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    seconds: float = 0.0
    region: str | None = None
    timings: dict = field(default_factory=dict)  # task title -> seconds, to see what is slow

    @property
    def exit_code(self) -> int:
        return exit_code_for(self.checks)

    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.status == FAILED]

    def to_dict(self) -> dict:
        return {
            "exit_code": self.exit_code,
            "region": self.region,
            "seconds": round(self.seconds, 3),
            "checks": [c.to_dict() for c in self.checks],
        }


def warm(target=None, *, timeout: float = 5.0) -> None:
    from smjob.preflight.checks import warm as make_clients

    make_clients(target, timeout=timeout)


def exit_code_for(checks: list[Check]) -> int:
    if any(c.status == FAILED for c in checks):
        return EXIT_FAILED
    if any(c.status == UNKNOWN for c in checks):
        return EXIT_UNKNOWN
    return EXIT_PASSED


def run_preflight(
    request: dict, target=None, *, timeout: float = 5.0, deadline: float = 20.0, on_checks=None
) -> Report:
    """All checks in parallel; `timeout` per AWS call, `deadline` for the whole preflight.
    `on_checks(checks)` is called from the pool's threads as each task finishes (the app shows
    results as they arrive)."""
    from smjob.aws.errors import AwsError
    from smjob.preflight.checks import TASKS, Context, why

    started = time.perf_counter()
    ctx = Context.create(request, target, timeout=timeout)
    checks: list[Check] = []
    timings: dict[str, float] = {"setup": time.perf_counter() - started}
    with ThreadPoolExecutor(max_workers=min(16, len(TASKS))) as pool:
        futures = {pool.submit(_timed, task, ctx, timings, on_checks): task for task in TASKS}
        _done, pending = wait(futures, timeout=deadline)
        for future, task in futures.items():
            title = (task.__doc__ or task.__name__).strip().splitlines()[0]
            if future in pending:
                future.cancel()
                checks.append(Check(title, UNKNOWN, f"no answer within {deadline:g} s"))
                continue
            try:
                checks.extend(future.result())
            except AwsError as exc:  # e.g. no such profile: the shared client factory's words
                checks.append(Check(title, UNKNOWN, exc.message))
            except Exception as exc:  # a bug or an unexpected answer must not hide the other checks
                checks.append(Check(title, UNKNOWN, why(exc)))
    return Report(checks, time.perf_counter() - started, ctx.region, timings)


def _timed(task, ctx, timings: dict, on_checks=None):
    started = time.perf_counter()
    try:
        checks = task(ctx)
    finally:
        timings[task.__name__] = time.perf_counter() - started
    if on_checks is not None:
        with contextlib.suppress(Exception):  # a listener that is gone must not turn checks into errors
            on_checks(checks)
    return checks
