"""Talking to SageMaker: submit, describe, list, stop, clone, poll. The only package that imports boto3.

boto3/botocore are imported inside functions, never at module import, so headless commands
that do not talk to AWS (validate, render, ...) stay fast and boto3-free.

Every failure surfaces as one `AwsError` with a `kind` (see KINDS), a plain `message` that says
what to do, and `problems`: the fields a server ValidationException names, as request paths.

Modules: `clients` (botocore clients, sessions, targets resolved), `jobs` (submit, describe,
list, tags, stop, clone), `status` (polling), `identity` (whoami), `errors` (AwsError and
translating botocore exceptions), `server_messages` (server field paths -> request paths),
`target` (Target).
"""

from __future__ import annotations

from smjob.aws.clients import DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_RETRIES, client, resolve
from smjob.aws.errors import KINDS, AwsError, known_profiles, translate
from smjob.aws.identity import Identity, whoami
from smjob.aws.jobs import JobSummary, SubmitResult, clone, describe, list_jobs, stop, submit, tags
from smjob.aws.server_messages import aws_path, server_problems
from smjob.aws.status import (
    TERMINAL, TRANSIENT, JobStatus, Transition, format_seconds, job_status, status_from_describe, watch,
)
from smjob.aws.target import Target

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT", "DEFAULT_READ_TIMEOUT", "DEFAULT_RETRIES", "KINDS", "TERMINAL", "TRANSIENT",
    "AwsError", "Identity", "JobStatus", "JobSummary", "SubmitResult", "Target", "Transition", "aws_path",
    "client", "clone", "describe", "format_seconds", "job_status", "known_profiles", "list_jobs", "resolve",
    "server_problems", "status_from_describe", "stop", "submit", "tags", "translate", "watch", "whoami"
]
