"""A skeleton that, unlike `--generate-cli-skeleton`, is valid once its placeholders are filled.

The AWS skeleton lists every member: both TrainingImage and AlgorithmName, both InstanceType
and InstanceGroups, zeros below minimums. Ours walks the same schema but takes only what a job
needs: required members, one choice where the API wants exactly one of several, and members a
job cannot run without (StoppingCondition, empty: MaxRuntimeInSeconds defaults to one day; the
instances). It holds no optional value the user did not choose (no ContentType, InputMode or
distribution type a channel would carry unseen, and copy on Duplicate): SageMaker's defaults apply.
"""

from __future__ import annotations

from typing import Any

from smjob.schema import Node, request_schema

# Members a (non-serverless) job needs beyond the model's `required`, per structure shape; where
# the API wants exactly one of several members, the first common choice.
CHOSEN_MEMBERS = {
    "CreateTrainingJobRequest": (
        "AlgorithmSpecification",
        "InputDataConfig",  # one channel whose S3Uri is a placeholder: the user fills or removes it
        "ResourceConfig",
        "StoppingCondition",
    ),
    "AlgorithmSpecification": ("TrainingImage",),
    "DataSource": ("S3DataSource",),
    "ResourceConfig": ("InstanceType", "InstanceCount", "VolumeSizeInGB"),  # VolumeSizeInGB: EBS types need it
}

# Starting values for members a job needs, valid as they stand; other strings become "<Name>" placeholders.
DEFAULTS: dict[str, Any] = {
    "TrainingInputMode": "File",
    "S3DataType": "S3Prefix",
    "InstanceType": "ml.m5.xlarge",
    "InstanceCount": 1,
    "VolumeSizeInGB": 30,
    "ChannelName": "train",
}

PLACEHOLDERS: dict[str, str] = {
    "TrainingJobName": "<job-name>",
    "RoleArn": "arn:aws:iam::<account-id>:role/<execution-role>",
    "TrainingImage": "<account-id>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>",
    "S3Uri": "s3://<bucket>/<prefix>/",
    "S3OutputPath": "s3://<bucket>/<output-prefix>/",
}


def _value(node: Node) -> Any:
    if node.name in DEFAULTS:
        default = DEFAULTS[node.name]
        if not node.enum or default in node.enum:  # a botocore upgrade must not leave a stale default
            return default
    if node.kind == "structure":
        chosen = set(node.required_members) | set(CHOSEN_MEMBERS.get(node.shape, ()))
        return {m.name: _value(m) for m in node.members if m.name in chosen}
    if node.kind == "list":
        return [_value(node.item)]
    if node.kind == "map":
        return {}
    if node.enum:
        return node.enum[0]
    if node.kind in ("integer", "long"):
        return int(max(node.min or 1, 1))
    if node.kind == "boolean":
        return False
    return PLACEHOLDERS.get(node.name, f"<{node.name}>")


def skeleton() -> dict:
    return _value(request_schema())
