import copy

import pytest

from smjob.paths import format_path, parse_path
from smjob.validate import schema_problems
from tests.support.requests import BASE


def problems_for(mutate):
    request = copy.deepcopy(BASE)
    mutate(request)
    return {(format_path(p.path), p.rule): p.message for p in schema_problems(request)}


def test_baseline_is_valid():
    assert schema_problems(BASE) == []


@pytest.mark.parametrize(
    ("mutate", "path", "rule", "needle"),
    [
        (
            lambda r: r.update(TrainingJobName="my_job"),
            "TrainingJobName",
            "schema.pattern",
            "has '_' at character 3; expected up to 63 letters, digits and hyphens",
        ),
        (
            lambda r: r.update(TrainingJobName="x" * 64),
            "TrainingJobName",
            "schema.length",
            "at most 63 characters (is 64)",
        ),
        (lambda r: r.update(TrainingJobName=""), "TrainingJobName", "schema.length", "must not be empty"),
        (lambda r: r.pop("RoleArn"), "RoleArn", "schema.required", "RoleArn is required"),
        (
            lambda r: r["ResourceConfig"].update(InstanceType="ml.t2.medium"),
            "ResourceConfig.InstanceType",
            "schema.enum",
            "not an allowed value",
        ),
        (
            lambda r: r["ResourceConfig"].update(InstanceType="ml.p3.2xlarg"),
            "ResourceConfig.InstanceType",
            "schema.enum",
            "ml.p3.2xlarge",
        ),
        (
            lambda r: r["ResourceConfig"].update(InstanceCount="2"),
            "ResourceConfig.InstanceCount",
            "schema.type",
            "must be an integer, got '2'",
        ),
        (
            lambda r: r["ResourceConfig"].update(InstanceCount=True),
            "ResourceConfig.InstanceCount",
            "schema.type",
            "integer",
        ),
        (
            lambda r: r["ResourceConfig"].update(InstanceCount=-1),
            "ResourceConfig.InstanceCount",
            "schema.range",
            "at least 0",
        ),
        (
            lambda r: r["StoppingCondition"].update(MaxRuntimeInSeconds=0),
            "StoppingCondition.MaxRuntimeInSeconds",
            "schema.range",
            "at least 1",
        ),
        (
            lambda r: r["StoppingCondition"].update(MaxRuntimeInSeconds=None),
            "StoppingCondition.MaxRuntimeInSeconds",
            "schema.type",
            "got null",
        ),
        (
            lambda r: r.update(EnableManagedSpotTraining="yes"),
            "EnableManagedSpotTraining",
            "schema.type",
            "true or false",
        ),
        (
            lambda r: r["InputDataConfig"][1]["DataSource"].update(S3DataSorce={}),
            "InputDataConfig[1].DataSource.S3DataSorce",
            "schema.unknown",
            "did you mean 'S3DataSource'",
        ),
        (lambda r: r.update(Tagz=[]), "Tagz", "schema.unknown", "did you mean 'Tags'"),
        (
            lambda r: r["InputDataConfig"][1]["DataSource"]["S3DataSource"].pop("S3Uri"),
            "InputDataConfig[1].DataSource.S3DataSource.S3Uri",
            "schema.required",
            "required",
        ),
        (
            lambda r: r["InputDataConfig"][0]["DataSource"]["S3DataSource"].update(S3DataType="S3Prefx"),
            "InputDataConfig[0].DataSource.S3DataSource.S3DataType",
            "schema.enum",
            "allowed: ManifestFile, S3Prefix, AugmentedManifestFile",
        ),
        (lambda r: r["HyperParameters"].update(big="x" * 2501), "HyperParameters.big", "schema.length", "at most 2500"),
        (
            lambda r: r["HyperParameters"].update({"k" * 257: "v"}),
            "HyperParameters." + "k" * 257,
            "schema.length",
            "key",
        ),
        (
            lambda r: r["HyperParameters"].update(lr=0.1),
            "HyperParameters.lr",
            "schema.type",
            "must be a string, got 0.1",
        ),
        (
            lambda r: r.update(HyperParameters={str(i): "v" for i in range(101)}),
            "HyperParameters",
            "schema.count",
            "at most 100",
        ),
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
    request["TrainingJobName"] = "ab\x1b[31m$(rm -rf /)[red]"
    [problem] = schema_problems(request)
    assert problem.rule == "schema.pattern"
    assert "has '\\x1b' at character 3" in problem.message  # the escape code named, inert
    assert "\x1b" not in problem.message


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
    assert (
        format_path(("InputDataConfig", 1, "DataSource", "S3DataSource", "S3Uri"))
        == "InputDataConfig[1].DataSource.S3DataSource.S3Uri"
    )


# --- the checker ----------------------------------------------------------------------------------


def test_validation_imports_no_pydantic():
    import subprocess
    import sys

    code = (
        "import sys, smjob.validate as v; v.validate({}); "
        "print('pydantic' in sys.modules, 'pydantic_core' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


def test_checker_is_built_once():
    from smjob.validate import request_checker

    assert request_checker() is request_checker()


def _with(path, value):
    request = copy.deepcopy(BASE)
    target = request
    for step in path[:-1]:
        target = target.setdefault(step, {})
    target[path[-1]] = value
    return request


@pytest.mark.parametrize(
    "request_",
    [
        # what YAML (or a Python file) can hold and JSON cannot: keys that are not strings, NaN, inf
        _with(("Environment", None), "v"),
        _with(("Environment", 1), "v"),
        _with(("Environment", True), "v"),
        _with(("HyperParameters", 2.5), "v"),
        _with(("ResourceConfig", None), 1),
        _with((5,), "x"),
        _with(("ResourceConfig", "VolumeSizeInGB"), float("nan")),
        _with(("ResourceConfig", "VolumeSizeInGB"), float("inf")),
        _with(("ResourceConfig", "InstanceCount"), 2**80),
        _with(("StoppingCondition", "MaxRuntimeInSeconds"), -(2**80)),
        _with(("Tags",), [{"Key": "k", "Value": "v", 7: "x"}]),
    ],
)
def test_the_checker_matches_pydantic_core_beyond_json(request_):
    """tests/test_differential.py compares the two on 20,000 JSON requests; these are the rest."""
    from tests.support.pydantic_oracle import oracle_problems

    assert schema_problems(request_) == oracle_problems(request_) != []


@pytest.mark.parametrize(
    ("mutate", "path", "rule", "needle"),
    [
        # An enum checks the type and the lengths before membership, as the plain string would.
        (
            lambda r: r["ResourceConfig"].update(InstanceType=5),
            "ResourceConfig.InstanceType",
            "schema.type",
            "must be a string, got 5",
        ),
        (
            lambda r: r["ResourceConfig"].update(InstanceType=["ml.m5.large"]),
            "ResourceConfig.InstanceType",
            "schema.type",
            "got a list",
        ),
        (
            lambda r: r["ResourceConfig"].update(InstanceType="ml.m5.xlargee"),
            "ResourceConfig.InstanceType",
            "schema.enum",
            "did you mean ml.m5.xlarge",
        ),
        (
            lambda r: r["ResourceConfig"].update(VolumeSizeInGB=50.0),
            "ResourceConfig.VolumeSizeInGB",
            "schema.type",
            "must be an integer, got 50.0",
        ),
        (
            lambda r: r["ResourceConfig"].update(KeepAlivePeriodInSeconds=2**70),
            "ResourceConfig.KeepAlivePeriodInSeconds",
            "schema.range",
            "at most 21600 (is 1180591620717411303424)",
        ),
        (
            lambda r: r["InputDataConfig"].append(("not", "a", "dict")),
            "InputDataConfig[2]",
            "schema.type",
            "must be an object",
        ),
        (lambda r: r["HyperParameters"].update(epochs=None), "HyperParameters.epochs", "schema.type", "got null"),
        (
            lambda r: r.update(Tags=[{"Key": "team", "Value": "a;b"}]),
            "Tags[0].Value",
            "schema.pattern",
            "has ';' at character 2; expected letters, spaces, digits and _ . : / = + - @",
        ),
    ],
)
def test_more_single_field_problems(mutate, path, rule, needle):
    found = problems_for(mutate)
    assert (path, rule) in found, found
    assert needle in found[(path, rule)]


def test_trivial_patterns_are_not_checked():
    # `.*` is skipped (a Python call per value for nothing), so a newline passes as before.
    from smjob.validate import _TRIVIAL_PATTERNS

    assert ".*" in _TRIVIAL_PATTERNS
    request = copy.deepcopy(BASE)
    request["HyperParameters"] = {"epochs": "line\nbreak"}
    assert schema_problems(request) == []


def _tree():
    from smjob.schema import Node

    leaf = Node("Name", "string", "NameString", required=True, min=1, max=5, pattern="[a-z]+")
    rate = Node("Rate", "double", "RateDouble", min=0, max=1)
    pair = Node("Pair", "structure", "PairShape", members=(leaf, rate), required_members=("Name",))
    # A shape met more than once becomes one definition, referenced from every place.
    inner = Node("Inner", "structure", "InnerShape", members=(pair,))
    outer = Node("Outer", "structure", "OuterShape", members=(pair, inner))
    return Node("Root", "structure", "RootShape", members=(outer, Node("Pairs", "list", "PairList", max=2, item=pair)))


def test_a_shape_met_twice_is_compiled_once_and_checked_everywhere():
    from smjob.validate import _Compiler, _to_problem

    root = _tree()
    compiler = _Compiler()
    check = compiler.check(root)
    assert list(compiler.structures) == ["RootShape", "OuterShape", "PairShape", "InnerShape"]
    errors: list = []
    check(
        {"Outer": {"Pair": {"Name": "ab", "Rate": 0.5}, "Inner": {}}, "Pairs": [{"Name": "x", "Rate": 1}]}, (), errors
    )
    assert errors == []
    bad = {
        "Outer": {"Pair": {"Name": "AB", "Rate": 2}, "Inner": {"Pair": {"Rate": True}, "Extra": 1}},
        "Pairs": [{"Name": "x"}] * 3,
    }
    check(bad, (), errors)
    found = [(format_path(p.path), p.rule) for p in (_to_problem(e, root) for e in errors)]
    assert found == [
        ("Outer.Pair.Name", "schema.pattern"),
        ("Outer.Pair.Rate", "schema.range"),
        ("Outer.Inner.Pair.Name", "schema.required"),
        ("Outer.Inner.Pair.Rate", "schema.type"),
        ("Outer.Inner.Extra", "schema.unknown"),
        ("Pairs", "schema.count"),
    ]


def test_a_list_or_map_over_its_maximum_still_has_its_items_checked():
    # pydantic-core alone stops at a list's max_length (items unchecked) and skips a map's count
    # when an entry is bad; botocore reports the items, and the user needs both.
    request = copy.deepcopy(BASE)
    request["Tags"] = [{"Key": "", "Value": "v"}] * 51
    request["HyperParameters"] = {**{str(i): "v" for i in range(100)}, "lr": 0.1}
    found = {(format_path(p.path), p.rule): p.message for p in schema_problems(request)}
    assert found.pop(("Tags", "schema.count")) == "allows at most 50 item(s), has 51"
    assert found.pop(("HyperParameters", "schema.count")) == "allows at most 100 item(s), has 101"
    assert found.pop(("HyperParameters.lr", "schema.type")) == "value must be a string, got 0.1"
    assert found == {(f"Tags[{i}].Key", "schema.length"): "value must not be empty" for i in range(51)}
    # Nested: an over-long list inside an over-long list keeps every location.
    request = copy.deepcopy(BASE)
    request["InputDataConfig"] = [
        {
            "ChannelName": "c",
            "DataSource": {
                "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/", "InstanceGroupNames": ["g"] * 6 + [""]}
            },
        }
    ] * 21
    found = {(format_path(p.path), p.rule) for p in schema_problems(request)}
    assert ("InputDataConfig", "schema.count") in found
    assert ("InputDataConfig[20].DataSource.S3DataSource.InstanceGroupNames", "schema.count") in found
    assert ("InputDataConfig[20].DataSource.S3DataSource.InstanceGroupNames[6]", "schema.length") in found
