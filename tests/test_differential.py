"""External oracle: whatever botocore's own ParamValidator rejects, smjob rejects at the same path.

botocore checks required members, unknown keys, types and minimums (not patterns, enums or
maximums, which smjob adds). Requests come from the schema tree, valid ones and mutated ones.
"""

import copy
import os

import botocore.session
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smjob.schema import request_schema
from smjob.validate import schema_problems
from tests.strategies import requests_from_schema

EXAMPLES = int(os.environ.get("SMJOB_FUZZ_EXAMPLES", "300"))
INPUT_SHAPE = botocore.session.get_session().get_service_model("sagemaker").operation_model("CreateTrainingJob").input_shape
JUNK = [None, 0, -1, 1.5, True, "", "text", [], [1], {}, {"Bogus": 1}]


def botocore_locations(request) -> set[str]:
    report = ParamValidator().validate(request, INPUT_SHAPE)
    out = set()
    for kind, name, extra in report._errors:
        if kind == "missing required field":
            name = f"{name}.{extra['required_name']}"
        elif kind == "unknown field":
            name = f"{name}.{extra['unknown_param']}"
        elif name.endswith(")") and " (key: " in name:  # "Map (key: k)" -> the key's path
            head, _, key = name[:-1].partition(" (key: ")
            name = f"{head}.{key}"
        out.add(name)
    return out


def smjob_locations(request) -> set[str]:
    return {"".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in p.path) for p in schema_problems(request)}


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


@st.composite
def mutated_requests(draw):
    request = draw(requests_from_schema(request_schema(), respect_limits=draw(st.booleans()), max_list=2, max_map=2,
                                       text_strategy=lambda lo, hi: st.text(min_size=lo, max_size=lo + 6 if hi is None else min(hi, lo + 6)),
                                       optional_probability=0.25))
    for _ in range(draw(st.integers(0, 3))):
        paths = [p for p in _paths(request) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = request
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "unknown"]))
        if action == "replace":
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(JUNK)))  # JUNK items are shared
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["Bogus", "trainingJobName", "X"]))] = "x"
    return request


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_requests())
def test_smjob_rejects_whatever_botocore_rejects_at_the_same_path(request):
    expected = botocore_locations(request)
    found = smjob_locations(request)
    assert expected <= found, f"botocore found {expected - found} that smjob missed"


@settings(max_examples=max(50, EXAMPLES // 3), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests_from_schema(request_schema(), respect_limits=True, use_enums=True, max_list=2, max_map=2,
                            text_strategy=lambda lo, hi: st.text(min_size=lo, max_size=lo + 4 if hi is None else min(hi, lo + 4))))
def test_requests_within_limits_pass_botocore(request):
    # The generator itself is checked against the oracle, so the test above is not vacuous.
    assert botocore_locations(request) == set()


def test_oracle_sees_known_errors():
    request = {"TrainingJobName": "", "RoleArn": 5, "OutputDataConfig": {"S3OutputPath": "s3://b/"}, "Bogus": 1,
               "HyperParameters": {"k": 1}}
    assert botocore_locations(request) == {".TrainingJobName", ".RoleArn", ".Bogus", ".HyperParameters.k"}
    assert botocore_locations(request) <= smjob_locations(request)
