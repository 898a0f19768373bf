"""smjob.naming.fresh_name and smjob.diff.diff."""

from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smjob.diff import ADDED, CHANGED, REMOVED, Change, diff, format_changes
from smjob.examples import load_example, names
from smjob.naming import MAX_LENGTH, fresh_name, strip_stamp
from smjob.schema import request_schema
from smjob.validate import validate

NOW = datetime(2025, 1, 2, 3, 4, 5)
AWS_PATTERN = re.compile(request_schema().member("TrainingJobName").pattern)


@pytest.mark.parametrize(
    "base, expected",
    [
        ("pytorch-resnet50-g5-20240601-120000", "pytorch-resnet50-g5-20250102-030405"),  # replaced, not stacked
        ("my-job", "my-job-20250102-030405"),
        ("my-job-20240601120000", "my-job-20250102-030405"),
        ("pytorch-training-2024-06-01-12-00-00-123", "pytorch-training-20250102-030405"),  # SageMaker SDK style
        ("a-20240101-000000-20240202-000000", "a-20250102-030405"),  # stacked by someone else
        ("my job (v2)", "my-job-v2-20250102-030405"),
        ("--x--", "x-20250102-030405"),
        ("", "job-20250102-030405"),
        ("日本語", "job-20250102-030405"),
        ("a" * 100, "a" * 47 + "-20250102-030405"),
        ("a" * 46 + "---b", "a" * 46 + "-20250102-030405"),  # cut, then trailing hyphens stripped
        ("a" * 31 + "-20240101-000000" + "zzzz", "a" * 31 + "-20250102-030405"),  # the cut exposes a timestamp
        ("release-2024", "release-2024-20250102-030405"),  # not a timestamp
    ],
)
def test_fresh_name(base, expected):
    name = fresh_name(base, NOW)
    assert name == expected
    assert AWS_PATTERN.fullmatch(name) and len(name) <= MAX_LENGTH


def test_aware_times_become_utc():
    tz = timezone(timedelta(hours=9))
    assert fresh_name("a", datetime(2025, 1, 2, 12, 4, 5, tzinfo=tz)) == "a-20250102-030405"


def test_every_example_name_refreshes_into_a_valid_request():
    for name in names():
        request = load_example(name)
        request["TrainingJobName"] = fresh_name(request["TrainingJobName"], NOW)
        assert request["TrainingJobName"].endswith("-20250102-030405")
        assert not [p for p in validate(request) if p.path == ("TrainingJobName",)]


@settings(max_examples=500, deadline=None)
@given(
    st.text(max_size=120),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2999, 12, 31)),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2999, 12, 31)),
)
def test_any_base_gives_a_valid_name(base, now, later):
    name = fresh_name(base, now)
    assert len(name) <= MAX_LENGTH
    assert AWS_PATTERN.fullmatch(name), name
    assert name.endswith("-" + now.strftime("%Y%m%d-%H%M%S"))
    again = fresh_name(name, later)  # refreshing replaces the suffix: no stacking, no growth
    assert again != name  # even within the same second (then with milliseconds)
    if later.strftime("%Y%m%d%H%M%S") != now.strftime("%Y%m%d%H%M%S"):
        assert again == fresh_name(base, later)
    assert strip_stamp(again) == strip_stamp(name)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab-0_ .", max_size=80))
def test_hyphen_heavy_bases(base):
    name = fresh_name(base, NOW)
    assert AWS_PATTERN.fullmatch(name) and len(name) <= MAX_LENGTH


# --- diff -----------------------------------------------------------------------------------------


def test_identical_requests_have_no_changes():
    request = load_example("heterogeneous")
    assert diff(request, copy.deepcopy(request)) == []
    assert format_changes([]) == "no differences"


def test_field_by_field_changes():
    a = load_example("pytorch-gpu")
    b = copy.deepcopy(a)
    b["TrainingJobName"] = "other"
    b["ResourceConfig"]["InstanceType"] = "ml.g5.12xlarge"
    del b["Environment"]
    b["HyperParameters"]["new"] = "1"
    b["InputDataConfig"][1]["ChannelName"] = "val"
    b["InputDataConfig"].append({"ChannelName": "extra"})
    changes = diff(a, b)
    by_path = {c.path: c for c in changes}
    assert by_path[("TrainingJobName",)] == Change(("TrainingJobName",), CHANGED, a["TrainingJobName"], "other")
    assert by_path[("ResourceConfig", "InstanceType")].new == "ml.g5.12xlarge"
    assert by_path[("Environment",)].kind == REMOVED and by_path[("Environment",)].old == a["Environment"]
    assert by_path[("HyperParameters", "new")] == Change(("HyperParameters", "new"), ADDED, None, "1")
    assert by_path[("InputDataConfig", 1, "ChannelName")].kind == CHANGED  # channels compared by index
    assert by_path[("InputDataConfig", 2)] == Change(("InputDataConfig", 2), ADDED, None, {"ChannelName": "extra"})
    assert len(changes) == 6
    assert [c.path for c in diff(b, a) if c.kind == REMOVED] == [("HyperParameters", "new"), ("InputDataConfig", 2)]
    text = format_changes(changes)
    assert '~ ResourceConfig.InstanceType: "ml.g5.2xlarge" -> "ml.g5.12xlarge"' in text
    assert "- Environment: {" in text and '+ InputDataConfig[2]: {"ChannelName": "extra"}' in text


def test_types_matter_and_odd_values():
    assert diff({"a": 1}, {"a": 1.0}) == [Change(("a",), CHANGED, 1, 1.0)]
    assert diff({"a": True}, {"a": 1}) == [Change(("a",), CHANGED, True, 1)]
    assert diff({"a": [1]}, {"a": {"x": 1}}) == [Change(("a",), CHANGED, [1], {"x": 1})]
    assert diff({"a.b": 1}, {"a.b": 2})[0].where == '["a.b"]'
    assert diff(1, 2) == [Change((), CHANGED, 1, 2)] and diff(1, 2)[0].where == "(request)"
    assert Change(("x",), CHANGED, "a", "b").to_dict() == {"path": "x", "kind": "changed", "old": "a", "new": "b"}


def test_a_clone_in_the_same_second_still_gets_a_new_name():
    from datetime import datetime

    now = datetime(2026, 11, 27, 10, 52, 46, 123456)
    first = fresh_name("job", now)
    second = fresh_name(first, now)
    assert second != first and second.startswith("job-20261127-105246")
    assert AWS_PATTERN.fullmatch(second) and len(second) <= 63
