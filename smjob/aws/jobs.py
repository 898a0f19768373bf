"""Training job operations: submit, describe, list, tags, stop, clone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from smjob.aws.clients import call, client_for, target_of
from smjob.aws.errors import AwsError
from smjob.aws.target import Target


@dataclass(frozen=True, slots=True)
class SubmitResult:
    arn: str
    job_name: str
    target: Target = field(default_factory=Target)  # with the region actually used filled in
    note: str = ""  # e.g. "created on a retried request"


def describe(name: str, target: Target | None = None, *, client=None) -> dict:
    """DescribeTrainingJob, without ResponseMetadata."""
    sm = client_for(target, client)
    response = dict(call(sm, "DescribeTrainingJob", target, TrainingJobName=name))
    response.pop("ResponseMetadata", None)
    return response


def tags(arn: str, target: Target | None = None, *, client=None) -> list[dict]:
    """Every tag on a resource (ListTags, all pages)."""
    sm = client_for(target, client)
    out: list[dict] = []
    token = None
    for _ in range(1000):
        params = {"ResourceArn": arn, "MaxResults": 100}
        if token:
            params["NextToken"] = token
        page = call(sm, "ListTags", target, **params)
        out.extend(page.get("Tags", []))
        token = page.get("NextToken")
        if not token:
            break
    return out


def stop(name: str, target: Target | None = None, *, client=None) -> None:
    """StopTrainingJob. The job goes to Stopping, then Stopped, asynchronously."""
    sm = client_for(target, client)
    call(sm, "StopTrainingJob", target, TrainingJobName=name)


@dataclass(frozen=True, slots=True)
class JobSummary:
    name: str
    arn: str
    status: str
    creation_time: datetime | None = None
    end_time: datetime | None = None
    last_modified: datetime | None = None


def summary_of(item: dict) -> JobSummary:
    """One ListTrainingJobs summary (also the jobs screen's pager, smjob.jobs_list)."""
    return JobSummary(
        item.get("TrainingJobName", ""),
        item.get("TrainingJobArn", ""),
        item.get("TrainingJobStatus", ""),
        item.get("CreationTime"),
        item.get("TrainingEndTime"),
        item.get("LastModifiedTime"),
    )


def list_jobs(
    target: Target | None = None,
    name_contains: str | None = None,
    max_items: int = 100,
    *,
    status: str | None = None,
    page_size: int = 100,
    client=None,
) -> list[JobSummary]:
    """Training jobs, newest first, following NextToken until exhausted or `max_items` are found.

    Pages may come back empty while a token remains (moto cuts pages before filtering; AWS may
    too), so an empty page never ends the listing; a repeated token does.
    """
    sm = client_for(target, client)
    params: dict[str, Any] = {
        "SortBy": "CreationTime",
        "SortOrder": "Descending",
        "MaxResults": max(1, min(page_size, 100)),
    }
    if name_contains:
        params["NameContains"] = name_contains
    if status:
        params["StatusEquals"] = status
    out: list[JobSummary] = []
    seen: set[str] = set()
    token = None
    while len(out) < max_items:
        page = call(sm, "ListTrainingJobs", target, **params, **({"NextToken": token} if token else {}))
        out.extend(summary_of(item) for item in page.get("TrainingJobSummaries", []))
        token = page.get("NextToken")
        if not token or token in seen:
            break
        seen.add(token)
    return out[:max_items]


def clone(name: str, target: Target | None = None, *, client=None):
    """A request rebuilt from a job (DescribeTrainingJob + ListTags) -> smjob.load.LoadResult.

    When the tags cannot be read (e.g. no sagemaker:ListTags permission) the clone still comes
    back, with load's "tags missing" note.
    """
    from smjob.load import from_describe

    sm = client_for(target, client)
    response = describe(name, target, client=sm)
    try:
        job_tags = tags(response["TrainingJobArn"], target, client=sm)
    except AwsError as exc:
        if exc.kind not in ("access-denied", "not-found"):
            raise
        job_tags = None
    return from_describe(response, job_tags)


def submit(request: dict, target: Target | None = None, *, client=None) -> SubmitResult:
    """Make sure the name is free, then CreateTrainingJob. The caller has validated the request
    (smjob.workflows.submitting.check_request, the one place smjob refuses a request it finds invalid).

    A name that exists already gives kind "name-in-use" without calling CreateTrainingJob: names can
    never be reused, and some endpoints (moto) would silently overwrite the old job.
    """
    name = request["TrainingJobName"]
    sm = client_for(target, client)
    try:
        existing = describe(name, target, client=sm)
    except AwsError as exc:
        if exc.kind != "not-found":
            raise
    else:
        raise _name_in_use(name, existing.get("TrainingJobStatus"))
    try:
        answer = call(sm, "CreateTrainingJob", target, **request)
        note = ""
    except AwsError as exc:
        if exc.kind != "name-in-use" or not exc.__cause__ or _retry_attempts(exc.__cause__) == 0:
            raise
        # A retried create whose first attempt reached AWS: the job may be ours.
        existing = describe(name, target, client=sm)
        if not _same_job(existing, request):
            raise
        answer = {"TrainingJobArn": existing["TrainingJobArn"]}
        note = "created on a retried request (the first attempt's answer was lost)"
    return SubmitResult(answer["TrainingJobArn"], name, target_of(sm, target), note)


def _name_in_use(name: str, status: str | None) -> AwsError:
    state = f" (status {status})" if status else ""
    return AwsError(
        "name-in-use",
        f"a training job named {name!r} already exists{state}; training job names "
        "can never be reused, even after the job ends: choose a new name "
        "(`smjob history resubmit` picks a fresh one)",
        code="ResourceInUse",
        operation="CreateTrainingJob",
    )


def _retry_attempts(exc) -> int:
    meta = getattr(exc, "response", {}).get("ResponseMetadata", {}) if hasattr(exc, "response") else {}
    return int(meta.get("RetryAttempts", 0) or 0)


def _same_job(described: dict, request: dict) -> bool:
    def pick(d):
        return (
            d.get("RoleArn"),
            (d.get("AlgorithmSpecification") or {}).get("TrainingImage"),
            (d.get("OutputDataConfig") or {}).get("S3OutputPath"),
            d.get("ResourceConfig"),
        )

    return pick(described) == pick(request)
