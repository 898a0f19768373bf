"""Differential fuzzing against external oracles: botocore's ParamValidator, the AWS CLI's own
parser, bash, and the JSON / YAML / Python readers.

TOTAL hypothesis-generated requests (default 20,000; SMJOB_FUZZ_EXAMPLES overrides the total),
half valid and half mutated, in SHARDS shards per kind with fixed seeds: deterministic, and
`pytest -n 2` spreads the shards over both workers. Each shard asserts how many examples it
really ran, so hypothesis stopping early is a failure, not a silent shortfall.

- botocore checks required members, unknown keys, types and minimums (not patterns, enums or
  maximums, which smjob adds). On every request, the paths where botocore reports an error are
  exactly the paths where smjob reports one of those kinds (smjob alone also rejects a bool given
  for a number, which botocore lets through since bool is an int).
- Nothing crashes: smjob's validator and the four renderers take any request.
- Every request botocore accepts round-trips: to_json -> json.loads, to_yaml -> yaml.safe_load,
  to_python -> ast.literal_eval of `request = ...`, and the CLI command: the AWS CLI's parser, run
  in-process, builds exactly the request from smjob's options, or, when render_cli falls back, from
  `--cli-input-json file://` holding smjob's JSON; and bash splits the rendered script into exactly
  those arguments (checked once per shard, all scripts in one bash process, as bash is slow to start).

Settings: no example database (nothing to replay in CI), phases generate + shrink (shrinking only
runs after a failure, so passing runs pay nothing for it), seeds fixed per shard (a failure
reproduces by rerunning the shard). Costs per example are measured in the module's history
(see the report of the change that made this 20,000): generation dominates, then the CLI parse.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import subprocess

import botocore.session
import pytest
import yaml
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from smjob.render import to_json, to_python, to_yaml
from smjob.render_cli import COMMAND, CliRenderError, cli_arguments, render_cli
from smjob.schema import request_schema
from smjob.validate import schema_problems
from tests.strategies import quick_tricky_text, requests_from_schema
from tests.test_render_cli import aws, workdir  # noqa: F401  (fixtures: the AWS CLI in-process)

TOTAL = int(os.environ.get("SMJOB_FUZZ_EXAMPLES", "20000"))
SHARDS = 8  # per kind; 16 tests in all, so xdist can balance them over its workers
VALID_TOTAL = TOTAL // 2
MUTATED_TOTAL = TOTAL - VALID_TOTAL
SEED = 20_000

SCHEMA = request_schema()
INPUT_SHAPE = botocore.session.get_session().get_service_model("sagemaker").operation_model("CreateTrainingJob").input_shape
JUNK = [None, 0, -1, 1.5, True, "", "text", [], [1], {}, {"Bogus": 1}]
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # same rules as yaml.safe_load, in C

FUZZ_SETTINGS = settings(
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def shard_sizes(total: int, shards: int = SHARDS) -> list[int]:
    return [total // shards + (1 if i < total % shards else 0) for i in range(shards)]


# --- botocore's view and smjob's view ------------------------------------------------------

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


def _dotted(path) -> str:
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path)


def smjob_locations(request) -> set[str]:
    return {_dotted(p.path) for p in schema_problems(request)}


def _value_at(request, path):
    for step in path:
        request = request[step]
    return request


def smjob_botocore_kind_locations(request) -> set[str]:
    """Where smjob reports what botocore also checks: required, unknown, type, below a minimum."""
    out = set()
    for p in schema_problems(request):
        if p.rule in ("schema.required", "schema.unknown"):
            out.add(_dotted(p.path))
        elif p.rule == "schema.type":
            node = SCHEMA.at(p.path)
            if not (type(_value_at(request, p.path)) is bool and node is not None
                    and node.kind in ("integer", "long", "float", "double")):
                out.add(_dotted(p.path))  # botocore takes a bool for a number: bool is an int
        elif p.rule in ("schema.length", "schema.count", "schema.range") and "at most" not in p.message:
            out.add(_dotted(p.path))  # maximums are smjob's alone
    return out


def check_against_botocore(request) -> set[str]:
    expected = botocore_locations(request)
    found = smjob_locations(request)
    assert expected <= found, f"botocore found {expected - found} that smjob missed"
    same_kind = smjob_botocore_kind_locations(request)
    assert same_kind == expected, (
        f"smjob and botocore disagree: only botocore {expected - same_kind}, only smjob {same_kind - expected}"
    )
    return expected


# --- round trips --------------------------------------------------------------------------------

def python_request(source: str):
    tree = ast.parse(source)
    assigned = next(n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "request")
    return ast.literal_eval(assigned.value)


class Cli:
    """The AWS CLI's parser in-process, stopped where it hands the parameters to the client.

    tests.test_render_cli captures at before-parameter-build, after the CLI creates a botocore
    client (~14 ms of a ~16 ms parse). Here the capture runs on calling-command, the CLI's own
    event carrying the finished parameters, registered last so --cli-input-json has merged its file
    first. The client-side handlers skipped this way change no CreateTrainingJob parameter.
    """

    def __init__(self, aws, workdir):
        self.aws = aws
        self.json_path = workdir / "differential job.json"  # a space: the path needs quoting too
        aws.driver.session.get_component("event_emitter").register_last("calling-command.*", self._capture)

    def _capture(self, call_parameters, **kwargs):
        self.aws._params = copy.deepcopy(call_parameters)
        return 0  # not None: the CLI stops here, rc 0

    def close(self):
        self.aws.driver.session.get_component("event_emitter").unregister("calling-command.*", self._capture)

    def round_trip(self, request, scripts: list[tuple[str, list[str]]]) -> None:
        script = render_cli(request, schema=SCHEMA, input_json_path=str(self.json_path))
        try:
            args = cli_arguments(request, SCHEMA)
        except CliRenderError:
            args = None
        if args is not None and "--cli-input-json" not in script:
            parsed = self.aws.parse(list(COMMAND[1:]) + args)
        else:
            assert script.startswith("# "), script
            args = ["--cli-input-json", f"file://{self.json_path}"]
            self.json_path.write_text(to_json(request), encoding="utf-8")
            self.aws.allowed_files.add(str(self.json_path))
            try:
                parsed = self.aws.parse(list(COMMAND[1:]) + args)
            finally:
                self.aws.allowed_files.discard(str(self.json_path))
        assert parsed == request, f"\n{script}\nparsed:   {parsed!r}\nexpected: {request!r}"
        scripts.append((script, list(COMMAND[1:]) + args))


def check_renderers(request, cli: Cli, scripts) -> None:
    """Nothing crashes; a request botocore accepts comes back from every format unchanged."""
    json_text, yaml_text, python_text = to_json(request), to_yaml(request), to_python(request)
    assert json.loads(json_text) == request
    assert yaml.load(yaml_text, Loader=YAML_LOADER) == request
    assert python_request(python_text) == request
    cli.round_trip(request, scripts)


_PRELUDE = "aws() { printf '%s\\0' \"$#\" \"$@\"; }\n"


def bash_split(scripts: list[str]) -> list[list[str]]:
    """Run many rendered scripts in one bash with `aws` a function; return each one's argv."""
    proc = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", _PRELUDE + 'eval "$(cat)"'],
        input="\n".join(scripts).encode("utf-8"),
        capture_output=True,
        timeout=120,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"},
    )
    assert proc.returncode == 0 and not proc.stderr, proc.stderr.decode("utf-8", "replace")[:2000]
    fields = [f.decode("utf-8") for f in proc.stdout.split(b"\0")[:-1]]
    out = []
    while fields:
        n = int(fields[0])
        out.append(fields[1:n + 1])
        del fields[:n + 1]
    return out


def check_scripts_in_bash(scripts: list[tuple[str, list[str]]]) -> None:
    if not scripts:
        return
    got = bash_split([s for s, _ in scripts])
    if got == [argv for _, argv in scripts]:
        return
    for script, argv in scripts:  # find the culprit, one bash each
        assert bash_split([script]) == [argv], script
    raise AssertionError("bash split the scripts differently together than one by one")


@pytest.fixture(scope="module")
def cli(aws, workdir):  # noqa: F811
    c = Cli(aws, workdir)
    yield c
    c.close()


# --- strategies ---------------------------------------------------------------------------------

def _short_text(extra: int):
    return lambda lo, hi: st.text(min_size=lo, max_size=lo + extra if hi is None else min(hi, lo + extra))


def _mixed_text(lo, hi):
    # Plain unicode text, or text heavy in what matters to shorthand, JSON, YAML and the shell.
    return _short_text(4)(lo, hi) | quick_tricky_text(lo, hi)


# Built once: rebuilding a schema strategy per example costs ~5 ms (hypothesis inspects lambdas).
VALID_REQUESTS = requests_from_schema(SCHEMA, respect_limits=True, use_enums=True, max_list=2, max_map=2,
                                      text_strategy=_mixed_text)
_BASES = st.one_of(*[
    requests_from_schema(SCHEMA, respect_limits=limits, max_list=2, max_map=2, text_strategy=_short_text(6),
                         optional_probability=0.25)
    for limits in (False, True)
])


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
    request = draw(_BASES)
    for _ in range(draw(st.integers(0, 3))):
        paths = [p for p in _paths(request) if p]
        if not paths:
            break
        path = paths[draw(st.integers(0, len(paths) - 1))]
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


# --- the shards -----------------------------------------------------------------------------

def run_shard(strategy, check, count: int, shard_seed: int) -> int:
    """Run `check` on `count` generated examples; return how many it really saw."""
    seen = [0]

    @seed(shard_seed)
    @settings(FUZZ_SETTINGS, max_examples=count)
    @given(strategy)
    def shard(request):
        seen[0] += 1
        check(request)

    shard()
    return seen[0]


@pytest.mark.parametrize("index", range(SHARDS))
def test_valid_requests_pass_botocore_and_round_trip(cli, index):
    count = shard_sizes(VALID_TOTAL)[index]
    scripts: list[tuple[str, list[str]]] = []

    def check(request):
        # The generator itself is checked against the oracle, so the mutated shards are not vacuous.
        assert check_against_botocore(request) == set()
        check_renderers(request, cli, scripts)

    assert run_shard(VALID_REQUESTS, check, count, SEED + index) == count
    check_scripts_in_bash(scripts)


@pytest.mark.parametrize("index", range(SHARDS))
def test_mutated_requests_get_botocore_rejections_at_the_same_paths(cli, index):
    count = shard_sizes(MUTATED_TOTAL)[index]
    scripts: list[tuple[str, list[str]]] = []

    def check(request):
        if check_against_botocore(request):
            for fmt in (to_json, to_yaml, to_python):
                assert isinstance(fmt(request), str)
            assert isinstance(render_cli(request, schema=SCHEMA), str)  # options or the fallback
        else:
            check_renderers(request, cli, scripts)  # a mutation can leave a valid request

    assert run_shard(mutated_requests(), check, count, SEED + 1000 + index) == count
    check_scripts_in_bash(scripts)


def test_shards_add_up_to_the_total():
    assert sum(shard_sizes(VALID_TOTAL)) + sum(shard_sizes(MUTATED_TOTAL)) == TOTAL


def test_oracle_sees_known_errors():
    request = {"TrainingJobName": "", "RoleArn": 5, "OutputDataConfig": {"S3OutputPath": "s3://b/"}, "Bogus": 1,
               "HyperParameters": {"k": 1}}
    assert botocore_locations(request) == {".TrainingJobName", ".RoleArn", ".Bogus", ".HyperParameters.k"}
    assert check_against_botocore(request) == botocore_locations(request)
