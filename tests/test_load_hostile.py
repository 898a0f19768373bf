"""Hostile or careless files: nothing is dropped silently, nothing crashes, every refusal names its place."""

from __future__ import annotations

import json
import math

import pytest

from smjob.cli.main import main
from smjob.durations import MAX_SECONDS, format_duration, parse_duration
from smjob.examples import load_example
from smjob.load import LoadError, from_describe, load_file, load_text
from smjob.load.response_shape import build_from_botocore, response_tree
from smjob.schema import request_schema
from smjob.validate import validate

JOB = load_example("pytorch-gpu")


@pytest.fixture(scope="module")
def describe_shape():
    import botocore.session

    model = botocore.session.get_session().get_service_model("sagemaker")
    return model.operation_model("DescribeTrainingJob").output_shape


def validate_file(capsys, path) -> tuple[int, str, str]:
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


def problems_at(request: dict) -> dict:
    return {p.path: p.rule for p in validate(request)}


def output_only_members(describe_shape) -> list[str]:
    """Top-level members DescribeTrainingJob returns that CreateTrainingJob does not take."""
    root = request_schema()
    return sorted(name for name in describe_shape.members if root.member(name) is None)


# --- 1. a describe-only field never licenses dropping misspelt ones ------------------------------


def test_response_tree_is_botocores_output_shape(describe_shape):
    tree = response_tree()
    assert set(tree["m"]) == set(describe_shape.members)
    assert tree == build_from_botocore()  # the on-disk cache holds the same tree
    assert "SelectedInstanceType" in tree["m"]["ResourceConfig"]["m"]
    assert set(tree["m"]["SecondaryStatusTransitions"]["i"]["m"]) == set(
        describe_shape.members["SecondaryStatusTransitions"].member.members
    )


def _with_typos(marker: str, value) -> dict:
    request = json.loads(json.dumps(JOB))
    request["RoleArm"] = request.pop("RoleArn")
    request["ResourceConfig"]["InstanceCont"] = request["ResourceConfig"].pop("InstanceCount")
    request["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Urii"] = "s3://bucket/x/"
    if marker:
        request[marker] = value
    return request


@pytest.mark.parametrize("with_marker", [True, False], ids=["describe-response", "request"])
def test_misspelt_fields_stay_and_are_errors_at_their_path(describe_shape, tmp_path, capsys, with_marker):
    markers = output_only_members(describe_shape) if with_marker else [""]
    assert len(markers) > 10 or not with_marker  # every one of them, not a hand-picked few
    for marker in markers:
        request = _with_typos(marker, "x")
        path = tmp_path / f"job-{marker or 'plain'}.json"
        path.write_text(json.dumps(request))
        loaded = load_file(path)
        assert loaded.kind == ("describe-response" if marker else "request")
        assert "RoleArm" in loaded.request and "InstanceCont" in loaded.request["ResourceConfig"]
        found = problems_at(loaded.request)
        for typo in (
            ("RoleArm",),
            ("ResourceConfig", "InstanceCont"),
            ("InputDataConfig", 0, "DataSource", "S3DataSource", "S3Urii"),
        ):
            assert found.get(typo) == "schema.unknown", (marker, typo)
        if marker:
            (note,) = [n for n in loaded.notes if n.rule == "load.describe-readonly"]
            assert note.related == ((marker,),)
            assert marker not in loaded.request
        code, out, _ = validate_file(capsys, path)
        assert code == 1 and "RoleArm" in out and "InstanceCont" in out


def test_only_members_the_response_has_are_dropped(describe_shape):
    response = {
        "TrainingJobName": "job",
        "RoleArn": "arn:aws:iam::123456789012:role/r",
        "TrainingJobStatus": "Completed",
        "ResponseMetadata": {"RequestId": "abc"},
        "FinalMetricDataList": [{"MetricName": "loss", "Value": 0.1}],
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "SelectedInstanceType": "ml.m5.xlarge", "Bogus": 1},
        "TrainingJobStatuss": "typo",
        "ModelArtifacts": {"S3ModelArtifacts": "s3://b/m.tar.gz", "Extra": 1},
    }
    result = from_describe(response, tags=[])
    assert result.request["TrainingJobStatuss"] == "typo"
    assert result.request["ResourceConfig"] == {"InstanceType": "ml.m5.xlarge", "Bogus": 1}
    (note,) = [n for n in result.notes if n.rule == "load.describe-readonly"]
    assert set(note.related) == {
        ("TrainingJobStatus",),
        ("ResponseMetadata",),
        ("FinalMetricDataList",),
        ("ResourceConfig", "SelectedInstanceType"),
        ("ModelArtifacts",),
    }
    found = problems_at(result.request)
    assert found[("TrainingJobStatuss",)] == "schema.unknown"
    assert found[("ResourceConfig", "Bogus")] == "schema.unknown"


def test_a_nested_response_member_is_not_dropped_at_another_depth():
    # SecondaryStatus is a top-level response member, not a ResourceConfig one.
    result = load_text(json.dumps(dict(_with_typos("TrainingJobArn", "arn"), ResourceConfig={"SecondaryStatus": 1})))
    assert result.request["ResourceConfig"] == {"SecondaryStatus": 1}
    assert problems_at(result.request)[("ResourceConfig", "SecondaryStatus")] == "schema.unknown"


# --- 2. keys that collapse into one --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('HyperParameters:\n  1: a\n  "1": b\n', 3, 3),
        ("HyperParameters:\n  '1': a\n  1: b\n", 3, 3),
        ("HyperParameters:\n  1: a\n  0x1: b\n", 3, 3),
        ("HyperParameters:\n  1: a\n  01: b\n", 3, 3),
        ("HyperParameters:\n  1: a\n  1.0: b\n", 3, 3),
        ("HyperParameters:\n  true: a\n  'true': b\n", 3, 3),
        ("HyperParameters:\n  1: a\n  true: b\n", 3, 3),
        ("HyperParameters: {10: x, 1e1: y}\n", 1, 26),
        ("Environment: {0o17: a, 15: b}\n", 1, 24),
        ("1: top\n'1': again\n", 2, 1),
    ],
)
def test_yaml_keys_equal_once_read_are_duplicates(text, line, column):
    with pytest.raises(LoadError) as info:
        load_text(text, source="job.yaml", fmt="yaml")
    error = info.value
    assert "duplicate key" in error.message and (error.line, error.column) == (line, column), error


def test_distinct_yaml_keys_all_survive():
    result = load_text("HyperParameters:\n  1: a\n  '2': b\n  1.5: c\n  x: d\n", fmt="yaml")
    assert result.request["HyperParameters"] == {"1": "a", "2": "b", "1.5": "c", "x": "d"}


# --- 3. aliases that contain themselves ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: &a [*a]\n", 1, 8),
        ("a: &a {k: *a}\n", 1, 11),
        ("Tags: &t\n  - Key: k\n    Value: [1, {deep: *t}]\n", 3, 23),
        ("&root {TrainingJobName: *root}\n", 1, 25),
    ],
)
def test_recursive_yaml_alias_is_a_load_error_at_the_alias(tmp_path, capsys, text, line, column):
    with pytest.raises(LoadError) as info:
        load_text(text, source="job.yaml", fmt="yaml")
    assert (info.value.line, info.value.column) == (line, column), info.value
    assert "contains" in info.value.message
    path = tmp_path / "job.yaml"
    path.write_text(text)
    code, _, err = validate_file(capsys, path)
    assert code == 2 and "Traceback" not in err and f"job.yaml:{line}:{column}:" in err


# --- 4. numbers a request cannot hold ------------------------------------------------------------


HUGE_HEX = "0x" + "f" * 50_000
HUGE_DECIMAL = "9" * 5_000


@pytest.mark.parametrize(
    ("name", "text", "path"),
    [
        ("job.json", '{"ResourceConfig": {"InstanceCount": ' + HUGE_DECIMAL + "}}", "ResourceConfig.InstanceCount"),
        ("job.json", '{"ResourceConfig": {"InstanceCount": -' + HUGE_DECIMAL + "}}", "ResourceConfig.InstanceCount"),
        ("job.json", '{"ResourceConfig": {"InstanceCount": 9223372036854775808}}', "ResourceConfig.InstanceCount"),
        ("job.json", '{"HyperParameters": {"lr": 1e309}}', "HyperParameters.lr"),
        ("job.json", '{"HyperParameters": {"lr": -1E400}}', "HyperParameters.lr"),
        ("job.json", '{"Tags": [{"Key": "a", "Value": NaN}]}', "Tags[0].Value"),
        (
            "job.json",
            '{"StoppingCondition": {"MaxRuntimeInSeconds": Infinity}}',
            "StoppingCondition.MaxRuntimeInSeconds",
        ),
        ("job.json", '{"x": [1, 2, -Infinity]}', "x[2]"),
        (
            "job.yaml",
            f"StoppingCondition:\n  MaxRuntimeInSeconds: {HUGE_HEX}\n",
            "StoppingCondition.MaxRuntimeInSeconds",
        ),
        ("job.yaml", f"ResourceConfig: {{InstanceCount: {HUGE_DECIMAL}}}\n", "ResourceConfig.InstanceCount"),
        ("job.yaml", "ResourceConfig: {InstanceCount: -9223372036854775809}\n", "ResourceConfig.InstanceCount"),
        ("job.yaml", "ResourceConfig: {InstanceCount: 0o1000000000000000000000}\n", "ResourceConfig.InstanceCount"),
        ("job.yaml", "HyperParameters:\n  lr: 1e309\n", "HyperParameters.lr"),
        ("job.yaml", "HyperParameters:\n  lr: .inf\n", "HyperParameters.lr"),
        ("job.yaml", "HyperParameters:\n  lr: -.Inf\n", "HyperParameters.lr"),
        ("job.yaml", "HyperParameters:\n  lr: .NaN\n", "HyperParameters.lr"),
        ("job.yaml", "HyperParameters:\n  .nan: x\n", "HyperParameters"),
        ("job.yaml", f"HyperParameters:\n  ? {HUGE_HEX}\n  : x\n", "HyperParameters"),
        ("job.yaml", "a: &n 1e999\nb: *n\n", "a"),
    ],
    ids=lambda value: value[:40] if isinstance(value, str) else None,
)
def test_numbers_beyond_64_bits_or_not_finite_are_refused_at_their_path(tmp_path, capsys, name, text, path):
    with pytest.raises(LoadError) as info:
        load_text(text, source=name, fmt=name.rsplit(".", 1)[1])
    error = info.value
    assert error.message.startswith(f"{path}: "), error.message
    assert error.line is not None and error.column is not None
    assert len(str(error)) < 400  # 50,000 digits are shortened
    file = tmp_path / name
    file.write_text(text)
    code, out, err = validate_file(capsys, file)
    assert code == 2 and out == "" and "Traceback" not in err and path in err


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("job.json", '{"a": 9223372036854775807}', 2**63 - 1),
        ("job.json", '{"a": -9223372036854775808}', -(2**63)),
        ("job.json", '{"a": 1e308}', 1e308),
        ("job.json", '{"a": 1e-400}', 0.0),  # underflow is a finite number
        ("job.yaml", "a: 0000000000000000000000000000000000000000000000000001\n", 1),
        ("job.yaml", "a: 0x7fffffffffffffff\n", 2**63 - 1),
        ("job.yaml", "a: -9223372036854775808\n", -(2**63)),
        ("job.yaml", "a: 1.7976931348623157e308\n", 1.7976931348623157e308),
        ("job.yaml", "a: '.inf'\n", ".inf"),
        ("job.yaml", 'a: "1e309"\n', "1e309"),
    ],
)
def test_numbers_within_bounds_load(name, text, value):
    assert load_text(text, source=name, fmt=name.rsplit(".", 1)[1]).request["a"] == value


def test_durations_never_raise():
    assert parse_duration("9" * 5000) is None
    assert parse_duration("9" * 5000 + "d") is None
    assert parse_duration("1" + "0" * 40 + "w") is None
    assert parse_duration(str(MAX_SECONDS)) == MAX_SECONDS
    assert parse_duration(str(MAX_SECONDS + 1)) is None
    assert parse_duration("2h30m") == 9000 and parse_duration("0003600") == 3600
    for value in (math.inf, -math.inf, math.nan, 10**5000, -(10**30), 1.5, True, "x", None):
        assert isinstance(format_duration(value), str)
    assert format_duration(9000) == "2h30m" and format_duration(3600.0) == "1h" and format_duration(0) == "0s"


# --- 8. what the headless commands print ---------------------------------------------------------

HOSTILE_KEY = "Role\x1b]52;c;aGk=\x07Arn\u202e\x9b2J"


def test_validate_prints_hostile_keys_and_values_escaped(tmp_path, capsys):
    request = dict(JOB, **{HOSTILE_KEY: "x\x1b[2J"})
    request["HyperParameters"] = {"k\x1b": 5}  # coerced: the note quotes the key
    path = tmp_path / "job\x1b.json"
    path.write_text(json.dumps(request))
    code, out, err = validate_file(capsys, path)
    assert code == 1 and "Role\\x1b]52;c;aGk=\\x07Arn\\u202e\\x9b2J" in out
    assert _no_raw_controls(out + err), repr(out + err)
    broken = tmp_path / "broken.yaml"
    broken.write_text(f"{json.dumps(HOSTILE_KEY)}: 1\n{json.dumps(HOSTILE_KEY)}: 2\n")
    code, out, err = validate_file(capsys, broken)
    assert code == 2 and _no_raw_controls(out + err) and "duplicate key" in err and "\\u202e" in err
    broken.write_text("a: 1\nb: x\x1b[2J\x9b\n")  # raw controls: YAML refuses them
    code, out, err = validate_file(capsys, broken)
    assert code == 2 and _no_raw_controls(out + err) and "broken.yaml:2:5:" in err
    key = json.dumps(HOSTILE_KEY, ensure_ascii=False)  # C1 and U+202E raw, ESC as \u001b
    (tmp_path / "dup.json").write_text(f"{{{key}: 1, {key}: 2}}")
    code, out, err = validate_file(capsys, tmp_path / "dup.json")
    assert code == 2 and _no_raw_controls(out + err) and "\\u202e\\x9b" in err


def test_render_notes_are_escaped(tmp_path, capsys):
    path = tmp_path / "job.json"
    path.write_text(json.dumps(dict(JOB, HyperParameters={"k\x1b[31m\u202e": 5}, TrainingJobStatus="x")))
    code = main(["render", str(path), "--to", "json"])
    out, err = capsys.readouterr()
    assert code == 0 and "note:" in err and "\\x1b[31m\\u202e" in err and _no_raw_controls(err)
    assert json.loads(out)["HyperParameters"] == {"k\x1b[31m\u202e": "5"}  # the value itself is exact


def _no_raw_controls(text: str) -> bool:
    from smjob.terminal_text import is_safe

    return is_safe(text, multiline=True)
