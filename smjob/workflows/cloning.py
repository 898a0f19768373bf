"""A request to edit, from a history entry or from a training job (DescribeTrainingJob +
ListTags), under a fresh name: the old name can never be submitted again."""

from __future__ import annotations

from datetime import UTC, datetime

from smjob.aws.target import Target
from smjob.load.result import LoadResult
from smjob.naming import fresh_name
from smjob.problems import WARNING, Problem
from smjob.workflows.submitting import WorkflowError, renamed_fresh


def clone_entry(entry, now: datetime | None = None) -> LoadResult:
    """Entry's request under a fresh name. WorkflowError when the entry has no request."""
    if not isinstance(entry.request, dict):
        raise WorkflowError(f"entry {entry.id} has no request to clone")
    request = renamed_fresh(entry.request, now)
    old = entry.request.get("TrainingJobName")
    return LoadResult(request, [_renamed_note(request["TrainingJobName"], old if isinstance(old, str) else "")])


def clone_job(
    name: str, target: Target | None = None, *, keep_name: bool = False, now: datetime | None = None, client=None
) -> LoadResult:
    """The job's request (smjob.aws.clone) under a fresh name unless `keep_name`. Raises AwsError."""
    from smjob import aws

    result = aws.clone(name, target, client=client)
    if keep_name:
        return result
    request = dict(result.request)
    request["TrainingJobName"] = fresh_name(name, now or datetime.now(UTC))
    notes = [n for n in result.notes if n.rule != "load.clone-name"]
    notes.insert(0, _renamed_note(request["TrainingJobName"], name))
    return LoadResult(request, notes, result.kind)


def _renamed_note(new: str, old: str) -> Problem:
    origin = f"cloned from {old}; " if old else ""
    return Problem(
        ("TrainingJobName",),
        f"named the clone {new} ({origin}training job names cannot be reused)",
        WARNING,
        "load.clone-renamed",
    )
