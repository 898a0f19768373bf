"""Cross-field rules: each rule fires on its case and stays quiet on a near miss; junk never crashes."""

import copy
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smjob import rules
from smjob.paths import format_path, get_at, parse_path
from smjob.problems import ERROR, WARNING
from smjob.rules import RULES, Context, Finding, Rule, check_rules, rule_catalog
from smjob.schema import request_schema
from smjob.validate import schema_problems

BUCKET = "ml-team-data-123"
IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker"
REGION = "us-east-1"  # where the cases are submitted: the context of rules that use one
ECR = "123456789012.dkr.ecr.{}/img{}"
VPC_PULL = {"AlgorithmSpecification.TrainingImageConfig": {"TrainingRepositoryAccessMode": "Vpc"}}
IMAGE_AT = "AlgorithmSpecification.TrainingImage"
BUILTIN = "811284229777.dkr.ecr.us-east-1.amazonaws.com/{}:1"
S3 = "DataSource.S3DataSource"


def channel(name, prefix, **s3):
    return {
        "ChannelName": name,
        "DataSource": {
            "S3DataSource": {
                "S3DataType": "S3Prefix",
                "S3Uri": f"s3://{BUCKET}/{prefix}/",
                "S3DataDistributionType": "FullyReplicated",
                **s3,
            }
        },
        "ContentType": "application/x-image",
    }


# A realistic PyTorch GPU job: two S3 channels, output, one ml.g5.2xlarge, a stopping condition.
BASE = {
    "TrainingJobName": "pytorch-resnet50-2024-06-01-12-00-00",
    "RoleArn": "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20240601T120000",
    "AlgorithmSpecification": {
        "TrainingImage": IMAGE,
        "TrainingInputMode": "File",
        "MetricDefinitions": [
            {"Name": "train:loss", "Regex": r"train_loss=([0-9\.]+)"},
            {"Name": "val:acc", "Regex": r"val_acc=([0-9\.]+)"},
        ],
    },
    "HyperParameters": {"epochs": "20", "lr": "0.001", "batch-size": "64", "sagemaker_program": "train.py"},
    "InputDataConfig": [channel("train", "resnet/train"), channel("validation", "resnet/validation")],
    "OutputDataConfig": {"S3OutputPath": f"s3://{BUCKET}/resnet/output/"},
    "ResourceConfig": {"InstanceType": "ml.g5.2xlarge", "InstanceCount": 1, "VolumeSizeInGB": 100},
    "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
    "Tags": [{"Key": "project", "Value": "resnet"}, {"Key": "team", "Value": "vision"}],
    "EnableManagedSpotTraining": False,
}

DEL = object()  # marks a field to remove


def ed(changes: dict):
    """A request edit: {"Formatted.Path[0]": value or DEL}, applied to a copy of the baseline."""

    def apply(base=BASE):
        request = copy.deepcopy(base)
        for text, value in changes.items():
            path = parse_path(text)
            parent = request
            for step in path[:-1]:
                parent = parent.setdefault(step, {}) if isinstance(parent, dict) else parent[step]
            if value is DEL:
                del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(value)
        return request

    return apply


GROUPS = [
    {"InstanceGroupName": "gpu", "InstanceType": "ml.g5.2xlarge", "InstanceCount": 1},
    {"InstanceGroupName": "cpu", "InstanceType": "ml.c5.2xlarge", "InstanceCount": 2},
]
HETERO = {"ResourceConfig": {"InstanceGroups": GROUPS, "VolumeSizeInGB": 100}}
SPOT = {"EnableManagedSpotTraining": True, "StoppingCondition.MaxWaitTimeInSeconds": 90000}
SERVERLESS = {
    "ServerlessJobConfig": {
        "BaseModelArn": "arn:aws:sagemaker:us-east-1:aws:hub-content/SageMakerPublicHub/Model/llama-3-8b/1.0.0",
        "JobType": "FineTuning",
    },
    "ResourceConfig": DEL,
    "StoppingCondition": DEL,
    "AlgorithmSpecification": DEL,
}
FSX = {
    "FileSystemDataSource": {
        "FileSystemId": "fs-0123456789abcdef0",
        "FileSystemAccessMode": "ro",
        "FileSystemType": "FSxLustre",
        "DirectoryPath": "/fsx/data",
    }
}
VPC = {"VpcConfig": {"SecurityGroupIds": ["sg-0123456789abcdef0"], "Subnets": ["subnet-0123456789abcdef0"]}}
DEBUG_RULE = {"RuleEvaluatorImage": "503895931360.dkr.ecr.us-east-1.amazonaws.com/sagemaker-debugger-rules:latest"}


def debug_rules(*names):
    return [{"RuleConfigurationName": n, **DEBUG_RULE} for n in names]


def tags(*keys):
    return [{"Key": k, "Value": "x"} for k in keys]


# (rule id, severity, edit, path, related): the rule fires exactly once, at `path`.
FIRES = [
    (
        "algorithm.image-xor-name",
        ERROR,
        ed({"AlgorithmSpecification.AlgorithmName": "my-algo"}),
        "AlgorithmSpecification.AlgorithmName",
        {"AlgorithmSpecification.TrainingImage"},
    ),
    (
        "algorithm.image-xor-name",
        ERROR,
        ed({"AlgorithmSpecification.TrainingImage": DEL}),
        "AlgorithmSpecification.TrainingImage",
        {"AlgorithmSpecification.AlgorithmName"},
    ),
    ("job.sections-required", ERROR, ed({"StoppingCondition": DEL}), "StoppingCondition", {"ServerlessJobConfig"}),
    (
        "spot.max-wait-requires-spot",
        ERROR,
        ed({"StoppingCondition.MaxWaitTimeInSeconds": 90000}),
        "StoppingCondition.MaxWaitTimeInSeconds",
        {"EnableManagedSpotTraining"},
    ),
    (
        "spot.max-wait-required",
        ERROR,
        ed({"EnableManagedSpotTraining": True}),
        "StoppingCondition.MaxWaitTimeInSeconds",
        {"EnableManagedSpotTraining"},
    ),
    (
        "spot.max-wait-below-runtime",
        ERROR,
        ed({**SPOT, "StoppingCondition.MaxWaitTimeInSeconds": 3600}),
        "StoppingCondition.MaxWaitTimeInSeconds",
        {"StoppingCondition.MaxRuntimeInSeconds"},
    ),
    (
        "spot.max-wait-below-default-runtime",
        WARNING,
        ed({**SPOT, "StoppingCondition.MaxWaitTimeInSeconds": 7200, "StoppingCondition.MaxRuntimeInSeconds": DEL}),
        "StoppingCondition.MaxRuntimeInSeconds",
        {"StoppingCondition.MaxWaitTimeInSeconds"},
    ),
    (
        "stopping.max-runtime-limit",
        ERROR,
        ed({"StoppingCondition.MaxRuntimeInSeconds": 2419201}),
        "StoppingCondition.MaxRuntimeInSeconds",
        set(),
    ),
    (
        "stopping.max-pending-no-effect",
        WARNING,
        ed({"ResourceConfig.InstanceType": "ml.m5.xlarge", "StoppingCondition.MaxPendingTimeInSeconds": 7200}),
        "StoppingCondition.MaxPendingTimeInSeconds",
        {"ResourceConfig.InstanceType"},
    ),
    (
        "resource.type-xor-groups",
        ERROR,
        ed({"ResourceConfig.InstanceGroups": GROUPS}),
        "ResourceConfig.InstanceType",
        {"ResourceConfig.InstanceCount", "ResourceConfig.InstanceGroups"},
    ),
    (
        "resource.preferences-exclusive",
        ERROR,
        ed({"ResourceConfig.InstancePreferences": [{"InstanceType": "ml.p5.48xlarge"}]}),
        "ResourceConfig.InstancePreferences",
        {"ResourceConfig.InstanceType"},
    ),
    (
        "resource.instances-required",
        ERROR,
        ed({"ResourceConfig.InstanceType": DEL, "ResourceConfig.InstanceCount": DEL}),
        "ResourceConfig.InstanceType",
        {"ResourceConfig.InstanceGroups", "ResourceConfig.InstancePreferences"},
    ),
    (
        "resource.type-count-pair",
        ERROR,
        ed({"ResourceConfig.InstanceCount": DEL}),
        "ResourceConfig.InstanceCount",
        {"ResourceConfig.InstanceType"},
    ),
    (
        "resource.unique-group-names",
        ERROR,
        ed({**HETERO, "ResourceConfig.InstanceGroups": [GROUPS[0], {**GROUPS[1], "InstanceGroupName": "gpu"}]}),
        "ResourceConfig.InstanceGroups[1].InstanceGroupName",
        {"ResourceConfig.InstanceGroups[0].InstanceGroupName"},
    ),
    (
        "resource.volume-kms-local-storage",
        WARNING,  # its input is a guess
        ed({"ResourceConfig.VolumeKmsKeyId": "alias/training"}),
        "ResourceConfig.VolumeKmsKeyId",
        {"ResourceConfig.InstanceType"},
    ),
    (
        "resource.volume-kms-local-storage",
        WARNING,  # its input is a guess
        ed({**HETERO, "ResourceConfig.VolumeKmsKeyId": "alias/training"}),  # only the g5 group has NVMe
        "ResourceConfig.VolumeKmsKeyId",
        {"ResourceConfig.InstanceGroups[0].InstanceType"},
    ),
    (
        "resource.volume-size-required",
        WARNING,  # its input is a guess
        ed({"ResourceConfig.InstanceType": "ml.c5.xlarge", "ResourceConfig.VolumeSizeInGB": DEL}),
        "ResourceConfig.VolumeSizeInGB",
        {"ResourceConfig.InstanceType"},
    ),
    (
        "resource.read-only",
        ERROR,
        ed({"ResourceConfig.SelectedInstanceType": "ml.g5.2xlarge"}),
        "ResourceConfig.SelectedInstanceType",
        set(),
    ),
    (
        "warm-pool.not-with-spot",
        ERROR,
        ed({**SPOT, "ResourceConfig.KeepAlivePeriodInSeconds": 600}),
        "ResourceConfig.KeepAlivePeriodInSeconds",
        {"EnableManagedSpotTraining"},
    ),
    (
        "warm-pool.not-with-groups",
        ERROR,
        ed({**HETERO, "ResourceConfig.KeepAlivePeriodInSeconds": 600}),
        "ResourceConfig.KeepAlivePeriodInSeconds",
        {"ResourceConfig.InstanceGroups"},
    ),
    (
        "channel.groups-all-or-none",
        ERROR,
        ed({**HETERO, f"InputDataConfig[0].{S3}.InstanceGroupNames": ["gpu"]}),
        f"InputDataConfig[1].{S3}.InstanceGroupNames",
        {f"InputDataConfig[0].{S3}.InstanceGroupNames"},
    ),
    (
        "channel.group-unknown",
        ERROR,
        ed(
            {
                **HETERO,
                f"InputDataConfig[0].{S3}.InstanceGroupNames": ["gpux"],
                f"InputDataConfig[1].{S3}.InstanceGroupNames": ["gpu"],
            }
        ),
        f"InputDataConfig[0].{S3}.InstanceGroupNames[0]",
        {"ResourceConfig.InstanceGroups"},
    ),
    (
        "channel.unique-names",
        ERROR,
        ed({"InputDataConfig[1].ChannelName": "train"}),
        "InputDataConfig[1].ChannelName",
        {"InputDataConfig[0].ChannelName"},
    ),
    (
        "channel.one-data-source",
        ERROR,
        ed({"InputDataConfig[1].DataSource.FileSystemDataSource": FSX["FileSystemDataSource"], **VPC}),
        "InputDataConfig[1].DataSource",
        {f"InputDataConfig[1].{S3}", "InputDataConfig[1].DataSource.FileSystemDataSource"},
    ),
    (
        "channel.one-data-source",
        ERROR,
        ed({"InputDataConfig[1].DataSource": {}}),
        "InputDataConfig[1].DataSource",
        set(),
    ),
    (
        "channel.gzip-needs-pipe",
        ERROR,
        ed({"InputDataConfig[0].CompressionType": "Gzip"}),
        "InputDataConfig[0].CompressionType",
        {"AlgorithmSpecification.TrainingInputMode"},
    ),
    (
        "channel.gzip-needs-pipe",
        ERROR,  # FastFile counts as not Pipe; the channel's own mode wins
        ed(
            {
                "InputDataConfig[0].CompressionType": "Gzip",
                "InputDataConfig[0].InputMode": "FastFile",
                "AlgorithmSpecification.TrainingInputMode": "Pipe",
            }
        ),
        "InputDataConfig[0].CompressionType",
        {"InputDataConfig[0].InputMode"},
    ),
    (
        "channel.augmented-manifest-needs-pipe",
        ERROR,
        ed({f"InputDataConfig[0].{S3}.S3DataType": "AugmentedManifestFile"}),
        f"InputDataConfig[0].{S3}.S3DataType",
        {"AlgorithmSpecification.TrainingInputMode"},
    ),
    (
        "channel.recordio-not-file",
        ERROR,
        ed({"InputDataConfig[1].RecordWrapperType": "RecordIO"}),
        "InputDataConfig[1].RecordWrapperType",
        {"AlgorithmSpecification.TrainingInputMode"},
    ),
    (
        "channel.sharded-single-instance",
        WARNING,
        ed({f"InputDataConfig[0].{S3}.S3DataDistributionType": "ShardedByS3Key"}),
        f"InputDataConfig[0].{S3}.S3DataDistributionType",
        {"ResourceConfig.InstanceCount"},
    ),
    (
        "channel.sharded-single-instance",
        WARNING,  # the channel goes to the one-instance group only
        ed(
            {
                **HETERO,
                f"InputDataConfig[0].{S3}.S3DataDistributionType": "ShardedByS3Key",
                f"InputDataConfig[0].{S3}.InstanceGroupNames": ["gpu"],
                f"InputDataConfig[1].{S3}.InstanceGroupNames": ["cpu"],
            }
        ),
        f"InputDataConfig[0].{S3}.S3DataDistributionType",
        {"ResourceConfig.InstanceGroups[0].InstanceCount"},
    ),
    (
        "vpc.file-system-channel",
        ERROR,
        ed({"InputDataConfig[1].DataSource": FSX}),
        "VpcConfig",
        {"InputDataConfig[1].DataSource.FileSystemDataSource"},
    ),
    (
        "vpc.repository-access",
        ERROR,
        ed({"AlgorithmSpecification.TrainingImageConfig": {"TrainingRepositoryAccessMode": "Vpc"}}),
        "VpcConfig",
        {"AlgorithmSpecification.TrainingImageConfig.TrainingRepositoryAccessMode"},
    ),
    (
        "profiler.interval",
        ERROR,
        ed({"ProfilerConfig.ProfilingIntervalInMilliseconds": 300}),
        "ProfilerConfig.ProfilingIntervalInMilliseconds",
        set(),
    ),
    (
        "rule-config.unique-names",
        ERROR,
        ed({"DebugRuleConfigurations": debug_rules("Loss", "Vanishing", "Loss")}),
        "DebugRuleConfigurations[2].RuleConfigurationName",
        {"DebugRuleConfigurations[0].RuleConfigurationName"},
    ),
    (
        "rule-config.unique-names",
        ERROR,
        ed({"ProfilerRuleConfigurations": debug_rules("Report", "Report")}),
        "ProfilerRuleConfigurations[1].RuleConfigurationName",
        {"ProfilerRuleConfigurations[0].RuleConfigurationName"},
    ),
    ("tags.unique-keys", ERROR, ed({"Tags": tags("project", "team", "project")}), "Tags[2].Key", {"Tags[0].Key"}),
    ("tags.aws-prefix", ERROR, ed({"Tags": tags("project", "AWS:cost-center")}), "Tags[1].Key", set()),
    (
        "metrics.regex",
        WARNING,  # its input is a guess
        ed({"AlgorithmSpecification.MetricDefinitions[1].Regex": "val_acc=([0-9.]+"}),
        "AlgorithmSpecification.MetricDefinitions[1].Regex",
        set(),
    ),
    ("hyperparameters.string-values", ERROR, ed({"HyperParameters.epochs": 20}), "HyperParameters.epochs", set()),
    ("hyperparameters.string-values", ERROR, ed({"HyperParameters.use_amp": True}), "HyperParameters.use_amp", set()),
    (
        "s3.https-uri",
        WARNING,
        ed({"OutputDataConfig.S3OutputPath": f"https://{BUCKET}.s3.us-east-1.amazonaws.com/resnet/output/"}),
        "OutputDataConfig.S3OutputPath",
        set(),
    ),
    (
        "s3.bucket-name",
        ERROR,
        ed({f"InputDataConfig[0].{S3}.S3Uri": "s3://My_Bucket/train/"}),
        f"InputDataConfig[0].{S3}.S3Uri",
        set(),
    ),
    (
        "s3.bucket-name",
        ERROR,
        ed({"CheckpointConfig": {"S3Uri": "s3://amzn-s3-demo-bucket/checkpoints/"}}),
        "CheckpointConfig.S3Uri",
        set(),
    ),
    (
        "s3.bucket-name",
        ERROR,  # a list member found through the schema, not a hand-written list
        ed({"DebugRuleConfigurations": [{**debug_rules("Loss")[0], "S3OutputPath": "s3://192.168.5.4/debug/"}]}),
        "DebugRuleConfigurations[0].S3OutputPath",
        set(),
    ),
    (
        "s3.empty-segment",
        WARNING,
        ed({f"InputDataConfig[1].{S3}.S3Uri": f"s3://{BUCKET}/resnet//validation/"}),
        f"InputDataConfig[1].{S3}.S3Uri",
        set(),
    ),
    (
        "output.kms-s3-express",
        ERROR,
        ed({"OutputDataConfig": {"S3OutputPath": "s3://ml-out--use1-az4--x-s3/out/", "KmsKeyId": "alias/training"}}),
        "OutputDataConfig.KmsKeyId",
        {"OutputDataConfig.S3OutputPath"},
    ),
    (
        "kms.key-arn",
        WARNING,
        ed({"ResourceConfig.VolumeKmsKeyId": "arn:aws:kms:us-east-1:12345678901:key/1234abcd"}),
        "ResourceConfig.VolumeKmsKeyId",
        set(),
    ),
    (
        "serverless.evaluation-type",
        ERROR,
        ed({**SERVERLESS, "ServerlessJobConfig.JobType": "Evaluation"}),
        "ServerlessJobConfig.EvaluationType",
        {"ServerlessJobConfig.JobType"},
    ),
    (
        "serverless.volume-size",
        WARNING,
        ed({**SERVERLESS, "ResourceConfig": {"VolumeSizeInGB": 100}}),
        "ResourceConfig.VolumeSizeInGB",
        {"ServerlessJobConfig"},
    ),
    (
        "builtin.gpu-only",
        WARNING,
        ed(
            {
                "AlgorithmSpecification.TrainingImage": BUILTIN.format("image-classification"),
                "ResourceConfig.InstanceType": "ml.c5.2xlarge",
            }
        ),
        "ResourceConfig.InstanceType",
        {"AlgorithmSpecification.TrainingImage"},
    ),
    (
        "builtin.cpu-only",
        WARNING,
        ed({"AlgorithmSpecification.TrainingImage": BUILTIN.format("randomcutforest")}),
        "ResourceConfig.InstanceType",
        {"AlgorithmSpecification.TrainingImage"},
    ),
    (
        "builtin.single-instance",
        WARNING,
        ed({"AlgorithmSpecification.TrainingImage": BUILTIN.format("seq2seq"), "ResourceConfig.InstanceCount": 2}),
        "ResourceConfig.InstanceCount",
        {"AlgorithmSpecification.TrainingImage"},
    ),
    (
        "builtin.file-mode-only",
        WARNING,
        ed(
            {
                "AlgorithmSpecification.TrainingImage": BUILTIN.format("seq2seq"),
                "AlgorithmSpecification.TrainingInputMode": "Pipe",
            }
        ),
        "AlgorithmSpecification.TrainingInputMode",
        {"AlgorithmSpecification.TrainingImage"},
    ),
    (
        "builtin.spot-max-wait",
        WARNING,
        ed(
            {
                **SPOT,
                "AlgorithmSpecification.TrainingImage": BUILTIN.format("kmeans"),
                "StoppingCondition.MaxWaitTimeInSeconds": 7200,
                "StoppingCondition.MaxRuntimeInSeconds": 3600,
            }
        ),
        "StoppingCondition.MaxWaitTimeInSeconds",
        {"AlgorithmSpecification.TrainingImage", "EnableManagedSpotTraining"},
    ),
    (
        "builtin.spot-max-wait",
        WARNING,
        ed({**SPOT, "AlgorithmSpecification.TrainingImage": BUILTIN.format("image-classification")}),
        "StoppingCondition.MaxWaitTimeInSeconds",
        {"AlgorithmSpecification.TrainingImage", "EnableManagedSpotTraining", "CheckpointConfig"},
    ),
    # --- placeholders, image, scale (tests/test_rules_trust.py has more of their cases) ---
    (
        "placeholder.unfilled",
        ERROR,
        ed({"OutputDataConfig.S3OutputPath": "s3://<bucket>/out/"}),
        "OutputDataConfig.S3OutputPath",
        set(),
    ),
    ("placeholder.free-text", WARNING, ed({"HyperParameters.pad_token": "<pad>"}), "HyperParameters.pad_token", set()),
    (
        "image.shape",
        ERROR,
        ed({IMAGE_AT: "pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime"}),  # Docker Hub without Vpc access
        IMAGE_AT,
        {"AlgorithmSpecification.TrainingImageConfig.TrainingRepositoryAccessMode"},
    ),
    (
        "image.shape",
        ERROR,
        ed({IMAGE_AT: ECR.format("us-east-1.amazonaws.com", ":1").replace("123456789012", "12345678901")}),
        IMAGE_AT,
        {"AlgorithmSpecification.TrainingImageConfig.TrainingRepositoryAccessMode"},
    ),
    (
        "image.shape",
        ERROR,
        ed({**VPC, **VPC_PULL, IMAGE_AT: "registry.example.com/Team/trainer:1"}),  # repositories are lowercase
        IMAGE_AT,
        {"AlgorithmSpecification.TrainingImageConfig.TrainingRepositoryAccessMode"},
    ),
    ("image.unpinned", WARNING, ed({IMAGE_AT: ECR.format("us-east-1.amazonaws.com", "")}), IMAGE_AT, set()),
    ("image.region", WARNING, ed({IMAGE_AT: ECR.format("eu-west-1.amazonaws.com", ":1")}), IMAGE_AT, set()),
    (
        "scale.instances-quota",
        WARNING,
        ed({"ResourceConfig.InstanceCount": 500}),
        "ResourceConfig.InstanceCount",
        set(),
    ),
    (
        "scale.instances-quota",
        WARNING,
        ed({**HETERO, "ResourceConfig.InstanceGroups[1].InstanceCount": 20}),
        "ResourceConfig.InstanceGroups",
        {"ResourceConfig.InstanceGroups[0].InstanceCount", "ResourceConfig.InstanceGroups[1].InstanceCount"},
    ),
    ("scale.volume-size", ERROR, ed({"ResourceConfig.VolumeSizeInGB": 16385}), "ResourceConfig.VolumeSizeInGB", set()),
    (
        "scale.max-runtime-quota",
        WARNING,
        ed({"StoppingCondition.MaxRuntimeInSeconds": 432001}),
        "StoppingCondition.MaxRuntimeInSeconds",
        set(),
    ),
    (
        "scale.keep-alive-quota",
        WARNING,
        ed({"ResourceConfig.KeepAlivePeriodInSeconds": 3601}),
        "ResourceConfig.KeepAlivePeriodInSeconds",
        set(),
    ),
]

# (rule id, edit): close to a firing case, but valid; the rule must stay quiet.
NEAR_MISSES = [
    (
        "algorithm.image-xor-name",
        ed({"AlgorithmSpecification.TrainingImage": DEL, "AlgorithmSpecification.AlgorithmName": "my-algo"}),
    ),
    ("job.sections-required", ed(SERVERLESS)),
    ("spot.max-wait-requires-spot", ed(SPOT)),
    ("spot.max-wait-required", ed(SPOT)),
    ("spot.max-wait-below-runtime", ed({**SPOT, "StoppingCondition.MaxWaitTimeInSeconds": 86400})),
    ("spot.max-wait-below-default-runtime", ed({**SPOT, "StoppingCondition.MaxRuntimeInSeconds": DEL})),
    ("stopping.max-runtime-limit", ed({"StoppingCondition.MaxRuntimeInSeconds": 2419200})),
    ("stopping.max-pending-no-effect", ed({"StoppingCondition.MaxPendingTimeInSeconds": 7200})),
    ("resource.type-xor-groups", ed(HETERO)),
    (
        "resource.preferences-exclusive",
        ed(
            {
                "ResourceConfig.InstanceType": DEL,
                "ResourceConfig.InstancePreferences": [{"InstanceType": "ml.p5.48xlarge"}],
            }
        ),
    ),
    ("resource.instances-required", ed(HETERO)),
    ("resource.type-count-pair", ed({"ResourceConfig.InstanceCount": 4})),
    ("resource.unique-group-names", ed(HETERO)),
    (
        "resource.volume-kms-local-storage",
        ed({"ResourceConfig.InstanceType": "ml.p3.2xlarge", "ResourceConfig.VolumeKmsKeyId": "alias/training"}),
    ),
    (
        "resource.volume-size-required",
        ed({"ResourceConfig.InstanceType": "ml.p4d.24xlarge", "ResourceConfig.VolumeSizeInGB": DEL}),
    ),
    (
        "resource.volume-size-required",
        ed({"ResourceConfig.InstanceType": "ml.p6-b200.48xlarge", "ResourceConfig.VolumeSizeInGB": DEL}),
    ),
    ("resource.read-only", ed({"ResourceConfig.InstanceType": "ml.g5.4xlarge"})),
    ("warm-pool.not-with-spot", ed({"ResourceConfig.KeepAlivePeriodInSeconds": 600})),
    ("warm-pool.not-with-groups", ed({"ResourceConfig.KeepAlivePeriodInSeconds": 600})),
    (
        "channel.groups-all-or-none",
        ed(
            {
                **HETERO,
                f"InputDataConfig[0].{S3}.InstanceGroupNames": ["gpu"],
                f"InputDataConfig[1].{S3}.InstanceGroupNames": ["gpu", "cpu"],
            }
        ),
    ),
    (
        "channel.group-unknown",
        ed(
            {
                **HETERO,
                f"InputDataConfig[0].{S3}.InstanceGroupNames": ["gpu"],
                f"InputDataConfig[1].{S3}.InstanceGroupNames": ["cpu"],
            }
        ),
    ),
    ("channel.unique-names", ed({"InputDataConfig[1].ChannelName": "train2"})),
    ("channel.one-data-source", ed({"InputDataConfig[1].DataSource": FSX, **VPC})),
    (
        "channel.gzip-needs-pipe",
        ed({"InputDataConfig[0].CompressionType": "Gzip", "InputDataConfig[0].InputMode": "Pipe"}),
    ),
    (
        "channel.augmented-manifest-needs-pipe",
        ed(
            {
                f"InputDataConfig[0].{S3}.S3DataType": "AugmentedManifestFile",
                "AlgorithmSpecification.TrainingInputMode": "Pipe",
            }
        ),
    ),
    (
        "channel.recordio-not-file",
        ed({"InputDataConfig[1].RecordWrapperType": "RecordIO", "InputDataConfig[1].InputMode": "Pipe"}),
    ),
    (
        "channel.sharded-single-instance",
        ed({f"InputDataConfig[0].{S3}.S3DataDistributionType": "ShardedByS3Key", "ResourceConfig.InstanceCount": 2}),
    ),
    ("vpc.file-system-channel", ed({"InputDataConfig[1].DataSource": FSX, **VPC})),
    (
        "vpc.repository-access",
        ed({"AlgorithmSpecification.TrainingImageConfig": {"TrainingRepositoryAccessMode": "Platform"}}),
    ),
    ("profiler.interval", ed({"ProfilerConfig.ProfilingIntervalInMilliseconds": 500})),
    (
        "rule-config.unique-names",
        ed({"DebugRuleConfigurations": debug_rules("Loss"), "ProfilerRuleConfigurations": debug_rules("Loss")}),
    ),
    ("tags.unique-keys", ed({"Tags": tags("project", "Project")})),
    ("tags.aws-prefix", ed({"Tags": tags("awsome:cost", "cost:aws:center")})),
    ("metrics.regex", ed({"AlgorithmSpecification.MetricDefinitions[1].Regex": r"val_acc=(\d+(?:\.\d+)?)"})),
    ("hyperparameters.string-values", ed({"HyperParameters.epochs": "20", "HyperParameters.use_amp": "true"})),
    ("s3.https-uri", ed({"OutputDataConfig.S3OutputPath": f"s3://{BUCKET}/resnet/output/"})),
    (
        "s3.bucket-name",
        ed(
            {
                f"InputDataConfig[0].{S3}.S3Uri": "s3://my-ap-8u2kxo5e1jyd4yw7g1d0l8n-s3alias/train/",
                "CheckpointConfig": {"S3Uri": "s3://my-bucket.v2/checkpoints/"},
                "OutputDataConfig.S3OutputPath": "s3://ml-out--use1-az4--x-s3/out/",
            }
        ),
    ),
    ("s3.empty-segment", ed({f"InputDataConfig[1].{S3}.S3Uri": f"s3://{BUCKET}/resnet/validation/"})),
    ("output.kms-s3-express", ed({"OutputDataConfig.KmsKeyId": "alias/training"})),
    ("kms.key-arn", ed({"OutputDataConfig.KmsKeyId": "arn:aws:kms:us-east-1:123456789012:alias/training"})),
    (
        "serverless.evaluation-type",
        ed(
            {
                **SERVERLESS,
                "ServerlessJobConfig.JobType": "Evaluation",
                "ServerlessJobConfig.EvaluationType": "BenchmarkEvaluation",
            }
        ),
    ),
    ("serverless.volume-size", ed(SERVERLESS)),
    ("builtin.gpu-only", ed({"AlgorithmSpecification.TrainingImage": BUILTIN.format("image-classification")})),
    (
        "builtin.gpu-only",
        ed(
            {  # a team's own repository that happens to share the name
                IMAGE_AT: ECR.format("us-east-1.amazonaws.com", "").replace("/img", "/vision/image-classification:1"),
                "ResourceConfig.InstanceType": "ml.c5.2xlarge",
            }
        ),
    ),
    (
        "builtin.cpu-only",
        ed(
            {
                "AlgorithmSpecification.TrainingImage": BUILTIN.format("randomcutforest"),
                "ResourceConfig.InstanceType": "ml.m5.xlarge",
            }
        ),
    ),
    ("builtin.single-instance", ed({"AlgorithmSpecification.TrainingImage": BUILTIN.format("seq2seq")})),
    (
        "builtin.file-mode-only",
        ed(
            {
                "AlgorithmSpecification.TrainingImage": BUILTIN.format("kmeans"),
                "AlgorithmSpecification.TrainingInputMode": "Pipe",
            }
        ),
    ),
    (
        "builtin.spot-max-wait",
        ed(
            {
                **SPOT,
                "AlgorithmSpecification.TrainingImage": BUILTIN.format("image-classification"),
                "CheckpointConfig": {"S3Uri": f"s3://{BUCKET}/checkpoints/"},
            }
        ),
    ),
    (
        "builtin.spot-max-wait",
        ed(
            {
                **SPOT,
                "AlgorithmSpecification.TrainingImage": BUILTIN.format("kmeans"),
                "StoppingCondition.MaxWaitTimeInSeconds": 3600,
                "StoppingCondition.MaxRuntimeInSeconds": 3600,
            }
        ),
    ),
    ("placeholder.unfilled", ed({"AlgorithmSpecification.MetricDefinitions[1].Regex": r"val_acc=(?P<acc>[0-9.]+)"})),
    ("placeholder.unfilled", ed({"HyperParameters.pad_token": "<pad>", "Tags": tags("a < b", "<3")})),
    (
        "placeholder.free-text",
        ed({"HyperParameters.expr": "a<b and c>d", "OutputDataConfig.S3OutputPath": "s3://<b>/o/"}),
    ),
    ("image.shape", ed({IMAGE_AT: ECR.format("cn-north-1.amazonaws.com.cn", ":1")})),
    (
        "image.shape",
        ed({IMAGE_AT: ECR.format("us-gov-west-1.amazonaws.com", "@sha256:" + "a" * 64).replace("ecr", "ecr-fips")}),
    ),
    ("image.shape", ed({**VPC, **VPC_PULL, IMAGE_AT: "registry.example.com:5000/team/trainer:1.0"})),
    ("image.shape", ed({IMAGE_AT: "<account-id>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>"})),
    ("image.unpinned", ed({IMAGE_AT: ECR.format("us-east-1.amazonaws.com", "@sha256:" + "0" * 64)})),
    ("image.region", ed({IMAGE_AT: ECR.format("us-east-1.amazonaws.com", ":1")})),
    ("image.region", ed({**VPC, **VPC_PULL, IMAGE_AT: ECR.format("eu-west-1.amazonaws.com", ":1")})),
    ("scale.instances-quota", ed({"ResourceConfig.InstanceCount": 20})),
    ("scale.instances-quota", ed({**HETERO, "ResourceConfig.InstanceGroups[1].InstanceCount": 19})),
    ("scale.volume-size", ed({"ResourceConfig.VolumeSizeInGB": 16384})),
    ("scale.max-runtime-quota", ed({"StoppingCondition.MaxRuntimeInSeconds": 432000})),
    (
        "scale.max-runtime-quota",
        ed({"StoppingCondition.MaxRuntimeInSeconds": 2419201}),
    ),  # over the hard limit: an error
    ("scale.keep-alive-quota", ed({"ResourceConfig.KeepAlivePeriodInSeconds": 3600})),
]


def _of(rule_id, request):
    return [p for p in check_rules(request, context=Context(region=REGION)) if p.rule == rule_id]


def test_baseline_is_clean():
    assert check_rules(BASE) == []
    assert schema_problems(BASE) == []  # the fixture is a request the API model accepts


@pytest.mark.parametrize(
    ("rule_id", "severity", "edit", "path", "related"), FIRES, ids=[f"{c[0]}-{i}" for i, c in enumerate(FIRES)]
)
def test_rule_fires(rule_id, severity, edit, path, related):
    found = _of(rule_id, edit())
    assert len(found) == 1, found
    [problem] = found
    assert problem.severity == severity
    assert format_path(problem.path) == path
    assert {format_path(p) for p in problem.related} == related
    assert problem.doc_url.startswith("https://")
    schema = request_schema()
    for p in problem.paths:  # every highlighted field exists in the API model
        assert schema.at(p) is not None, format_path(p)


@pytest.mark.parametrize(("rule_id", "edit"), NEAR_MISSES, ids=[f"{c[0]}-{i}" for i, c in enumerate(NEAR_MISSES)])
def test_rule_near_miss_is_quiet(rule_id, edit):
    assert _of(rule_id, edit()) == []


def test_every_rule_has_a_firing_case_and_a_near_miss():
    ids = {r.id for r in RULES}
    assert len(ids) == len(RULES)
    assert {c[0] for c in FIRES} == ids
    assert {c[0] for c in NEAR_MISSES} == ids


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (ed({"StoppingCondition.MaxWaitTimeInSeconds": 90000}), "set EnableManagedSpotTraining to true"),
        (
            ed({"AlgorithmSpecification.MetricDefinitions[1].Regex": "val_acc=([0-9.]+"}),
            "so SageMaker can read metric 'val:acc'",
        ),
        (ed({"HyperParameters.epochs": 20}), 'write it in quotes, as "20"'),
        (ed({"HyperParameters.use_amp": True}), 'as "true"'),
        (
            ed({"OutputDataConfig.S3OutputPath": f"https://s3.eu-west-1.amazonaws.com/{BUCKET}/out/"}),
            f'"s3://{BUCKET}/out/"',
        ),
        (ed({"OutputDataConfig.S3OutputPath": f"https://{BUCKET}.s3.amazonaws.com/out/"}), f'"s3://{BUCKET}/out/"'),
        (ed({"OutputDataConfig.S3OutputPath": "s3://ab/out/"}), "is 2 characters long"),
        (ed({"OutputDataConfig.S3OutputPath": "s3://a..b/out/"}), "two dots in a row"),
        (ed({"OutputDataConfig.S3OutputPath": "s3://xn--bucket/out/"}), "starts with xn--"),
        (ed({"OutputDataConfig.S3OutputPath": "s3://-bucket/out/"}), "must start and end with a letter or digit"),
        (ed({"OutputDataConfig.S3OutputPath": "s3://amzn-s3-demo-bucket/out/"}), "placeholder"),
        (
            ed({"ResourceConfig.VolumeKmsKeyId": "k", "ResourceConfig.InstanceType": "ml.p4d.24xlarge"}),
            "ml.p4d.24xlarge",
        ),
        (ed({**SERVERLESS, "ServerlessJobConfig.JobType": "Evaluation"}), "LLMAJEvaluation"),
        (ed({**SPOT, "StoppingCondition.MaxWaitTimeInSeconds": 3600}), "raise it to 86400"),
    ],
)
def test_messages_are_specific(edit, needle):
    messages = [p.message for p in check_rules(edit())]
    assert any(needle in m for m in messages), messages


def test_messages_are_single_plain_lines():
    for _, _, edit, _, _ in FIRES:
        for problem in check_rules(edit()):
            assert "\n" not in problem.message and problem.message.endswith("."), problem.message


def test_catalog_lists_every_rule():
    catalog = rule_catalog()
    assert [c["id"] for c in catalog] == [r.id for r in RULES]
    for entry in catalog:
        assert set(entry) == {"id", "severity", "summary", "doc_url"}
        assert entry["severity"] in (ERROR, WARNING) and entry["doc_url"].startswith("https://")
        assert len(entry["id"]) <= 40 and entry["summary"]


def test_a_broken_rule_becomes_a_warning_and_others_still_run():
    def broken(request):
        raise KeyError("boom")
        yield  # pragma: no cover

    bad = Rule("test.broken", ERROR, "always fails", "https://example.com", broken)
    request = ed({"Tags": tags("a", "a")})()
    found = check_rules(request, rules=(bad, *RULES))
    assert found[0].rule == "test.broken" and found[0].severity == WARNING and "failed" in found[0].message
    assert any(p.rule == "tags.unique-keys" for p in found[1:])


def test_non_object_requests_have_no_rule_problems():
    for junk in (None, [], "job", 3, [BASE]):
        assert check_rules(junk) == []


# --- knowledge derived from the model -------------------------------------------------------------


def test_s3_locations_come_from_the_schema():
    found = {format_path(p) for p in rules.s3_location_paths()}
    assert {
        f"InputDataConfig[0].{S3}.S3Uri",
        "OutputDataConfig.S3OutputPath",
        "CheckpointConfig.S3Uri",
        "ProfilerRuleConfigurations[0].S3OutputPath",
    } <= found
    assert not any("LocalPath" in f or "S3DataType" in f for f in found)


def test_enum_constants_are_in_the_model():
    schema = request_schema()
    channel_path = ("InputDataConfig", 0)
    expected = [
        (("AlgorithmSpecification", "TrainingInputMode"), (rules.PIPE, rules.FILE)),
        (channel_path + ("InputMode",), (rules.PIPE, rules.FILE)),
        (channel_path + ("CompressionType",), (rules.GZIP,)),
        (channel_path + ("RecordWrapperType",), (rules.RECORDIO,)),
        (channel_path + ("DataSource", "S3DataSource", "S3DataType"), (rules.AUGMENTED_MANIFEST,)),
        (channel_path + ("DataSource", "S3DataSource", "S3DataDistributionType"), (rules.SHARDED,)),
        (("AlgorithmSpecification", "TrainingImageConfig", "TrainingRepositoryAccessMode"), (rules.VPC_ACCESS,)),
        (("ServerlessJobConfig", "JobType"), (rules.EVALUATION,)),
    ]
    for path, values in expected:
        assert set(values) <= set(schema.at(path).enum), path


def test_every_instance_type_in_the_model_parses():
    types = request_schema().at(("ResourceConfig", "InstanceType")).enum
    assert len(types) > 100
    assert all(rules.instance_family(t) for t in types), [t for t in types if not rules.instance_family(t)]


@pytest.mark.parametrize(
    ("instance_type", "local", "gpu"),
    [
        ("ml.p4d.24xlarge", True, True),
        ("ml.p4de.24xlarge", True, True),
        ("ml.p3dn.24xlarge", True, True),
        ("ml.g4dn.xlarge", True, True),
        ("ml.g5.2xlarge", True, True),
        ("ml.g6e.xlarge", True, True),
        ("ml.p5.48xlarge", True, True),
        ("ml.trn1.32xlarge", True, False),
        ("ml.m5d.large", True, False),
        ("ml.c5d.xlarge", True, False),
        ("ml.r5d.large", True, False),
        ("ml.c5.xlarge", False, False),
        ("ml.p3.2xlarge", False, True),
        ("ml.m5.large", False, False),
        ("ml.c7i-flex.large", False, False),
        ("ml.t3.medium", False, False),
        ("ml.c5n.18xlarge", False, False),
        ("ml.p6-b200.48xlarge", True, True),  # smjob.facts (EC2 data) know these newer types' NVMe
        ("ml.trn2.48xlarge", True, False),
    ],
)
def test_instance_family_patterns(instance_type, local, gpu):
    assert rules.has_local_storage(instance_type) is local
    assert rules.has_gpu(instance_type) is gpu


@pytest.mark.parametrize(
    ("uri", "parts"),
    [
        (f"s3://{BUCKET}/a/b", (BUCKET, "a/b")),
        ("s3://b", ("b", "")),
        ("https://my.s3.data.s3.us-east-1.amazonaws.com/k/x", ("my.s3.data", "k/x")),
        ("https://b.s3-us-west-2.amazonaws.com/k", ("b", "k")),
        ("https://s3.dualstack.eu-west-1.amazonaws.com/b/k", ("b", "k")),
        ("https://b.s3.cn-north-1.amazonaws.com.cn/k", ("b", "k")),
        ("https://example.com/b/k", None),
        ("gs://b/k", None),
    ],
)
def test_split_s3(uri, parts):
    assert rules.split_s3(uri) == parts


def test_derived_member_lists():
    assert {format_path(p) for p in rules.read_only_paths()} == {
        "ResourceConfig.SelectedInstanceType",
        "ResourceConfig.SelectedInstanceCount",
    }
    assert set(rules.rule_configuration_lists()) == {"DebugRuleConfigurations", "ProfilerRuleConfigurations"}
    assert "S3DataSource" in rules.data_source_kinds() and "FileSystemDataSource" in rules.data_source_kinds()


# --- a large request, also used to time check_rules ------------------------------------------------


def large_request():
    """20 channels, 100 hyperparameters, 50 tags, 20+20 rule configurations, 5 instance groups."""
    request = copy.deepcopy(BASE)
    request["ResourceConfig"] = {
        "VolumeSizeInGB": 200,
        "InstanceGroups": [
            {
                "InstanceGroupName": f"group-{i}",
                "InstanceType": "ml.g5.2xlarge" if i % 2 else "ml.c5.2xlarge",
                "InstanceCount": 2,
            }
            for i in range(5)
        ],
    }
    request["InputDataConfig"] = [
        channel(f"ch{i}", f"data/part-{i}", InstanceGroupNames=[f"group-{i % 5}"]) for i in range(20)
    ]
    request["HyperParameters"] = {f"hp{i}": str(i) for i in range(100)}
    request["Tags"] = tags(*(f"key-{i}" for i in range(50)))
    request["DebugRuleConfigurations"] = [
        {**r, "S3OutputPath": f"s3://{BUCKET}/debug/{i}/"}
        for i, r in enumerate(debug_rules(*(f"debug-{i}" for i in range(20))))
    ]
    request["ProfilerRuleConfigurations"] = debug_rules(*(f"profile-{i}" for i in range(20)))
    request["ProfilerConfig"] = {"S3OutputPath": f"s3://{BUCKET}/profiler/", "ProfilingIntervalInMilliseconds": 500}
    request["DebugHookConfig"] = {"S3OutputPath": f"s3://{BUCKET}/hook/"}
    request["CheckpointConfig"] = {"S3Uri": f"s3://{BUCKET}/checkpoints/"}
    request["AlgorithmSpecification"]["MetricDefinitions"] = [
        {"Name": f"m{i}", "Regex": f"m{i}=([0-9.]+)"} for i in range(10)
    ]
    return request


def test_large_request_is_clean():
    assert check_rules(large_request()) == []


# --- junk never crashes a rule ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _member_names():
    return sorted({p[-1] for p, _ in request_schema().walk() if p and isinstance(p[-1], str) and p[-1] != "*"})


INTERESTING = [
    "",
    "s3://b/x",
    "s3://ok-bucket//x",
    "s3://Bad_Bucket/x",
    "s3:///x",
    "s3://",
    "https://b.s3.amazonaws.com/k",
    "https://s3.us-east-1.amazonaws.com/",
    "https://",
    "ml.p4d.24xlarge",
    "ml.c5.xlarge",
    "ml.",
    "Pipe",
    "File",
    "FastFile",
    "Gzip",
    "RecordIO",
    "ShardedByS3Key",
    "AugmentedManifestFile",
    "Vpc",
    "Evaluation",
    "(",
    "[a-",
    "(?L)x",
    "aws:x",
    "train",
    "gpu",
    BUILTIN.format("seq2seq"),
    BUILTIN.format("image-classification"),
    "s3://x--x-s3/o",
    "\x00",
    "\U0001f600",
]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12), st.sampled_from(INTERESTING)
)


@lru_cache(maxsize=1)
def _junk():
    keys = st.one_of(st.sampled_from(_member_names()), st.text(max_size=6))
    return st.recursive(
        SCALARS,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
        max_leaves=25,
    )


_ABSENT = object()


def _shaped(node, depth=0):
    """Requests shaped like the model, with wrong types mixed in at every level."""
    wrong = st.one_of(SCALARS, st.lists(SCALARS, max_size=2), st.dictionaries(st.text(max_size=4), SCALARS, max_size=2))
    if node.kind == "structure" and depth < 8:
        # Each member present about half the time: deep members show up together often enough.
        members = {m.name: st.one_of(st.just(_ABSENT), _shaped(m, depth + 1)) for m in node.members}
        right = st.fixed_dictionaries(members).map(lambda d: {k: v for k, v in d.items() if v is not _ABSENT})
    elif node.kind == "list" and depth < 8:
        right = st.lists(_shaped(node.item, depth + 1), max_size=3)
    elif node.kind == "map" and depth < 8:
        right = st.dictionaries(
            st.sampled_from(["a", "b", "epochs"]) | st.text(max_size=4), _shaped(node.value, depth + 1), max_size=3
        )
    elif node.enum:
        right = st.sampled_from(node.enum)
    elif node.kind == "string":
        right = st.sampled_from(INTERESTING) | st.text(max_size=10)
    elif node.kind in ("integer", "long"):
        right = st.sampled_from([0, 1, 2, 3600, 7200, 86400, 2419201]) | st.integers()
    elif node.kind == "boolean":
        right = st.booleans()
    else:
        right = SCALARS
    return right if depth == 0 else st.one_of(*[right] * 5, wrong)


@lru_cache(maxsize=1)
def _shaped_request():
    return _shaped(request_schema())


def _paths_in(value, prefix=()):
    yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from _paths_in(child, prefix + (key,))


@st.composite
def _mutated_case(draw):
    """A request that makes some rule fire, with junk put in or fields taken out at random places."""
    request = draw(st.sampled_from(FIRES))[2]()
    wrong = st.one_of(SCALARS, st.lists(SCALARS, max_size=2), st.dictionaries(st.text(max_size=4), SCALARS, max_size=2))
    for _ in range(draw(st.integers(1, 5))):
        path = draw(st.sampled_from(list(_paths_in(request))[1:]))
        parent = get_at(request, path[:-1])
        if draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(wrong)
    return request


def _run_every_rule_unguarded(request):
    for rule in RULES:
        for finding in rule.check(request):  # called directly: a raise here fails the test
            assert isinstance(finding, Finding) and isinstance(finding.path, tuple)
            assert isinstance(finding.message, str) and isinstance(finding.related, tuple)


JUNK_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@JUNK_SETTINGS
@given(st.data())
def test_no_rule_raises_on_junk(data):
    request = data.draw(st.dictionaries(st.sampled_from(_member_names()), _junk(), max_size=8))
    _run_every_rule_unguarded(request)
    assert isinstance(check_rules(data.draw(_junk())), list)  # any value at all, not only objects


@JUNK_SETTINGS
@given(st.data())
def test_no_rule_raises_on_schema_shaped_junk(data):
    _run_every_rule_unguarded(data.draw(_shaped_request()))


@settings(JUNK_SETTINGS, max_examples=500)
@given(st.data())
def test_no_rule_raises_on_damaged_firing_cases(data):
    _run_every_rule_unguarded(data.draw(_mutated_case()))


NASTY = (None, 7, True, "x", [["x"]], {"k": ["x"]})


def test_no_rule_raises_whatever_single_field_of_a_firing_case_holds():
    # Exhaustive where hypothesis samples: every field of every firing case, swapped for each
    # kind of wrong value (unhashable ones included) or removed.
    for _, _, edit, _, _ in FIRES:
        request = edit()
        for path in list(_paths_in(request))[1:]:
            parent, key = get_at(request, path[:-1]), path[-1]
            original = parent[key]
            for junk in NASTY:
                parent[key] = junk
                _run_every_rule_unguarded(request)
            if isinstance(parent, dict):
                del parent[key]
                _run_every_rule_unguarded(request)
            parent[key] = original
