"""Where a field's documentation lives on the web, and smjob's own notes for the fields whose botocore
documentation says almost nothing users need. The notes are smjob's words, shown apart from botocore's."""

from __future__ import annotations

from smjob.paths import FieldPath
from smjob.schema import request_schema

API_REFERENCE = "https://docs.aws.amazon.com/sagemaker/latest/APIReference"

NOTES = {
    "InstanceType": (
        "Training instance types and their hardware (vCPUs, memory, GPUs) are listed at "
        "https://aws.amazon.com/sagemaker/pricing/ (Training tab) and "
        "https://docs.aws.amazon.com/sagemaker/latest/dg/notebooks-available-instance-types.html. "
        "Each type needs a quota in the region for training job usage (Service Quotas, service "
        "'Amazon SageMaker': 'ml.<type> for training job usage'); a new account often has 0 for GPU types. "
        "F4 opens the picker: filter by name, GPU types marked."
    ),
    "RoleArn": (
        "An IAM role that SageMaker assumes to run the job. Its trust policy must allow the service "
        "principal sagemaker.amazonaws.com to call sts:AssumeRole. Its permissions must allow reading the "
        "input S3 locations, writing the output and checkpoint locations, pulling the image "
        "(ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer), writing logs "
        "(logs:CreateLogStream, logs:PutLogEvents) and, with a VPC, creating network interfaces "
        "(ec2:CreateNetworkInterface and related). The caller submitting the job needs iam:PassRole on it. "
        "Format: arn:aws:iam::<12-digit account>:role/<name>."
    ),
}


def reference_url(path: FieldPath) -> str:
    """The AWS API reference page (and anchor) for the member at `path`."""
    names = [step for step in path if isinstance(step, str)]
    if not names:
        return f"{API_REFERENCE}/API_CreateTrainingJob.html"
    if len(path) == 1:
        return f"{API_REFERENCE}/API_CreateTrainingJob.html#sagemaker-CreateTrainingJob-request-{path[0]}"
    parent = request_schema().at(path[:-1])
    while parent is not None and parent.kind in ("list", "map"):
        parent = parent.item if parent.kind == "list" else parent.value
    if parent is None or parent.kind != "structure" or not isinstance(path[-1], str):
        return reference_url(path[:-1])
    return f"{API_REFERENCE}/API_{parent.shape}.html#sagemaker-Type-{parent.shape}-{path[-1]}"


def note_for(path: FieldPath) -> str | None:
    """smjob's own note for the field (by member name), if it has one."""
    return NOTES.get(path[-1]) if path and isinstance(path[-1], str) else None
