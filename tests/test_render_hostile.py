"""Rendering what a request can hold, and what typing can still put in it: exact, readable, never a crash."""

from __future__ import annotations

import ast
import json
import math
import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smjob.examples import load_example
from smjob.load import LoadError, load_text
from smjob.load.yaml_parse import parse_yaml
from smjob.render import FORMATS, JsonByMember, ordered, render, to_json, to_python, to_yaml
from smjob.render_cli import render_cli
from smjob.schema import request_schema
from smjob.terminal_text import is_safe
from smjob.validate import validate
from tests.support.strategies import requests_from_schema, tricky_text

SCHEMA = request_schema()
FUZZ_EXAMPLES = int(os.environ.get("SMJOB_FUZZ_EXAMPLES", "200"))
YAML11 = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML: YAML 1.1's implicit types
SAFE_11 = yaml.SafeLoader  # the pure-Python reader too: the C one resolves the same, but check both

# Strings that some YAML 1.1 or 1.2 reader takes for another type when written plain.
AMBIGUOUS = [
    *["y", "Y", "n", "N", "yes", "No", "ON", "off", "true", "False", "TRUE", "~", "null", "Null", "NULL", "=", "<<"],
    "",
    "1e-5",
    "1e5",
    "1E+5",
    "-1e5",
    "0o17",
    "0O17",
    "0x1F",
    "-0x1f",
    "0b101",
    "017",
    "08",
    "1_000",
    "+1",
    "-0",
    ".5",
    "5.",
    "-.5e3",
    "1.2.3",
    "1:30",
    "-1:30:00",
    "190:20:30.15",
    ".inf",
    "-.Inf",
    "+.INF",
    ".nan",
    ".NaN",
    "2024-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5",
    "2001-12-15T02:59:43.1Z",
]


def same(a, b) -> bool:
    """Equal with the same types all the way down (True is not 1, 1.0 is not 1)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def yaml_text(min_size: int = 0, max_size: int | None = None):
    return st.one_of(st.sampled_from(AMBIGUOUS), tricky_text(min_size, max_size)).filter(
        lambda s: len(s) >= min_size and (max_size is None or len(s) <= max_size)
    )


def _readers_agree(request: dict) -> None:
    text = to_yaml(request)
    assert is_safe(text, multiline=True), text  # `cat job.yaml` hands no control or bidi character to the terminal
    expected = ordered(request)
    for loader in (YAML11, SAFE_11):
        assert same(yaml.load(text, Loader=loader), expected), text
    assert same(parse_yaml(text, "export.yaml"), expected), text


@pytest.mark.parametrize("value", AMBIGUOUS)
def test_yaml_quotes_what_any_reader_would_retype(value):
    request = {"TrainingJobName": value, "HyperParameters": {value: value}, "Environment": {"K": value}}
    _readers_agree(request)
    assert f"TrainingJobName: {value}\n" not in to_yaml(request)


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(
    request=requests_from_schema(
        SCHEMA,
        text_strategy=yaml_text,
        max_list=2,
        max_map=3,
        optional_probability=0.2,
        int_strategy=st.integers(-(2**63), 2**63 - 1),
    )
)
def test_yaml_export_reads_back_exactly_in_yaml_1_1_and_1_2(request):
    _readers_agree(request)


HOSTILE = ["\x1b[2J", "a\u202eb", "\x85", "\x9b31m", "\x7f", "\u2028", "\u2066x\u2069", "\u200f", "\t\r\n", "\x00"]
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12) | st.sampled_from(AMBIGUOUS + HOSTILE)


@given(value=ANY_TEXT)
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
def test_any_string_survives_yaml_in_both_versions(value):
    _readers_agree({"HyperParameters": {value: value, "k": value}, "TrainingJobName": value})


@given(value=ANY_TEXT)
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
def test_json_and_python_exports_are_exact_and_terminal_safe(value):
    request = {"HyperParameters": {value: value, "k": value}, "TrainingJobName": value}
    for text in (to_json(request), JsonByMember().render(request), to_python(request)):
        assert is_safe(text, multiline=True), text
    assert same(json.loads(to_json(request)), ordered(request))
    literal = to_python(request).split("request = ", 1)[1].split("\n\nclient", 1)[0]
    assert same(ast.literal_eval(literal), ordered(request))


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_strings_are_escaped_in_every_export(value):
    request = {"TrainingJobName": value, "HyperParameters": {value: value}}
    _readers_agree(request)
    for fmt in FORMATS:
        assert is_safe(render(request, fmt), multiline=True), fmt


# --- numbers that typing can still produce ---------------------------------------------------------

HUGE = 10**5000  # built by arithmetic: Python's 4,300-digit limit applies to str() and int(), not to **
HOSTILE_NUMBERS = [math.inf, -math.inf, math.nan, HUGE, -HUGE, 2**64, -(2**63) - 1]
NUMBER_PATHS = [
    path
    for path, node in SCHEMA.walk()
    if node.kind in ("integer", "long", "float", "double") and "*" not in path and 0 not in path[:-1]
] + [("ResourceConfig", "InstanceCount"), ("StoppingCondition", "MaxRuntimeInSeconds")]


def _set(request: dict, path: tuple, value) -> None:
    node = request
    for step in path[:-1]:
        node = node.setdefault(step, {})
    node[path[-1]] = value


@pytest.mark.parametrize("value", HOSTILE_NUMBERS, ids=["inf", "-inf", "nan", "huge", "-huge", "2**64", "-2**63-1"])
def test_every_format_and_validation_take_any_number_without_a_crash(value):
    base = load_example("pytorch-gpu")
    for path in NUMBER_PATHS:
        request = json.loads(json.dumps(base))
        _set(request, path, value)
        request["HyperParameters"] = {"k": value}  # and a wrong type in a map
        for fmt in FORMATS:
            assert render(request, fmt)
        assert JsonByMember().render(request) == to_json(request)
        assert validate(request)  # reported, not raised


@pytest.mark.parametrize("value", HOSTILE_NUMBERS, ids=["inf", "-inf", "nan", "huge", "-huge", "2**64", "-2**63-1"])
def test_rendered_numbers_read_back_to_a_clear_error_or_the_value(value):
    request = {"ResourceConfig": {"InstanceCount": value}}
    text = to_json(request)
    json.loads(text, parse_int=len, parse_constant=lambda name: pytest.fail(f"{name} is no JSON"))  # strict JSON
    for fmt, rendered in (("json", text), ("yaml", to_yaml(request))):
        try:
            back = load_text(rendered, fmt=fmt).request
        except LoadError as exc:
            assert exc.message.startswith("ResourceConfig.InstanceCount: ") and exc.line is not None, exc
        else:  # only NaN, which JSON has no number for, comes back as the text "NaN"
            assert isinstance(value, float) and math.isnan(value) and fmt == "json", back
            assert back["ResourceConfig"]["InstanceCount"] == "NaN"
    literal = to_python(request).split("request = ", 1)[1].split("\n\nclient", 1)[0]
    tree = ast.parse(literal, mode="eval")  # valid Python (no 'inf', no 5,000-digit decimal literal)
    evaluated = eval(compile(tree, "<request>", "eval"), {"float": float})
    got = evaluated["ResourceConfig"]["InstanceCount"]
    assert got == value or (isinstance(value, float) and math.isnan(value) and math.isnan(got))


def test_cli_falls_back_for_numbers_the_cli_cannot_send():
    for value in (math.inf, -math.inf, math.nan, HUGE, -HUGE):
        script = render_cli({"TrainingJobName": "j", "ResourceConfig": {"InstanceCount": value}})
        assert "--cli-input-json" in script, script[:200]
        assert len(script) < 2000


# --- the template "New job" and `smjob skeleton` start from ----------------------------------------

FILLED = {
    "<job-name>": "job",
    "arn:aws:iam::<account-id>:role/<execution-role>": "arn:aws:iam::123456789012:role/r",
    "<account-id>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>": (
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:1"
    ),
    "s3://<bucket>/<prefix>/": "s3://bucket/train/",
    "s3://<bucket>/<output-prefix>/": "s3://bucket/out/",
}


def _members(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,)
            yield from _members(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _members(item, path + (index,))


def test_skeleton_holds_no_value_the_user_did_not_choose():
    from smjob.paths import get_at
    from smjob.skeleton import skeleton

    def is_placeholder(value) -> bool:
        return isinstance(value, str) and "<" in value and ">" in value

    skel = skeleton()
    filled = json.loads(
        json.dumps(skel), object_hook=lambda d: {k: FILLED.get(v, v) if isinstance(v, str) else v for k, v in d.items()}
    )
    assert not any(is_placeholder(get_at(filled, p)) for p in _members(filled))
    assert [p for p in validate(filled) if p.severity == "error"] == []
    baseline = {(p.path, p.rule) for p in validate(filled)}
    for path in _members(filled):
        node = SCHEMA.at(path)
        if node.required or is_placeholder(get_at(skel, path)) or path == ("InputDataConfig",):
            continue  # InputDataConfig: one channel whose S3Uri is a placeholder to fill or remove
        without = json.loads(json.dumps(filled))
        del get_at(without, path[:-1])[path[-1]]
        # Needed: without it, validation finds something new (an error, or a warning such as EBS volume size).
        assert {(p.path, p.rule) for p in validate(without)} - baseline, f"{path}: a value the user did not choose"
    assert not {"ContentType", "InputMode", "S3DataDistributionType"} & {p[-1] for p in _members(skel)}
    assert "HyperParameters" not in skel
