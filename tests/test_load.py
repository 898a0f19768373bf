"""Importers (smjob.load) and the shipped examples (smjob.examples)."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest

from smjob.examples import load_example, names
from smjob.load import MAX_DEPTH, LoadError, LoadResult, from_describe, load_file, load_text
from smjob.paths import format_path, get_at
from smjob.schema import request_schema

EXAMPLES = {"pytorch-gpu", "xgboost-distributed", "spot-checkpoints", "byoc-vpc", "heterogeneous"}
ROLE = "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20240101T000000"


def example_path(name: str) -> Path:
    return Path(str(resources.files("smjob.examples").joinpath(f"{name}.json")))


@pytest.fixture(scope="module")
def model():
    import botocore.session

    return botocore.session.get_session().get_service_model("sagemaker")


@pytest.fixture(scope="module")
def input_shape(model):
    return model.operation_model("CreateTrainingJob").input_shape


@pytest.fixture(scope="module")
def describe_shape(model):
    return model.operation_model("DescribeTrainingJob").output_shape


def load_error(text: str, *, source: str = "<text>", fmt: str | None = None) -> LoadError:
    with pytest.raises(LoadError) as info:
        load_text(text, source=source, fmt=fmt)
    return info.value


def file_error(path) -> LoadError:
    with pytest.raises(LoadError) as info:
        load_file(path)
    return info.value


def rules(result: LoadResult) -> list[str]:
    return [note.rule for note in result.notes]


# --- examples ------------------------------------------------------------------------------


def _compile(pattern: str):
    import regex  # the test extra's; understands the model's Java-style \p{...} classes

    return regex.compile(pattern)


def model_errors(value, shape, path="") -> list[str]:
    """Everything botocore's own validator skips: max, pattern and enum (plus types and min)."""
    meta, kind, errors = shape.metadata, shape.type_name, []
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected an object"]
        errors += [f"{path}.{name}: missing" for name in shape.required_members if name not in value]
        for name, item in value.items():
            if name not in shape.members:
                errors.append(f"{path}.{name}: unknown")
            else:
                errors += model_errors(item, shape.members[name], f"{path}.{name}")
        return errors
    if kind in ("list", "map", "string"):
        if kind == "string" and not isinstance(value, str):
            return [f"{path}: expected a string"]
        size = len(value)
        if size < meta.get("min", 0) or size > meta.get("max", size):
            errors.append(f"{path}: length {size} outside {meta.get('min')}..{meta.get('max')}")
    if kind == "list":
        for index, item in enumerate(value):
            errors += model_errors(item, shape.member, f"{path}[{index}]")
    elif kind == "map":
        for key, item in value.items():
            errors += model_errors(key, shape.key, f"{path}<key {key}>")
            errors += model_errors(item, shape.value, f"{path}.{key}")
    elif kind == "string":
        if shape.enum and value not in shape.enum:
            errors.append(f"{path}: {value!r} not in the enum")
        compiled = _compile(meta["pattern"]) if "pattern" in meta else None
        if compiled is not None and not compiled.fullmatch(value):
            errors.append(f"{path}: {value!r} does not match /{meta['pattern']}/")
    elif kind in ("integer", "long"):
        if type(value) is not int:
            errors.append(f"{path}: expected an integer")
        elif value < meta.get("min", value) or value > meta.get("max", value):
            errors.append(f"{path}: {value} outside {meta.get('min')}..{meta.get('max')}")
    elif kind == "boolean" and not isinstance(value, bool):
        errors.append(f"{path}: expected a boolean")
    return errors


def key_order_errors(value, node, path=()) -> list[str]:
    if node.kind == "structure" and isinstance(value, dict):
        order = [m.name for m in node.members]
        keys = list(value)
        errors = [] if keys == sorted(keys, key=order.index) else [f"{format_path(path) or '(top)'}: {keys}"]
        for key, item in value.items():
            errors += key_order_errors(item, node.member(key), path + (key,))
        return errors
    if node.kind == "list":
        return [e for i, item in enumerate(value) for e in key_order_errors(item, node.item, path + (i,))]
    return []


def test_example_names():
    assert set(names()) == EXAMPLES
    assert names() == sorted(names())


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_is_valid_for_botocore(name, input_shape):
    from botocore.validate import ParamValidator

    request = load_example(name)
    report = ParamValidator().validate(request, input_shape)
    assert not report.has_errors(), report.generate_report()
    assert model_errors(request, input_shape) == []
    assert key_order_errors(request, request_schema()) == []
    assert request["RoleArn"] == ROLE
    assert request["TrainingJobName"] and len(request["TrainingJobName"]) <= 63


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_loads_from_its_file_unchanged(name):
    result = load_file(example_path(name))
    assert result == LoadResult(load_example(name), [], "request", source=str(example_path(name)))
    assert load_example(f"{name}.json") == load_example(name)


def test_examples_are_sensible_for_aws():
    pytorch = load_example("pytorch-gpu")
    assert pytorch["AlgorithmSpecification"]["TrainingImage"] == (
        "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311-cu121-ubuntu20.04-sagemaker"
    )
    assert pytorch["ResourceConfig"] == {"InstanceType": "ml.g5.2xlarge", "InstanceCount": 1}
    assert [c["ChannelName"] for c in pytorch["InputDataConfig"]] == ["train", "validation"]
    assert {"sagemaker_program", "sagemaker_submit_directory"} <= set(pytorch["HyperParameters"])
    assert pytorch["AlgorithmSpecification"]["MetricDefinitions"] and pytorch["Tags"] and pytorch["Environment"]

    xgb = load_example("xgboost-distributed")
    assert xgb["AlgorithmSpecification"]["TrainingImage"].endswith("/sagemaker-xgboost:1.7-1")
    assert (xgb["ResourceConfig"]["InstanceType"], xgb["ResourceConfig"]["InstanceCount"]) == ("ml.m5.2xlarge", 4)
    train = xgb["InputDataConfig"][0]
    assert train["DataSource"]["S3DataSource"]["S3DataDistributionType"] == "ShardedByS3Key"
    assert train["ContentType"] == "text/csv"

    spot = load_example("spot-checkpoints")
    stop = spot["StoppingCondition"]
    assert spot["EnableManagedSpotTraining"] is True
    assert stop["MaxWaitTimeInSeconds"] >= stop["MaxRuntimeInSeconds"]
    assert spot["CheckpointConfig"]["S3Uri"].startswith("s3://")

    byoc = load_example("byoc-vpc")
    assert byoc["AlgorithmSpecification"]["TrainingImage"].startswith("123456789012.dkr.ecr.")
    assert byoc["EnableNetworkIsolation"] is True and byoc["EnableInterContainerTrafficEncryption"] is True
    assert byoc["ResourceConfig"]["InstanceType"] == "ml.c5.4xlarge"  # EBS-only: a volume KMS key is allowed
    assert byoc["ResourceConfig"]["VolumeKmsKeyId"] and byoc["OutputDataConfig"]["KmsKeyId"]
    assert byoc["VpcConfig"]["Subnets"] and byoc["VpcConfig"]["SecurityGroupIds"]

    hetero = load_example("heterogeneous")
    groups = {g["InstanceGroupName"] for g in hetero["ResourceConfig"]["InstanceGroups"]}
    assert not {"InstanceType", "InstanceCount"} & set(hetero["ResourceConfig"])
    for channel in hetero["InputDataConfig"]:
        assert set(channel["DataSource"]["S3DataSource"]["InstanceGroupNames"]) <= groups


def test_unknown_example_lists_the_available_ones():
    with pytest.raises(ValueError) as info:
        load_example("tensorflow")
    assert "'tensorflow'" in str(info.value)
    for name in EXAMPLES:
        assert name in str(info.value)


def test_examples_are_independent_copies():
    first = load_example("pytorch-gpu")
    first["HyperParameters"]["epochs"] = "999"
    assert load_example("pytorch-gpu")["HyperParameters"]["epochs"] == "20"


# --- syntax errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, text, line, column, message",
    [
        (
            "job.json",
            '{\n  "TrainingJobName": "a",\n}',
            3,
            1,
            "Expecting property name enclosed in double quotes (a trailing comma before '}'?)",
        ),
        ("job.json", '{\n  "TrainingJobName": "a"\n  "RoleArn": "b"\n}', 3, 3, "Expecting ',' delimiter"),
        ("job.json", '{"TrainingJobName": "a', 1, 21, "Unterminated string starting at"),
        ("job.json", "  [1, 2]", 1, 3, "the request must be a JSON object, got a list"),
        ("job.json", '"job"', 1, 1, "the request must be a JSON object, got a string"),
        ("job.json", "null", 1, 1, "the request must be a JSON object, got null"),
        (
            "job.json",
            '{\n  "ResourceConfig": {\n    "InstanceCount": 1,\n    "InstanceCount": 2\n  }\n}',
            4,
            5,
            'duplicate key "InstanceCount" (first defined on line 3)',
        ),
        ("job.json", '{"a": {"x": 1}, "b": {"x": 1}, "a": 2}', 1, 32, 'duplicate key "a" (first defined on line 1)'),
        ("job.json", '{"\\u0061": 1, "a": 2}', 1, 15, 'duplicate key "a"'),
        ("job.json", '{"HyperParameters": {"lr": NaN}}', 1, 28, "HyperParameters.lr: NaN is not a finite number"),
        ("job.yaml", "TrainingJobName: a\nRoleArn: b: c\n", 2, 11, "mapping values are not allowed"),
        ("job.yaml", 'TrainingJobName: "unterminated\n', 2, 1, "found unexpected end of stream"),
        (
            "job.yaml",
            "HyperParameters:\n  lr: 1\n  epochs: 2\n  lr: 3\n",
            4,
            3,
            'duplicate key "lr" (first defined on line 2)',
        ),
        ("job.yaml", "- a\n- b\n", 1, 1, "the request must be a mapping, got a list"),
        ("job.yaml", "just text\n", 1, 1, "the request must be a mapping, got a string"),
        ("job.yaml", "a: 1\n---\nb: 2\n", 2, 1, "more than one YAML document"),
        ("job.yaml", "a: !!bool maybe\n", 1, 4, "'maybe' is not a boolean"),
    ],
)
def test_syntax_errors_have_a_location(source, text, line, column, message):
    error = load_error(text, source=source, fmt=source.rsplit(".", 1)[1])
    assert (error.source, error.line, error.column) == (source, line, column), str(error)
    assert message in error.message
    assert str(error) == f"{source}:{line}:{column}: {error.message}"


def test_error_without_a_location_prints_just_the_source():
    error = load_error("# only a comment\n", source="job.yaml", fmt="yaml")
    assert (error.line, error.column) == (None, None)
    assert str(error) == "job.yaml: the document is empty (only comments or a bare ---)"


@pytest.mark.parametrize("text", ["", "   \n\t\n"])
def test_empty_text(text):
    assert load_error(text).message == "the document is empty"


def test_yaml_merge_keys_are_not_duplicates():
    text = "base: &base {S3DataType: S3Prefix, S3Uri: 's3://b/a/'}\nS3DataSource:\n  <<: *base\n  S3Uri: s3://b/x/\n"
    request = load_text(text, fmt="yaml").request
    assert request["S3DataSource"] == {"S3DataType": "S3Prefix", "S3Uri": "s3://b/x/"}


def test_yaml_aliases_become_independent_values():
    request = load_text("Tags: &t [{Key: a, Value: b}]\nCopy: *t\n", fmt="yaml").request
    request["Tags"][0]["Value"] = "changed"
    assert request["Copy"] == [{"Key": "a", "Value": "b"}]


def test_format_sniffing_without_an_extension(tmp_path):
    (tmp_path / "job").write_text('{"TrainingJobName": "a"}')
    (tmp_path / "job.txt").write_text("TrainingJobName: a\n")
    (tmp_path / "flow").write_text("{TrainingJobName: a}")  # JSON-looking, but YAML flow style
    for name in ("job", "job.txt", "flow"):
        assert load_file(tmp_path / name).request == {"TrainingJobName": "a"}
    # An explicit .json extension is strict.
    (tmp_path / "flow.json").write_text("{TrainingJobName: a}")
    assert file_error(tmp_path / "flow.json").line == 1
    with pytest.raises(ValueError):
        load_text("{}", fmt="toml")


def test_a_sniffed_json_error_is_reported_as_json():
    error = load_error('{"TrainingJobName": "a",, "x": [}')
    assert error.message.startswith("Expecting")


# --- file errors ---------------------------------------------------------------------------


def test_missing_file(tmp_path):
    error = file_error(tmp_path / "nope.json")
    assert error.message == "no such file" and error.line is None
    assert str(error) == f"{tmp_path / 'nope.json'}: no such file"


def test_directory(tmp_path):
    assert file_error(tmp_path).message == "is a directory, not a request file"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.json"
    path.write_text("{}")
    path.chmod(0)
    try:
        assert file_error(path).message == "permission denied: cannot read the file"
    finally:
        path.chmod(0o600)


def test_permission_denied_on_open(tmp_path, monkeypatch):
    # The same path as test_unreadable_file, reachable when the tests run as root.
    path = tmp_path / "secret.json"
    path.write_text("{}")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("smjob.load.open", denied, raising=False)
    assert file_error(path).message == "permission denied: cannot read the file"


def test_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)

    def must_not_open(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr("smjob.load.open", must_not_open, raising=False)
    error = file_error(path)
    assert error.message.startswith("the file is 50 MB; the limit is 10 MB")


def test_size_limit_applies_to_what_is_read(tmp_path):
    path = tmp_path / "job.json"
    path.write_text(json.dumps({"HyperParameters": {"blob": "x" * 300_000}}))  # ~300 KB is legitimate
    assert len(load_file(path).request["HyperParameters"]["blob"]) == 300_000
    with pytest.raises(LoadError, match="the limit is 1 KB"):
        load_file(path, max_bytes=1024)
    with pytest.raises(LoadError, match="the limit is 1 KB"):
        load_text("x" * 2000, max_bytes=1024)


def test_nul_bytes(tmp_path):
    path = tmp_path / "job.json"
    path.write_bytes(b'{"a": 1}\n  \x00\x00')
    error = file_error(path)
    assert (error.line, error.column) == (2, 3)
    assert error.message.startswith("contains a NUL byte at byte offset 11")
    assert "binary" in error.message
    assert load_error('{"a": "\x00"}').message.startswith("contains a NUL character at offset 7")


def test_utf16_file_is_caught_by_its_nul_bytes(tmp_path):
    path = tmp_path / "job.json"
    path.write_text('{"TrainingJobName": "a"}', encoding="utf-16")
    assert "UTF-16" in file_error(path).message


def test_invalid_utf8(tmp_path):
    data = '{\n  "TrainingJobName": "café",\n'.encode() + b'  "RoleArn": "caf\xe9"\n}'
    path = tmp_path / "job.json"
    path.write_bytes(data)
    error = file_error(path)
    offset = data.index(b"\xe9")
    assert error.message == f"invalid UTF-8 at byte offset {offset} (byte 0xe9); save the file as UTF-8"
    assert (error.line, error.column) == (3, 18)


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "job.json"
    path.write_bytes(b'\xef\xbb\xbf{"TrainingJobName": "a"}')
    assert load_file(path).request == {"TrainingJobName": "a"}


@pytest.mark.parametrize("content", [b"", b"  \n\n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "job.yaml"
    path.write_bytes(content)
    assert file_error(path).message == "the file is empty"


# --- hostile documents ---------------------------------------------------------------------


def test_deep_json_nesting(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 10_000 + "]" * 10_000)
    start = time.perf_counter()
    error = file_error(path)
    assert time.perf_counter() - start < 1
    assert (error.line, error.column) == (1, MAX_DEPTH + 1)
    assert f"nests deeper than {MAX_DEPTH} levels" in error.message


def test_deep_json_object_nesting():
    error = load_error('{"a":' * 10_000 + "1" + "}" * 10_000, fmt="json")
    assert (error.line, error.column) == (1, 5 * MAX_DEPTH + 1)


def test_nesting_up_to_the_limit_is_fine():
    text = '{"a":' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    assert "a" in load_text(text).request
    text = '{"a":' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}"
    assert "nests deeper" in load_error(text).message


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,  # flow style
        "a:" + "".join("\n" + " " * i + f"k{i}:" for i in range(1, 150)) + " 1\n",  # block style
    ],
)
def test_deep_yaml_nesting(text):
    error = load_error(text, fmt="yaml")
    assert f"nests deeper than {MAX_DEPTH} levels" in error.message
    assert error.line is not None


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_yaml_billion_laughs(tmp_path):
    path = tmp_path / "lol.yaml"
    path.write_text(BILLION_LAUGHS)
    start = time.perf_counter()
    error = file_error(path)
    assert time.perf_counter() - start < 1
    assert "billion laughs" in error.message and "aliases" in error.message
    assert error.line == 6  # where the running total first passes the limit


def test_yaml_billion_laughs_as_a_map_of_maps():
    lines = ["l0: &l0 {a: lol, b: lol, c: lol, d: lol, e: lol, f: lol, g: lol, h: lol, i: lol, j: lol}"]
    lines += [f"l{i}: &l{i} {{" + ", ".join(f"k{j}: *l{i - 1}" for j in range(10)) + "}" for i in range(1, 10)]
    assert "billion laughs" in load_error("\n".join(lines), fmt="yaml").message


@pytest.mark.parametrize(
    "text, tag",
    [
        ('run: !!python/object/apply:os.system ["touch {marker}"]\n', "!!python/object/apply:os.system"),
        ("run: !!python/name:os.system\n", "!!python/name:os.system"),
        ('run: !!python/object/new:subprocess.Popen [["touch", "{marker}"]]\n', "!!python/object/new:subprocess.Popen"),
        ("data: !!binary aGVsbG8=\n", "!!binary"),
        ("role: !GetAtt Role.Arn\n", "!GetAtt"),
        ("names: !!set {a, b}\n", "!!set"),
    ],
)
def test_yaml_tags_are_refused_and_nothing_runs(tmp_path, text, tag):
    marker = tmp_path / "pwned"
    error = load_error(text.replace("{marker}", str(marker)), source="job.yaml", fmt="yaml")
    assert error.message.startswith(f"the YAML tag {tag} is not allowed")
    assert (error.line, error.column) == (1, text.index(":") + 3)
    assert not marker.exists()


def test_a_tagged_document_is_refused(capfd):
    error = load_error('!!python/object/apply:os.system ["echo pwned"]\n', source="job.yaml", fmt="yaml")
    assert str(error).startswith("job.yaml:1:1: the YAML tag !!python/object/apply:os.system is not allowed")
    assert "pwned" not in capfd.readouterr().out


def test_plain_yaml_tags_are_allowed():
    request = load_text("TrainingJobName: !!str job\nHyperParameters: {a: ! 12, b: !!str 1.5}\n").request
    assert request == {"TrainingJobName": "job", "HyperParameters": {"a": "12", "b": "1.5"}}


# --- strings for string fields ---------------------------------------------------------------

HP_YAML = """\
TrainingJobName: job
HyperParameters:
  lr: 0.1
  eps: 1.0e-5
  tiny: 1e-5
  epochs: 10
  use_amp: true
  shuffle: false
  optimizer: adam
  batch: "32"
Environment:
  WORKERS: 4
  DEBUG: true
Tags:
  - Key: cost-center
    Value: 1234
"""


def test_numbers_and_booleans_become_strings():
    result = load_text(HP_YAML, source="job.yaml", fmt="yaml")
    assert result.kind == "request"
    assert result.request["HyperParameters"] == {
        "lr": "0.1",
        "eps": "1e-05",
        "tiny": "1e-05",
        "epochs": "10",
        "use_amp": "true",
        "shuffle": "false",
        "optimizer": "adam",
        "batch": "32",
    }
    assert result.request["Environment"] == {"WORKERS": "4", "DEBUG": "true"}
    assert result.request["Tags"] == [{"Key": "cost-center", "Value": "1234"}]
    converted = {note.where: note for note in result.notes}
    assert set(converted) == {
        "HyperParameters.lr",
        "HyperParameters.eps",
        "HyperParameters.tiny",
        "HyperParameters.epochs",
        "HyperParameters.use_amp",
        "HyperParameters.shuffle",
        "Environment.WORKERS",
        "Environment.DEBUG",
        "Tags[0].Value",
    }
    assert all(note.severity == "warning" and note.rule == "load.string-coerced" for note in result.notes)
    assert converted["HyperParameters.eps"].message.startswith('converted the number 1e-05 to the string "1e-05"')
    assert converted["HyperParameters.use_amp"].message.startswith('converted the boolean true to the string "true"')


def test_json_numbers_in_hyperparameters():
    result = load_text('{"HyperParameters": {"lr": 0.1, "n": 10, "flag": false, "s": "x"}}')
    assert result.request["HyperParameters"] == {"lr": "0.1", "n": "10", "flag": "false", "s": "x"}
    assert len(result.notes) == 3


def test_numeric_map_keys_become_strings():
    result = load_text("HyperParameters:\n  2: two\n  true: yes\n", fmt="yaml")
    assert result.request["HyperParameters"] == {"2": "two", "true": "yes"}
    assert [note.where for note in result.notes] == ["HyperParameters.2", "HyperParameters.true"]


def test_numbers_stay_numbers_where_the_model_wants_numbers():
    result = load_text("ResourceConfig: {InstanceCount: 2, VolumeSizeInGB: 50}\nEnableNetworkIsolation: true\n")
    assert result.request == {
        "ResourceConfig": {"InstanceCount": 2, "VolumeSizeInGB": 50},
        "EnableNetworkIsolation": True,
    }
    assert result.notes == []


def test_yaml_1_1_surprises_are_avoided():
    # As `aws --cli-input-yaml` (YAML 1.2) reads them: no yes/no booleans, sexagesimals, dates or octals.
    result = load_text("HyperParameters:\n  a: yes\n  b: off\n  c: 1:30\n  d: 2024-01-01\n  e: 010\n  f: 0x1F\n")
    assert result.request["HyperParameters"] == {
        "a": "yes",
        "b": "off",
        "c": "1:30",
        "d": "2024-01-01",
        "e": "10",
        "f": "31",
    }
    assert [note.where for note in result.notes] == ["HyperParameters.e", "HyperParameters.f"]


def test_unknown_keys_are_kept_for_validation():
    result = load_text('{"TrainingJobName": "a", "RoleARN": "x", "ResourceConfig": {"InstanceTyp": "ml.m5.large"}}')
    assert result.request == {"TrainingJobName": "a", "RoleARN": "x", "ResourceConfig": {"InstanceTyp": "ml.m5.large"}}
    assert result.kind == "request" and result.notes == []


# --- AWS CLI skeleton --------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_skeleton(tmp_path_factory) -> dict:
    """The real `--generate-cli-skeleton` output of the installed AWS CLI (run out of process:
    importing awscli swaps in its own vendored botocore)."""
    aws = Path(sys.executable).parent / "aws"
    if not aws.exists():
        pytest.skip("the AWS CLI is not installed in this environment")
    home = tmp_path_factory.mktemp("aws-home")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
    }
    done = subprocess.run(
        [str(aws), "sagemaker", "create-training-job", "--generate-cli-skeleton"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def leaves(value, path=()):
    if isinstance(value, dict):
        if not value:
            yield path, value
        for key, item in value.items():
            yield from leaves(item, path + (key,))
    elif isinstance(value, list):
        if not value:
            yield path, value
        for index, item in enumerate(value):
            yield from leaves(item, path + (index,))
    else:
        yield path, value


def covered(path, pruned) -> bool:
    return any(path[: len(p)] == p for p in pruned)


def test_untouched_cli_skeleton_prunes_to_nothing(cli_skeleton):
    result = load_text(json.dumps(cli_skeleton, indent=4), source="skeleton.json")
    assert result.kind == "skeleton"
    assert result.request == {}
    (note,) = result.notes
    assert note.rule == "load.skeleton" and note.severity == "warning"
    assert note.related == tuple((key,) for key in cli_skeleton)  # the topmost paths, each once
    assert "TrainingJobName, HyperParameters, AlgorithmSpecification" in note.message


def test_filled_in_cli_skeleton_keeps_what_the_user_wrote(cli_skeleton, tmp_path):
    skeleton = json.loads(json.dumps(cli_skeleton))
    skeleton["TrainingJobName"] = "my-job"
    skeleton["HyperParameters"]["epochs"] = "3"
    skeleton["HyperParameters"]["empty-flag"] = ""  # a user's "" in a map is kept
    skeleton["AlgorithmSpecification"]["TrainingImage"] = "123456789012.dkr.ecr.us-east-1.amazonaws.com/img:1"
    skeleton["AlgorithmSpecification"]["TrainingInputMode"] = "File"
    skeleton["RoleArn"] = ROLE
    channel = skeleton["InputDataConfig"][0]
    channel["ChannelName"] = "train"
    channel["DataSource"]["S3DataSource"]["S3DataType"] = "S3Prefix"
    channel["DataSource"]["S3DataSource"]["S3Uri"] = "s3://bucket/train/"
    channel["DataSource"]["S3DataSource"]["S3DataDistributionType"] = "FullyReplicated"  # the CLI picks at random
    skeleton["OutputDataConfig"]["S3OutputPath"] = "s3://bucket/output/"
    skeleton["ResourceConfig"].update(InstanceType="ml.m5.xlarge", InstanceCount=1, VolumeSizeInGB=30)
    skeleton["StoppingCondition"]["MaxRuntimeInSeconds"] = 3600
    skeleton["EnableNetworkIsolation"] = False  # a real false is meaningful: kept
    path = tmp_path / "job.json"
    path.write_text(json.dumps(skeleton, indent=4))

    result = load_file(path)
    request = result.request
    assert result.kind == "skeleton"
    assert request["TrainingJobName"] == "my-job"
    assert request["HyperParameters"] == {"epochs": "3", "empty-flag": ""}
    assert request["AlgorithmSpecification"] == {
        "TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/img:1",
        "TrainingInputMode": "File",
    }
    assert request["InputDataConfig"][0]["DataSource"] == {
        "S3DataSource": {
            "S3DataType": "S3Prefix",
            "S3Uri": "s3://bucket/train/",
            "S3DataDistributionType": "FullyReplicated",
        }
    }
    assert request["ResourceConfig"] == {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30}
    assert request["StoppingCondition"] == {"MaxRuntimeInSeconds": 3600}
    assert request["EnableNetworkIsolation"] is False
    for gone in ("VpcConfig", "Tags", "EnableManagedSpotTraining", "CheckpointConfig", "ServerlessJobConfig"):
        assert gone not in request

    # No placeholder survives: no empty strings (outside the user's map value), lists or objects,
    # no zeros, no skeleton `true`s, no "KeyName".
    for leaf_path, value in leaves(request):
        if leaf_path == ("HyperParameters", "empty-flag"):
            continue
        placeholder = value is True or value in ("", [], {}) or (type(value) is int and value == 0)
        assert not placeholder, (format_path(leaf_path), value)
        assert "KeyName" not in leaf_path

    skeleton_notes = [note for note in result.notes if note.rule == "load.skeleton"]
    assert len(skeleton_notes) == 1
    pruned = skeleton_notes[0].related
    assert len(set(pruned)) == len(pruned)
    assert ("HyperParameters", "KeyName") in pruned and ("VpcConfig",) in pruned
    assert ("ResourceConfig", "InstanceGroups") in pruned
    for leaf_path, _value in leaves(skeleton):  # every leaf is kept or covered by one pruned path
        kept = get_at(request, leaf_path, default=KeyError) is not KeyError
        assert kept or covered(leaf_path, pruned), format_path(leaf_path)
    for p in pruned:
        assert format_path(p) in skeleton_notes[0].message

    # Enum values the skeleton picked at random are flagged for a second look.
    enum_notes = {note.where for note in result.notes if note.rule == "load.skeleton-enum"}
    assert "InputDataConfig[0].DataSource.S3DataSource.S3DataDistributionType" in enum_notes
    assert "ResourceConfig.InstanceType" in enum_notes


def test_cli_skeleton_as_yaml(cli_skeleton):
    import yaml

    skeleton = json.loads(json.dumps(cli_skeleton))
    skeleton["TrainingJobName"] = "yaml-job"
    result = load_text(yaml.safe_dump(skeleton, sort_keys=False), fmt="yaml")
    assert result.kind == "skeleton" and result.request == {"TrainingJobName": "yaml-job"}


def test_a_request_with_a_few_empty_values_is_not_a_skeleton():
    request = load_example("pytorch-gpu")
    request["OutputDataConfig"]["KmsKeyId"] = ""
    request["ResourceConfig"]["KeepAlivePeriodInSeconds"] = 0
    request["EnableNetworkIsolation"] = True
    request["HyperParameters"]["KeyName"] = ""
    result = load_text(json.dumps(request))
    assert result.kind == "request"
    assert result.request == request and result.notes == []


# --- DescribeTrainingJob responses ---------------------------------------------------------


def fake_value(shape):
    """A sample value for every member of a botocore shape."""
    kind = shape.type_name
    if kind == "structure":
        return {name: fake_value(member) for name, member in shape.members.items()}
    if kind == "list":
        return [fake_value(shape.member)]
    if kind == "map":
        return {"key1": fake_value(shape.value)}
    if kind == "string":
        return shape.enum[0] if shape.enum else f"sample-{shape.name}"
    if kind in ("integer", "long"):
        return 7
    if kind in ("float", "double"):
        return 1.5
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return datetime.datetime(2024, 6, 1, 12, 0, tzinfo=datetime.UTC)
    return b"blob"


def read_only_paths(node, prefix=()):
    from smjob.load.describe import _is_read_only

    for path, sub in node.walk(prefix):
        if path and _is_read_only(sub):
            yield path


def test_describe_and_create_shapes(describe_shape, input_shape):
    """What differs between DescribeTrainingJob's output and CreateTrainingJob's input."""
    create, describe = set(input_shape.members), set(describe_shape.members)
    assert "Tags" in create - describe  # so clones need ListTags
    assert {"TrainingJobArn", "TrainingJobStatus", "CreationTime"} <= describe - create
    differences = []

    def compare(a, b, path):
        if (a.type_name, a.name) != (b.type_name, b.name):
            differences.append((path, a.name, b.name))
        elif a.type_name == "structure" and list(a.members) != list(b.members):
            differences.append((path, list(a.members), list(b.members)))

    for name in sorted(create & describe):
        compare(input_shape.members[name], describe_shape.members[name], name)
    # Every shared member has the very same shape, so nothing needs converting...
    assert differences == []
    # ...but shared shapes can hold members documented as output-only, which a clone must drop.
    assert ("ResourceConfig", "SelectedInstanceType") in set(read_only_paths(request_schema()))


def test_import_of_a_full_describe_response(describe_shape, input_shape):
    response = fake_value(describe_shape)
    response["ResponseMetadata"] = {"RequestId": "abc", "HTTPStatusCode": 200}
    result = from_describe(response, tags=[{"Key": "team", "Value": "ml"}])
    request = result.request
    assert result.kind == "describe-response"

    create, describe = set(input_shape.members), set(describe_shape.members)
    assert set(request) == (create & describe) | {"Tags"}
    assert list(request) == [m.name for m in request_schema().members if m.name in request]  # API order
    (note,) = [n for n in result.notes if n.rule == "load.describe-readonly"]
    dropped = set(note.related)
    assert {p for p in dropped if len(p) == 1} == {(k,) for k in describe - create} | {("ResponseMetadata",)}
    nested = {p for p in dropped if len(p) > 1}
    assert nested == {("ResourceConfig", "SelectedInstanceType"), ("ResourceConfig", "SelectedInstanceCount")}
    assert nested == {p for p in read_only_paths(request_schema()) if get_at(response, p) is not None}
    assert "SelectedInstanceType" not in request["ResourceConfig"]
    assert "InstancePreferences" in request["ResourceConfig"]
    assert request["Tags"] == [{"Key": "team", "Value": "ml"}]
    assert "load.clone-name" in rules(result) and "load.tags-missing" not in rules(result)

    from botocore.validate import ParamValidator

    report = ParamValidator().validate(request, input_shape).generate_report()
    assert "Unknown parameter" not in report


def test_describe_response_file_is_detected(describe_shape, tmp_path):
    response = fake_value(describe_shape)
    response["ResponseMetadata"] = {"RequestId": "abc"}
    path = tmp_path / "describe.json"
    path.write_text(json.dumps(response, default=str, indent=2))  # as `aws sagemaker describe-training-job` prints
    result = load_file(path)
    assert result.kind == "describe-response"
    expected = from_describe(response)
    assert result.request == expected.request
    assert rules(result) == rules(expected)
    assert "load.tags-missing" in rules(result)


def test_aws_managed_tags_are_dropped():
    response = {
        "TrainingJobName": "job",
        "TrainingJobArn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/job",
        "RoleArn": ROLE,
        "TrainingJobStatus": "Completed",
    }
    tags = {
        "Tags": [
            {"Key": "aws:cloudformation:stack-name", "Value": "s"},
            {"Key": "AWS:Other", "Value": "x"},
            {"Key": "team", "Value": "ml"},
        ]
    }
    before = json.dumps([response, tags])
    result = from_describe(response, tags)
    assert json.dumps([response, tags]) == before  # the inputs are not modified
    assert result.request == {"TrainingJobName": "job", "RoleArn": ROLE, "Tags": [{"Key": "team", "Value": "ml"}]}
    (note,) = [n for n in result.notes if n.rule == "load.aws-tags"]
    assert "aws:cloudformation:stack-name" in note.message and "AWS:Other" in note.message
    assert from_describe(response, []).request == {"TrainingJobName": "job", "RoleArn": ROLE}
    assert "load.tags-missing" in rules(from_describe(response))


def test_moto_round_trip():
    """Create every example on a moto server, describe it, list its tags and clone it back."""
    boto3 = pytest.importorskip("boto3")
    from botocore.config import Config
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        client = boto3.client(
            "sagemaker",
            endpoint_url=f"http://{host}:{port}",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"total_max_attempts": 1}),
        )
        for name in sorted(EXAMPLES):
            example = load_example(name)
            submitted = json.loads(json.dumps(example))
            submitted["Tags"].append({"Key": "aws:cloudformation:stack-name", "Value": "demo"})  # AWS-managed
            client.create_training_job(**submitted)
            described = client.describe_training_job(TrainingJobName=example["TrainingJobName"])
            tags = client.list_tags(ResourceArn=described["TrainingJobArn"])["Tags"]

            result = from_describe(described, tags)
            clone = result.request
            assert result.kind == "describe-response"
            assert not {"TrainingJobArn", "TrainingJobStatus", "CreationTime", "ResponseMetadata"} & set(clone)
            # moto echoes these unchanged (it replaces MetricDefinitions and drops Environment, RetryStrategy...).
            for key in (
                "TrainingJobName",
                "RoleArn",
                "HyperParameters",
                "InputDataConfig",
                "OutputDataConfig",
                "ResourceConfig",
                "VpcConfig",
                "StoppingCondition",
                "CheckpointConfig",
                "Tags",
            ):
                assert clone.get(key) == example.get(key), (name, key)
            for flag in (
                "EnableNetworkIsolation",
                "EnableInterContainerTrafficEncryption",
                "EnableManagedSpotTraining",
            ):
                assert clone.get(flag, False) == example.get(flag, False), (name, flag)
            assert {k: clone["AlgorithmSpecification"][k] for k in ("TrainingImage", "TrainingInputMode")} == {
                k: example["AlgorithmSpecification"][k] for k in ("TrainingImage", "TrainingInputMode")
            }
            assert "aws:cloudformation:stack-name" in next(n for n in result.notes if n.rule == "load.aws-tags").message
            assert key_order_errors(clone, request_schema()) == []
    finally:
        server.stop()
