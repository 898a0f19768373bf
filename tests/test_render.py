import ast
import json
import re

import yaml

from smjob.render import ordered, render, to_json, to_python, to_yaml
from smjob.schema import request_schema
from smjob.skeleton import skeleton
from smjob.validate import schema_problems, validate

HOSTILE = {
    "TrainingJobName": "job-1",
    "RoleArn": "arn:aws:iam::123456789012:role/R",
    "OutputDataConfig": {"S3OutputPath": "s3://b/o/"},
    "HyperParameters": {
        "yes": "no",
        "num": "1e-05",
        "null": "null",
        "date": "2024-01-01",
        "multi": "a\nb\n",
        "markup": "[red]x[/]",
        "esc": "\x1b[31mred",
        "quote": 'it\'s "q"',
        "tab": "\t x",
        "emoji": "é😀",
        "colon": "a: b",
        "hash": "# c",
        "octal": "0777",
        "empty": "",
    },
    "EnableManagedSpotTraining": True,
}


def test_json_uses_api_member_order_and_round_trips():
    shuffled = dict(reversed(list(HOSTILE.items())))
    text = to_json(shuffled)
    assert json.loads(text) == HOSTILE
    top = list(json.loads(text))
    api_order = [m.name for m in request_schema().members]
    assert top == sorted(top, key=api_order.index)


def test_ordered_keeps_unknown_keys():
    assert list(ordered({"Zzz": 1, "TrainingJobName": "a"})) == ["TrainingJobName", "Zzz"]


def test_yaml_round_trips_strings_that_look_like_other_types():
    assert yaml.safe_load(to_yaml(HOSTILE)) == HOSTILE


def test_python_snippet_is_valid_and_exact():
    source = to_python(HOSTILE)
    tree = ast.parse(source)
    assigned = next(n for n in tree.body if isinstance(n, ast.Assign))
    assert ast.literal_eval(assigned.value) == HOSTILE
    assert "create_training_job(**request)" in source


def test_render_dispatch_rejects_unknown_format():
    import pytest

    with pytest.raises(ValueError, match="unknown format"):
        render(HOSTILE, "toml")


def _fill(value):
    samples = {
        "TrainingJobName": "filled-job",
        "RoleArn": "arn:aws:iam::123456789012:role/R",
        "TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/img:1",
        "S3Uri": "s3://bucket/train/",
        "S3OutputPath": "s3://bucket/out/",
    }
    if isinstance(value, dict):
        return {k: samples.get(k, v) if isinstance(v, str) and "<" in v else _fill(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v) for v in value]
    return value


def test_skeleton_is_valid_once_placeholders_are_filled():
    skel = skeleton()
    placeholders = re.findall(r"<[^<>]+>", json.dumps(skel))
    assert placeholders, "the skeleton should show what to fill"
    assert schema_problems(skel), "unfilled placeholders must not pass validation"
    filled = _fill(skel)
    assert "<" not in json.dumps(filled)
    errors = [p for p in validate(filled) if p.severity == "error"]
    assert errors == []


def test_skeleton_never_holds_mutually_exclusive_members():
    skel = skeleton()
    algo = skel["AlgorithmSpecification"]
    assert not ("TrainingImage" in algo and "AlgorithmName" in algo)
    assert "InstanceGroups" not in skel["ResourceConfig"]


def test_json_by_member_equals_to_json_through_a_sequence_of_edits():
    import copy
    import random

    from smjob.editing import set_at
    from smjob.examples import load_example, names
    from smjob.render import JsonByMember

    rng = random.Random(7)
    incremental = JsonByMember()
    for example in names():
        request = load_example(example)
        request["zz-unknown"] = {"b": 1, "a": [1, "x"]}  # unknown keys keep their place at the end
        changed = None  # a new request: everything
        for _ in range(40):
            assert incremental.render(request, changed) == to_json(request)
            changed = set()
            for _ in range(rng.randint(1, 3)):  # several edits between two renders
                name = rng.choice(sorted(request) or ["TrainingJobName"])
                value = rng.choice(['edited "quoted"\nnewline é', 5, None, {"Nested": [1, {"k": "v"}]}, [], {}])
                path = (
                    (name,)
                    if rng.random() < 0.5 or not isinstance(request.get(name), dict)
                    else (name, rng.choice(sorted(request[name]) or ["New"]))
                )
                set_at(request, path, copy.deepcopy(value))
                changed.add(name)
                if rng.random() < 0.1:
                    request.pop(name, None)  # a removed member must not linger
    assert incremental.render({}, None) == to_json({})
    assert incremental.render({1: "a"}, None) == to_json({1: "a"})  # non-string keys: json's own way
