"""Pattern failures in words (smjob.pattern_words): the expected form read from the model's pattern,
and what is wrong with this value, for the shapes people meet."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smjob.javaregex import compile_java
from smjob.paths import format_path
from smjob.pattern_words import describe, template
from smjob.schema import request_schema
from smjob.validate import schema_problems

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"


def node_at(*path):
    node = request_schema().at(path[:-1]) if path[-1] == "[key]" else request_schema().at(path)
    return node.key if path[-1] == "[key]" else node


def words(path: tuple, value: str) -> str:
    node = node_at(*path)
    assert compile_java(node.pattern).fullmatch(value) is None, "the value must fail the pattern"
    described = describe(node.pattern, value, node.shape)
    assert described is not None
    return described.message()


@pytest.mark.parametrize(
    ("path", "value", "needles"),
    [
        (("RoleArn",), "arn:aws:iam::12345678901:role/x", ["the account has 11 digits; it needs 12"]),
        (("RoleArn",), "arn:aws:iam::1234567890123:role/x", ["the account has 13 digits; it needs 12"]),
        (("RoleArn",), "arn:aws:iam::123456789012:role/my role", ["has a space at character 34 (in the resource)"]),
        (("RoleArn",), "iam::123456789012:role/x", ["must start with arn:aws"]),
        (("RoleArn",), "arn:aws:iam::123456789012", ["ends too early: ':role' and what follows it are missing"]),
        (("RoleArn",), "arn:aws:iam::123456789012:user/x", ["has 'u' at character 27"]),
        (("OutputDataConfig", "S3OutputPath"), "my-bucket/out", ["has no scheme: start with s3:// or https://"]),
        (("OutputDataConfig", "S3OutputPath"), "ftp://bucket/x", ["must start with s3:// or https://"]),
        (("OutputDataConfig", "S3OutputPath"), "s3:///x", ["the bucket name is missing after 's3://'"]),
        (("OutputDataConfig", "S3OutputPath"), "https://", ["the bucket name is missing after 'https://'"]),
        (("VpcConfig", "Subnets", 0), "subnet 0abc", ["has a space at character 7", "letters and -"]),
        (("VpcConfig", "SecurityGroupIds", 0), "sg_0abc", ["has '_' at character 3", "e.g. sg-"]),
        (("OutputDataConfig", "KmsKeyId"), "alias/my key", ["has a space at character 9", "e.g. alias/my-key"]),
        (("TrainingJobName",), "job-", ["cannot end with '-'", "starting and ending with a letter or digit"]),
        (("TrainingJobName",), "my_job", ["has '_' at character 3", "up to 63 letters, digits and hyphens"]),
        (("TrainingJobName",), "-job", ["has '-' at character 1; expected up to 63 letters, digits and hyphens"]),
        (("Tags", 0, "Key"), "team!", ["has '!' at character 5", "letters, spaces, digits and _ . : / = + - @"]),
        (("Environment", "[key]"), "WANDB MODE", ["has a space at character 6", "e.g. WANDB_MODE"]),
        (("Environment", "[key]"), "1ABC", ["has '1' at character 1", "expected a letter or '_', then"]),
        (
            ("ResourceConfig", "TrainingPlanArn"),
            "arn:aws:sagemaker:us-east-1:1234:training-plan/some-long-plan-name",
            ["the account has 4 digits; it needs 12", "training-plan/<name>"],
        ),
        (
            ("InputDataConfig", 0, "DataSource", "FileSystemDataSource", "FileSystemId"),
            "fs-12",
            ["has 2 characters; it needs at least 8", "fs-<8 or more digits and a-f>"],
        ),
        (("AlgorithmSpecification", "AlgorithmName"), "my-algo-", ["must not end with '-'"]),
        (("ServerlessJobConfig", "SequenceLength"), "8k", ["has 'k' at character 2 where 'K' or a digit should be"]),
    ],
)
def test_what_is_wrong_in_words(path, value, needles):
    message = words(path, value)
    for needle in needles:
        assert needle in message, message
    assert "\\d" not in message and "[a-z" not in message  # no regex


@pytest.mark.parametrize(
    ("shape_path", "expected"),
    [
        (("RoleArn",), "arn:aws:iam::<12-digit account>:role/<name>"),
        (("ResourceConfig", "TrainingPlanArn"), "arn:aws:sagemaker:<region>:<12-digit account>:training-plan/<name>"),
        (
            (
                "AlgorithmSpecification",
                "TrainingImageConfig",
                "TrainingRepositoryAuthConfig",
                "TrainingRepositoryCredentialsProviderArn",
            ),
            "arn:aws:lambda:<region>:<12-digit account>:function:<name>",
        ),
        (("VpcConfig", "Subnets", 0), "digits, letters and -"),
        (("InputDataConfig", 0, "ChannelName"), "letters, digits and . - _"),
    ],
)
def test_expected_form_is_read_from_the_pattern(shape_path, expected):
    assert template(node_at(*shape_path).pattern) == expected


def test_named_parts_are_named():
    """Java's named groups (smjob's own patterns) name the part a problem is in, or say it is missing."""
    pattern = r"(?<account>[0-9]{3})\.(?<name>[a-z]+)(?::(?<tag>[a-z0-9]+))?"
    cases = {
        "12.ab": "the account has 2 digits; it needs 3",
        "123.aB": "has 'B' at character 6 (in the name)",
        "123.": "the name is missing after '123.'",
        "123.:x": "the name is missing after '123.'",  # the start is short: quoted, not counted
        "123.ab:": "the tag is missing after '123.ab:'",
        "123.abcdefgh:": "the tag is missing at the end",
        ".ab": "the account is missing before '.' at character 1",
        "a23.ab": "has 'a' at character 1 (in the account)",  # a wrong character, not a missing part
    }
    for value, words in cases.items():
        assert describe(pattern, value).problem.startswith(words), (value, describe(pattern, value).problem)


def test_part_names_match_the_model_patterns():
    """PARTS names a model pattern's capturing groups by position: as many names as groups."""
    import re

    from smjob.javaregex import translate
    from smjob.pattern_words import PARTS

    shapes = {shape: pattern for pattern, shape in PATTERNS}
    for shape, names in PARTS.items():
        assert re.compile(translate(shapes[shape])).groups == len(names), shape


def test_an_unreadable_pattern_gives_none():
    assert describe("a[b[c]]", "x") is None  # nested classes: the caller keeps the regex
    assert describe("(?i)abc", "x") is None


def test_the_validator_says_it_in_words_at_every_path_with_the_pattern():
    """Keyed by pattern and shape, not by field path: every S3 location gets the same words."""
    from tests.support.requests import BASE

    request = copy.deepcopy(BASE)
    request["OutputDataConfig"]["S3OutputPath"] = "bucket/out"
    request["CheckpointConfig"] = {"S3Uri": "bucket/ckpt"}
    request["RoleArn"] = "arn:aws:iam::12345678901:role/x"
    found = {format_path(p.path): p.message for p in schema_problems(request) if p.rule == "schema.pattern"}
    for path in ("OutputDataConfig.S3OutputPath", "CheckpointConfig.S3Uri"):
        assert found[path].startswith("has no scheme: start with s3:// or https://"), found
    assert found["RoleArn"].startswith("the account has 11 digits; it needs 12; expected arn:aws:iam::")
    assert "does not match" not in " ".join(found.values())


def test_a_map_key_is_named_once():
    from tests.support.requests import BASE

    request = copy.deepcopy(BASE)
    request["Environment"] = {"WANDB_MODE=offline": "x"}
    [problem] = [p for p in schema_problems(request) if p.rule == "schema.pattern"]
    assert problem.message.startswith("key 'WANDB_MODE=offline' has '=' at character 11;"), problem.message
    assert problem.message.count("WANDB_MODE=offline") == 1


PATTERNS = sorted(
    {
        (n.pattern, n.shape)
        for _, node in request_schema().walk()
        for n in (node, node.key, node.item)
        if n and n.pattern
    }
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS), st.text(max_size=40))
def test_any_failing_value_gets_words_without_raw_control_characters(pattern_shape, value):
    pattern, shape = pattern_shape
    if compile_java(pattern).fullmatch(value) is not None:
        return
    described = describe(pattern, value, shape)
    assert described is not None
    message = described.message()
    assert message and all(ch.isprintable() for ch in message), message
