"""The largest CreateTrainingJob request the model allows in practice, for the benchmarks.

20 channels, 100 hyperparameters with 2,500-character values, 100 environment variables,
50 tags, 40 metric definitions, 20 debug and 20 profiler rules, 5 instance groups
(InstanceGroups instead of InstanceType). `big_request()` is valid per smjob.validate.validate.
"""

from __future__ import annotations

ACCOUNT = "123456789012"
REGION = "us-east-1"
BUCKET = f"s3://sagemaker-{REGION}-{ACCOUNT}"
GROUPS = 5
TYPES = ("ml.c5.9xlarge", "ml.g5.2xlarge", "ml.p4d.24xlarge", "ml.m5.xlarge", "ml.g5.12xlarge")
DEBUGGER_IMAGE = "503895931360.dkr.ecr.us-east-1.amazonaws.com/sagemaker-debugger-rules:latest"


def _value(i: int, length: int = 2500) -> str:
    seed = f"value-{i:03d}-abcdefghijklmnopqrstuvwxyz-0123456789-"
    return (seed * (length // len(seed) + 1))[:length]


def big_request() -> dict:
    groups = [{"InstanceType": TYPES[g], "InstanceCount": 2, "InstanceGroupName": f"group-{g}"} for g in range(GROUPS)]
    channels = [
        {
            "ChannelName": f"channel{c:02d}",
            "DataSource": {
                "S3DataSource": {
                    "S3DataType": "S3Prefix",
                    "S3Uri": f"{BUCKET}/datasets/big/channel{c:02d}/",
                    "S3DataDistributionType": "FullyReplicated",
                    "InstanceGroupNames": [f"group-{c % GROUPS}"],
                }
            },
            "ContentType": "application/x-recordio",
            "CompressionType": "None",
            "InputMode": "File",
        }
        for c in range(20)
    ]
    hyper = {f"hp_{i:03d}": _value(i) for i in range(100)}
    env = {f"ENV_VAR_{i:03d}": _value(i, 200) for i in range(100)}
    tags = [{"Key": f"tag-{i:02d}", "Value": f"value-{i:02d}"} for i in range(50)]
    metrics = [{"Name": f"train:metric_{i:02d}", "Regex": f"metric_{i:02d}=([0-9\\.]+)"} for i in range(40)]

    def rules(kind: str, n: int) -> list[dict]:
        return [
            {
                "RuleConfigurationName": f"{kind}-rule-{i:02d}",
                "RuleEvaluatorImage": DEBUGGER_IMAGE,
                "InstanceType": "ml.m5.xlarge",
                "VolumeSizeInGB": 30,
                "S3OutputPath": f"{BUCKET}/big/{kind}-rules/",
                "RuleParameters": {"rule_to_invoke": f"Rule{i:02d}", "threshold": "0.5"},
            }
            for i in range(n)
        ]

    return {
        "TrainingJobName": "big-request-20240601-120000",
        "HyperParameters": hyper,
        "AlgorithmSpecification": {
            "TrainingImage": (
                f"763104351884.dkr.ecr.{REGION}.amazonaws.com/pytorch-training:2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker"
            ),
            "TrainingInputMode": "File",
            "MetricDefinitions": metrics,
            "EnableSageMakerMetricsTimeSeries": True,
        },
        "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole-20240101T000000",
        "InputDataConfig": channels,
        "OutputDataConfig": {"S3OutputPath": f"{BUCKET}/big/output/"},
        "ResourceConfig": {"VolumeSizeInGB": 100, "InstanceGroups": groups},
        "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
        "Tags": tags,
        "Environment": env,
        "DebugHookConfig": {"S3OutputPath": f"{BUCKET}/big/debug-output/"},
        "DebugRuleConfigurations": rules("debug", 20),
        "ProfilerConfig": {"S3OutputPath": f"{BUCKET}/big/profiler-output/"},
        "ProfilerRuleConfigurations": rules("profiler", 20),
    }


if __name__ == "__main__":
    import json

    from smjob.validate import validate

    request = big_request()
    for problem in validate(request):
        print(problem.severity, problem.path, problem.message, problem.rule)
    print(len(json.dumps(request)), "bytes")
