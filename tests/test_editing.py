"""smjob.editing.set_at: every edit in the app goes through it, so the request stays what the API takes."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smjob.editing import set_at
from smjob.paths import get_at


def test_creates_the_parents_it_needs():
    assert set_at({}, ("ResourceConfig", "InstanceCount"), 2) == {"ResourceConfig": {"InstanceCount": 2}}
    assert set_at({}, ("InputDataConfig", 1, "ChannelName"), "val") == {"InputDataConfig": [{}, {"ChannelName": "val"}]}
    assert set_at({}, ("AlgorithmSpecification", "ContainerArguments", 0), "--x") == {
        "AlgorithmSpecification": {"ContainerArguments": ["--x"]}
    }


def test_changes_the_request_in_place_and_keeps_the_rest():
    request = {"TrainingJobName": "a", "ResourceConfig": {"InstanceType": "ml.m5.large"}}
    same = set_at(request, ("ResourceConfig", "InstanceCount"), 1)
    assert same is request
    assert request == {"TrainingJobName": "a", "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1}}


def test_a_scalar_in_the_way_becomes_a_structure():
    assert set_at({"VpcConfig": "typed text"}, ("VpcConfig", "Subnets"), ["s"]) == {"VpcConfig": {"Subnets": ["s"]}}


def test_none_removes_the_member_and_the_structures_it_leaves_empty():
    request = {"TrainingJobName": "a", "CheckpointConfig": {"S3Uri": "s3://b/c"}}
    assert set_at(request, ("CheckpointConfig", "S3Uri"), None) == {"TrainingJobName": "a"}
    deep = {"A": {"B": {"C": 1}}}
    assert set_at(deep, ("A", "B", "C"), None) == {}


def test_pruning_stops_at_a_parent_with_other_members():
    request = {"A": {"B": {"C": 1}, "D": 2}}
    assert set_at(request, ("A", "B", "C"), None) == {"A": {"D": 2}}


def test_list_items_are_never_removed_implicitly():
    request = {"InputDataConfig": [{"ChannelName": "train"}, {"ChannelName": "val"}]}
    set_at(request, ("InputDataConfig", 0, "ChannelName"), None)
    assert request == {"InputDataConfig": [{}, {"ChannelName": "val"}]}  # the row stays, empty
    set_at(request, ("InputDataConfig", 0), None)  # removed only when asked
    assert request == {"InputDataConfig": [{"ChannelName": "val"}]}


def test_removing_what_is_not_there_changes_nothing():
    request = {"A": {"B": 1}, "L": [1]}
    before = copy.deepcopy(request)
    for path in (("X",), ("X", "Y"), ("A", "C"), ("A", "B", "C"), ("L", 5), ("L", 0, "K")):
        assert set_at(request, path, None) == before, path


def test_the_whole_request_cannot_be_replaced():
    with pytest.raises(ValueError):
        set_at({}, (), {"A": 1})


KEYS = st.sampled_from(["A", "B", "C", "Name"])
DICT_PATHS = st.lists(KEYS, min_size=1, max_size=4).map(tuple)
VALUES = st.one_of(st.integers(), st.text(max_size=5), st.booleans(), st.lists(st.integers(), max_size=2))


@given(DICT_PATHS, VALUES)
def test_set_then_get_gives_the_value_and_removing_again_leaves_nothing(path, value):
    request: dict = {}
    set_at(request, path, value)
    assert get_at(request, path) == value
    set_at(request, path, None)
    assert request == {}  # every structure the set created is pruned again


@given(st.dictionaries(KEYS, st.dictionaries(KEYS, st.integers(), max_size=3), max_size=3), DICT_PATHS, VALUES)
def test_set_touches_only_its_path(request, path, value):
    before = copy.deepcopy(request)
    set_at(request, path, value)
    assert get_at(request, path) == value
    for key in before:
        if key != path[0]:
            assert request[key] == before[key]
