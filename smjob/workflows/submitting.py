"""Submit a request, resubmit a history entry, retry a taken name under a fresh one.

One rule for what the history gets: a request that was sent is recorded, as "submit" with AWS's
answer or "submit-failed" with `kind: message`; a request refused before sending (smjob's own
validation, or botocore's parameter check) is not. The target is recorded without userinfo.
History trouble never fails a submission: it becomes a warning in `Submission.warnings`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime

from smjob.aws.target import Target
from smjob.naming import fresh_name
from smjob.problems import ERROR, Problem
from smjob.workflows.options import recordable_target


class WorkflowError(Exception):
    """A workflow that cannot start (e.g. a history entry without a request); the message says why."""


@dataclass
class Submission:
    """The outcome of one submission. `target` is where it went (the region botocore resolved
    filled in on success); `result` or `error` is set once AWS answered or refused."""

    target: Target
    result: object | None = None  # smjob.aws.SubmitResult
    error: object | None = None  # smjob.aws.AwsError
    request: dict | None = None
    problems: list[Problem] = field(default_factory=list)  # smjob's own: errors (not sent) or warnings
    entry_id: int | None = None  # the history entry written
    warnings: list[str] = field(default_factory=list)  # e.g. the history could not be written
    code: object | None = None  # smjob.code.staging.Prepared: the folder, its S3 URI, what was uploaded
    ignore_rules: tuple[str, ...] = ()  # the rule overrides it was checked with (recorded with it)
    ignored: list[Problem] = field(default_factory=list)  # the findings those overrides dropped
    notes: tuple[Problem, ...] = ()  # from loading the file: checked again with the code's completion

    @property
    def ok(self) -> bool:
        return self.result is not None

    @property
    def job_name(self) -> str | None:
        if self.result is not None:
            return self.result.job_name
        name = (self.request or {}).get("TrainingJobName")
        return name if isinstance(name, str) else None

    @property
    def arn(self) -> str | None:
        return self.result.arn if self.result is not None else None

    @property
    def sent(self) -> bool:
        """Whether the request reached AWS (a refusal by smjob or botocore before sending did not)."""
        if self.result is not None:
            return True
        if self.error is None:
            return False
        return self.error.kind != "validation" or self.error.http_status is not None

    @property
    def server_problems(self) -> list[Problem]:
        """Fields a server ValidationException named, as request paths."""
        if self.error is None or self.error.http_status is None:
            return []
        return list(self.error.problems)

    @property
    def name_in_use(self) -> bool:
        return self.error is not None and self.error.kind == "name-in-use"


def renamed_fresh(request: dict, now: datetime | None = None) -> dict:
    """A copy under a fresh name (smjob.naming): job names can never be reused."""
    out = copy.deepcopy(request)
    old = out.get("TrainingJobName")
    out["TrainingJobName"] = fresh_name(old if isinstance(old, str) else "", now or datetime.now(UTC))
    return out


def _record(history, submission: Submission, action: str, **fields) -> None:
    if history is None:
        return
    try:
        if submission.code is not None:  # the Code settings travel with the request (smjob metadata)
            fields["code"] = submission.code.settings.to_meta()
        fields["ignore_rules"] = submission.ignore_rules
        submission.entry_id = history.record(action, submission.request, **fields)
    except Exception as exc:  # sqlite3.Error, OSError: the job exists whatever the history says
        submission.warnings.append(f"could not record this in the history ({exc})")


def submit(
    request: dict,
    target: Target | None = None,
    history=None,
    *,
    notes=(),
    client=None,
    code=None,
    progress=None,
    ignore_rules=(),
    watch=None,
) -> Submission:
    """check_request, then send. Never raises for AWS or history trouble: the Submission says what happened."""
    checked = check_request(request, target, notes=notes, ignore_rules=ignore_rules)
    return send(checked, history, client=client, code=code, progress=progress, watch=watch)


def check_request(request: dict, target: Target | None = None, *, notes=(), ignore_rules=()) -> Submission:
    """Resolve the target (the profile and region botocore will use, recorded even on failure) and
    validate in its region, with `notes` from loading the file; `ignore_rules` are the job's rule
    overrides (their findings dropped, kept in `ignored`). The one place smjob refuses a request it
    finds invalid: `error` is then set (kind "validation") and send() sends nothing."""
    from smjob import aws
    from smjob.validate import validate

    target = aws.resolve(target)
    ignore_rules = tuple(dict.fromkeys(ignore_rules))
    found = validate(request, region=target.region, ignore_rules=ignore_rules)
    submission = Submission(target, request=request, problems=list(notes) + found, ignore_rules=ignore_rules)
    submission.ignored, submission.notes = list(found.ignored), tuple(notes)
    errors = [p for p in submission.problems if p.severity == ERROR]
    if errors:
        submission.error = aws.AwsError(
            "validation",
            f"not submitted: the request has {len(errors)} error(s); fix them first",
            problems=errors,
            operation="CreateTrainingJob",
        )
    return submission


def send(submission: Submission, history=None, *, client=None, code=None, progress=None, watch=None) -> Submission:
    """A checked request (check_request) to AWS, then recorded; a refused one comes back as it is.
    With `code` (smjob.code.CodeSettings) the folder is checked and uploaded first, and the request
    completed with its channel and launcher (smjob.code.staging); `progress(done, total, file)`.
    `watch` (smjob.aws.progress.CallProgress) counts the attempts and can cancel.

    Never raises for AWS or history trouble: the Submission says what happened."""
    from smjob import aws

    target = submission.target
    if submission.error is not None:
        return submission
    if code is not None:
        from smjob.code.staging import stage_for_submit

        try:  # a failure leaves submission.error set, and no job is created
            stage_for_submit(submission, code, target, notes=submission.notes, client=client, progress=progress)
        except Exception as exc:  # never lose the caller to an unexpected error
            submission.error = aws.AwsError(
                "other", f"unexpected error uploading the code: {type(exc).__name__}: {exc}"
            )
    from smjob.aws.progress import Cancelled

    try:
        if submission.error is None:
            if watch is not None:
                client = client or aws.client(target)
                watch.watch(client)
            submission.result = aws.submit(submission.request, target, client=client)
    except aws.AwsError as exc:
        submission.error = exc
    except Cancelled as exc:  # no further attempt was sent; one already sent may have created the job
        submission.error = aws.AwsError(
            "timeout",
            f"{exc}; the job may still have been created: `smjob status {submission.job_name}` says",
            operation="CreateTrainingJob",
        )
    except Exception as exc:  # never lose the caller (or the app's draft) to an unexpected error
        submission.error = aws.AwsError("other", f"unexpected error while submitting: {type(exc).__name__}: {exc}")
    if watch is not None:
        watch.done = True
    if submission.result is not None:
        submission.target = submission.result.target
        _record(
            history,
            submission,
            "submit",
            arn=submission.result.arn,
            status="InProgress",
            target=recordable_target(submission.target),
        )
    elif submission.sent:
        error = submission.error
        _record(
            history,
            submission,
            "submit-failed",
            target=recordable_target(target),
            error=f"{error.kind}: {error.message}",
        )
    return submission


@dataclass(frozen=True, slots=True)
class Resubmission:
    """A history entry made ready to submit again: its request under a fresh name, its target."""

    entry_id: int
    request: dict
    target: Target
    old_name: str | None
    ignore_rules: tuple[str, ...] = ()  # the entry's rule overrides: they apply again


def resubmission(entry, override: Target | None = None, now: datetime | None = None) -> Resubmission:
    """The entry's request under a fresh name, to the entry's saved target; each part of
    `override` that is set (profile, region, endpoint) replaces the saved one."""
    if not isinstance(entry.request, dict):
        raise WorkflowError(f"entry {entry.id} has no request to resubmit")
    old = entry.request.get("TrainingJobName")
    override = override or Target()
    target = Target(
        override.profile or entry.profile,
        override.region or entry.region,
        override.endpoint_url or entry.endpoint,
    )
    return Resubmission(
        entry.id,
        renamed_fresh(entry.request, now),
        target,
        old if isinstance(old, str) else None,
        tuple(getattr(entry, "ignore_rules", ()) or ()),
    )
