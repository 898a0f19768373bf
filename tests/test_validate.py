import copy

import pytest

from smjob.paths import format_path, parse_path
from smjob.validate import schema_problems

BASE = {
    "TrainingJobName": "resnet-50-run-1",
    "AlgorithmSpecification": {"TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/img:1", "TrainingInputMode": "File"},
    "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
    "InputDataConfig": [
        {"ChannelName": "train", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://bucket/train/"}}},
        {"ChannelName": "validation", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://bucket/val/"}}},
    ],
    "OutputDataConfig": {"S3OutputPath": "s3://bucket/output/"},
    "ResourceConfig": {"InstanceType": "ml.g5.2xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
    "StoppingCondition": {"MaxRuntimeInSeconds": 7200},
    "HyperParameters": {"epochs": "10"},
}


def problems_for(mutate):
    request = copy.deepcopy(BASE)
    mutate(request)
    return {(format_path(p.path), p.rule): p.message for p in schema_problems(request)}


def test_baseline_is_valid():
    assert schema_problems(BASE) == []


@pytest.mark.parametrize(
    ("mutate", "path", "rule", "needle"),
    [
        (lambda r: r.update(TrainingJobName="my_job"), "TrainingJobName", "schema.pattern", "does not match"),
        (lambda r: r.update(TrainingJobName="x" * 64), "TrainingJobName", "schema.length", "at most 63 characters (is 64)"),
        (lambda r: r.update(TrainingJobName=""), "TrainingJobName", "schema.length", "must not be empty"),
        (lambda r: r.pop("RoleArn"), "RoleArn", "schema.required", "RoleArn is required"),
        (lambda r: r["ResourceConfig"].update(InstanceType="ml.t2.medium"), "ResourceConfig.InstanceType", "schema.enum", "not an allowed value"),
        (lambda r: r["ResourceConfig"].update(InstanceType="ml.p3.2xlarg"), "ResourceConfig.InstanceType", "schema.enum", "ml.p3.2xlarge"),
        (lambda r: r["ResourceConfig"].update(InstanceCount="2"), "ResourceConfig.InstanceCount", "schema.type", "must be an integer, got '2'"),
        (lambda r: r["ResourceConfig"].update(InstanceCount=True), "ResourceConfig.InstanceCount", "schema.type", "integer"),
        (lambda r: r["ResourceConfig"].update(InstanceCount=-1), "ResourceConfig.InstanceCount", "schema.range", "at least 0"),
        (lambda r: r["StoppingCondition"].update(MaxRuntimeInSeconds=0), "StoppingCondition.MaxRuntimeInSeconds", "schema.range", "at least 1"),
        (lambda r: r["StoppingCondition"].update(MaxRuntimeInSeconds=None), "StoppingCondition.MaxRuntimeInSeconds", "schema.type", "got null"),
        (lambda r: r.update(EnableManagedSpotTraining="yes"), "EnableManagedSpotTraining", "schema.type", "true or false"),
        (lambda r: r["InputDataConfig"][1]["DataSource"].update(S3DataSorce={}), "InputDataConfig[1].DataSource.S3DataSorce", "schema.unknown", "did you mean 'S3DataSource'"),
        (lambda r: r.update(Tagz=[]), "Tagz", "schema.unknown", "did you mean 'Tags'"),
        (lambda r: r["InputDataConfig"][1]["DataSource"]["S3DataSource"].pop("S3Uri"), "InputDataConfig[1].DataSource.S3DataSource.S3Uri", "schema.required", "required"),
        (lambda r: r["InputDataConfig"][0]["DataSource"]["S3DataSource"].update(S3DataType="S3Prefx"), "InputDataConfig[0].DataSource.S3DataSource.S3DataType", "schema.enum", "allowed: ManifestFile, S3Prefix, AugmentedManifestFile"),
        (lambda r: r["HyperParameters"].update(big="x" * 2501), "HyperParameters.big", "schema.length", "at most 2500"),
        (lambda r: r["HyperParameters"].update({"k" * 257: "v"}), "HyperParameters." + "k" * 257, "schema.length", "key"),
        (lambda r: r["HyperParameters"].update(lr=0.1), "HyperParameters.lr", "schema.type", "must be a string, got 0.1"),
        (lambda r: r.update(HyperParameters={str(i): "v" for i in range(101)}), "HyperParameters", "schema.count", "at most 100"),
        (lambda r: r.update(InputDataConfig="train"), "InputDataConfig", "schema.type", "must be a list"),
        (lambda r: r.update(InputDataConfig=[]), "InputDataConfig", "schema.count", "at least 1"),
        (lambda r: r.update(OutputDataConfig="s3://b/"), "OutputDataConfig", "schema.type", "must be an object"),
    ],
)
def test_single_field_problems_name_the_field(mutate, path, rule, needle):
    found = problems_for(mutate)
    assert (path, rule) in found, found
    assert needle in found[(path, rule)]


def test_non_object_request():
    [problem] = schema_problems(["not", "a", "request"])
    assert problem.path == () and "JSON object" in problem.message


def test_hostile_values_do_not_break_messages():
    request = copy.deepcopy(BASE)
    request["TrainingJobName"] = "[red]x\x1b[31m$(rm -rf /)"
    [problem] = schema_problems(request)
    assert problem.rule == "schema.pattern"
    assert "\\x1b" in problem.message  # repr keeps escape codes inert


@pytest.mark.parametrize(
    "path",
    [
        ("InputDataConfig", 1, "DataSource", "S3DataSource", "S3Uri"),
        ("HyperParameters", "my key.with[dots]"),
        ("HyperParameters", 'quote"back\\slash'),
        ("Tags", 0, "Key"),
        (),
    ],
)
def test_paths_round_trip(path):
    assert parse_path(format_path(path)) == path


def test_path_text():
    assert format_path(("InputDataConfig", 1, "DataSource", "S3DataSource", "S3Uri")) == "InputDataConfig[1].DataSource.S3DataSource.S3Uri"
