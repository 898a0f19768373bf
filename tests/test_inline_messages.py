"""Under a field, a problem's message does not repeat the field's path (the label names it)."""

from __future__ import annotations

import copy
import re

import pytest

from smjob.paths import format_path, parse_path
from smjob.problems import ERROR, Problem
from smjob.rules import check_rules

S3_PATH = ("InputDataConfig", 0, "DataSource", "S3DataSource", "S3Uri")
IMAGE = ("AlgorithmSpecification", "TrainingImage")


def test_a_leading_path_becomes_this():
    problem = Problem(S3_PATH, "InputDataConfig[0].DataSource.S3DataSource.S3Uri is an HTTPS URL; use s3://", ERROR)
    assert problem.message_under(S3_PATH) == "This is an HTTPS URL; use s3://"
    assert problem.where in str(problem)  # the CLI and the problems list still name it


def test_the_end_of_the_path_is_dropped_too_but_not_a_name_with_a_value():
    rc = ("ResourceConfig", "VolumeKmsKeyId")
    assert Problem(rc, "VolumeKmsKeyId cannot be used with ml.p4d.24xlarge").message_under(rc) == (
        "This cannot be used with ml.p4d.24xlarge"
    )
    image = ("AlgorithmSpecification", "TrainingImage")
    kept = "TrainingImage 'x' is not an image reference"
    assert Problem(image, kept).message_under(image) == kept


def test_under_a_related_field_the_message_stays_whole():
    main, other = ("ResourceConfig", "InstanceCount"), ("ResourceConfig", "InstanceType")
    problem = Problem(main, "InstanceType is set but InstanceCount is not", ERROR, related=(other,))
    assert problem.message_under(other) == problem.message


def test_a_real_rule_message_under_its_field():
    request = {"OutputDataConfig": {"S3OutputPath": "https://bucket.s3.amazonaws.com/out"}}
    [problem] = [p for p in check_rules(request) if p.rule == "s3.https-uri"]
    assert problem.message.startswith("OutputDataConfig.S3OutputPath is an HTTPS URL")
    under = problem.message_under(problem.path)
    assert under.startswith("This is an HTTPS URL") and "OutputDataConfig" not in under


# --- every message, read under its field ----------------------------------------------------------

# What may follow "This": a verb of which the field is the subject. "This for metric ..." is a broken
# sentence, "This and InstanceCount ..." lost its subject, and "This names bucket ..." makes the field
# do what its value does: none is in the list.
VERBS = frozenset({"is", "has", "must", "cannot", "needs", "applies", "uses", "asks", "starts", "sets", "reads"})

# Values users type, beyond the rules' own firing cases (tests/test_rules.py FIRES): one bad field each.
BAD_VALUES = [
    ("RoleArn", None),
    ("RoleArn", "arn:aws:iam::12345678901:role/x"),
    ("TrainingJobName", "my_job"),
    ("AlgorithmSpecification.TrainingImage", "763104351884.dkr.ecr.us-east-1.amazonaws.com/my repo:latest"),
    ("AlgorithmSpecification.TrainingImage", "76310435188.dkr.ecr.us-east-1.amazonaws.com/pytorch:latest"),
    ("AlgorithmSpecification.TrainingImage", "https://763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch:latest"),
    ("AlgorithmSpecification.TrainingImage", "pytorch/pytorch:latest"),
    ("AlgorithmSpecification.TrainingImage", "ghcr.io/org/trainer:1"),
    ("AlgorithmSpecification.TrainingImage", "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch"),
    ("AlgorithmSpecification.MetricDefinitions", [{"Name": "my:metric", "Regex": "loss=("}]),
    ("OutputDataConfig.S3OutputPath", "s3:///x"),
    ("OutputDataConfig.S3OutputPath", "s3://my bucket/x"),
    ("OutputDataConfig.S3OutputPath", "https://bucket.s3.amazonaws.com/out"),
    ("OutputDataConfig.KmsKeyId", "arn:aws:kms:us-east-1:12345678901:key/abcd"),
    ("ResourceConfig.VolumeKmsKeyId", "arn:aws:kms:us-east-1:12345678901:key/abcd"),
    ("ResourceConfig.InstanceCount", 0),
    ("EnableManagedSpotTraining", True),
    ("StoppingCondition", {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 100}),
    ("HyperParameters.epochs", 10),
    ("Tags", [{"Key": "team!", "Value": "x"}]),
    ("VpcConfig", {"SecurityGroupIds": ["sg_0abc"], "Subnets": ["subnet 0abc"]}),
]


def _requests():
    from tests.support.requests import BASE
    from tests.test_rules import FIRES

    for _, _, edit, _, _ in FIRES:
        yield edit()
    for text, value in BAD_VALUES:
        request = copy.deepcopy(BASE)
        *parents, last = parse_path(text)
        parent = request
        for step in parents:
            parent = parent.setdefault(step, {})
        if value is None:
            del parent[last]
        else:
            parent[last] = value
        if text == "EnableManagedSpotTraining":
            request["StoppingCondition"].pop("MaxWaitTimeInSeconds", None)
        elif text == "StoppingCondition":
            request["EnableManagedSpotTraining"] = True
        yield request


def faults_under(problem: Problem) -> list[str]:
    """What is wrong with `problem`'s message as read under its field: [] when it reads well."""
    path, under = problem.path, problem.message_under(problem.path)
    faults = []
    m = re.match(r"This (\S+)", under)
    if m and m.group(1) not in VERBS:
        faults.append(f"'This {m.group(1)}' is not a sentence about the field")
    for name in names(path):
        if re.match(re.escape(name) + r"(?![\w\[.])", under):
            faults.append(f"starts with the field's own name {name!r}")
    if len(path) > 1 and format_path(path) in under:
        faults.append(f"names the field's own path {format_path(path)!r}")
    return faults


def test_every_message_reads_well_under_its_field():
    from smjob.validate import validate

    bad = {}
    for request in _requests():
        for problem in validate(request, region="us-east-1"):
            if problem.path and (faults := faults_under(problem)):
                bad[(problem.rule, problem.message_under(problem.path))] = faults
    assert not bad, "\n".join(f"[{rule}] {under}\n    {faults}" for (rule, under), faults in bad.items())


def test_the_check_finds_what_the_reviewer_saw():
    """The faults the walk above looks for, on the messages a reviewer found on screen."""
    regex = ("AlgorithmSpecification", "MetricDefinitions", 3, "Regex")
    assert faults_under(Problem(regex, "MetricDefinitions[3].Regex for metric 'm' is not a valid regex"))
    s3 = ("OutputDataConfig", "S3OutputPath")
    assert faults_under(Problem(s3, "OutputDataConfig.S3OutputPath names bucket 'my bucket', which is not valid"))
    wait = ("StoppingCondition", "MaxWaitTimeInSeconds")
    assert faults_under(Problem(wait, "MaxWaitTimeInSeconds (100) must be at least MaxRuntimeInSeconds (3600)"))
    assert faults_under(Problem(wait, "Managed Spot training needs StoppingCondition.MaxWaitTimeInSeconds, set it"))
    assert faults_under(Problem(IMAGE, "TrainingImage '…/pytorch:2.1' is not an Amazon ECR image"))
    assert faults_under(Problem(("RoleArn",), "RoleArn is required")) == []  # "This is required"


# --- the problems list names the path once ------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message", "line"),
    [
        (("RoleArn",), "RoleArn is required", "RoleArn is required"),
        (
            ("AlgorithmSpecification", "MetricDefinitions", 3, "Regex"),
            "MetricDefinitions[3].Regex is not a valid regular expression",
            "AlgorithmSpecification.MetricDefinitions[3].Regex is not a valid regular expression",
        ),
        (("TrainingJobName",), "has '_' at character 3", "TrainingJobName: has '_' at character 3"),
        ((), "the request must be a JSON object", "(request): the request must be a JSON object"),
        (("RoleArn",), "RoleArnX is not a name", "RoleArn: RoleArnX is not a name"),  # a longer word is not the name
    ],
)
def test_the_problems_list_names_the_path_once(path, message, line):
    where, rest = Problem(path, message).listed()
    assert where + rest == line


def names(path) -> list[str]:
    """The field's names a message can start with: its path and each end of it ("Regex" is one)."""
    return [format_path(path[start:]) for start, step in enumerate(path) if isinstance(step, str)]


def test_no_line_of_the_problems_list_names_its_field_twice():
    from smjob.validate import validate
    from smjob.widgets.problems_panel import _prompt

    for request in _requests():
        for problem in validate(request, region="us-east-1"):
            line = _prompt(problem).plain
            assert line.startswith(("✗ " + problem.where, "! " + problem.where)), line
            rest = line[len(problem.where) + 2 :]
            for name in names(problem.path):
                assert not rest.startswith(f": {name} "), line
