"""Under a field, a problem's message does not repeat the field's path (the label names it)."""

from __future__ import annotations

from smjob.problems import ERROR, Problem
from smjob.rules import check_rules

S3_PATH = ("InputDataConfig", 0, "DataSource", "S3DataSource", "S3Uri")


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
