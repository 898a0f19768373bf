"""Differential fuzzing against external oracles: botocore's ParamValidator, the AWS CLI's own
parser, bash, and the JSON / YAML / Python readers.

TOTAL hypothesis-generated requests (default 20,000; SMJOB_FUZZ_EXAMPLES overrides the total),
half valid and half mutated, in SHARDS shards per kind with fixed seeds, so `pytest -n 2` spreads
them over both workers. Each shard asserts it checked exactly its share of distinct requests, so
hypothesis stopping early (or drawing repeats) is a failure, not a silent shortfall.

- botocore checks required members, unknown keys, types and minimums (not patterns, enums or
  maximums, which smjob adds). On every request, the paths where botocore reports an error are
  exactly the paths where smjob reports one of those kinds (smjob alone also rejects a bool given
  for a number, which botocore lets through since bool is an int).
- Nothing crashes: smjob's validate() and the four renderers take any request, and JSON
  (json.loads), YAML (yaml.safe_load) and Python (ast.literal_eval of `request = ...`) give back
  exactly the request, valid or not.
- Every request botocore accepts also round-trips through the CLI command: the AWS CLI's parser, run
  in-process, builds exactly the request from smjob's options, or, when render_cli falls back, from
  `--cli-input-json file://` holding smjob's JSON; and bash splits each rendered script into exactly
  those arguments (checked once per shard, all its scripts in one bash: bash is slow to start).

Settings: no example database (nothing to replay in CI), phases explicit/reuse/generate/shrink
(shrinking runs only after a failure, so a passing run pays nothing for it), a fixed seed per
shard. Hypothesis also draws constants (strings, numbers) found in the project modules loaded so
far, so a shard's requests can differ between running this file alone and in the whole suite; the
failing request is always printed.

CPU per request on the shared 2-core box: valid ~4 ms (generating 1.5, the AWS CLI parse ~0.5 with its
parsers built once per worker, 1.7 when rebuilt per parse; validators 0.35, JSON + YAML + Python 0.3,
bash 0.04); mutated ~3.5 ms (a third are still valid and go through the CLI too). All 20,000: ~75
CPU-seconds (generation and hypothesis's engine are about half).
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
from hypothesis import HealthCheck, Phase, assume, given, seed, settings
from hypothesis import strategies as st

from smjob.render import to_json, to_python, to_yaml
from smjob.render_cli import COMMAND, cli_arguments, render_cli
from smjob.schema import request_schema
from smjob.validate import schema_problems, validate
from tests.support.pydantic_oracle import oracle_problems
from tests.support.strategies import quick_tricky_text, requests_from_schema

pytestmark = pytest.mark.slow

TOTAL = int(os.environ.get("SMJOB_FUZZ_EXAMPLES", "20000"))
SHARDS = 8  # per kind; 16 tests in all, so xdist can balance them over its workers
VALID_TOTAL = TOTAL // 2
MUTATED_TOTAL = TOTAL - VALID_TOTAL
SEED = 20_000

SCHEMA = request_schema()
INPUT_SHAPE = (
    botocore.session.get_session().get_service_model("sagemaker").operation_model("CreateTrainingJob").input_shape
)
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


def smjob_locations(problems) -> set[str]:
    return {_dotted(p.path) for p in problems}


def _value_at(request, path):
    for step in path:
        request = request[step]
    return request


def smjob_botocore_kind_locations(request, problems) -> set[str]:
    """Where smjob reports what botocore also checks: required, unknown, type, below a minimum."""
    out = set()
    for p in problems:
        if p.rule in ("schema.required", "schema.unknown"):
            out.add(_dotted(p.path))
        elif p.rule == "schema.type":
            node, value = SCHEMA.at(p.path), _value_at(request, p.path)
            bool_for_number = (
                type(value) is bool and node is not None and node.kind in ("integer", "long", "float", "double")
            )
            # botocore takes a bool for a number (bool is an int), unless it is below the minimum
            # (True for MaxPendingTimeInSeconds, minimum 7200: 1 < 7200)
            if not bool_for_number or (node.min is not None and int(value) < node.min):
                out.add(_dotted(p.path))
        elif p.rule in ("schema.length", "schema.count", "schema.range") and "at most" not in p.message:
            out.add(_dotted(p.path))  # maximums are smjob's alone
    return out


def check_against_botocore(request) -> set[str]:
    validate(request)  # the rules too: no crash on any request
    problems = schema_problems(request)  # once: both views below read the same list
    if isinstance(request, dict):
        oracle = oracle_problems(request)
        assert problems == oracle, f"smjob's checker and pydantic-core differ:\n{problems}\n{oracle}"
    expected = botocore_locations(request)
    found = smjob_locations(problems)
    assert expected <= found, f"botocore found {expected - found} that smjob missed"
    same_kind = smjob_botocore_kind_locations(request, problems)
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

    def __init__(self, awscli, directory):
        self.aws = awscli
        self.json_path = directory / "differential job.json"  # a space: the path needs quoting too
        awscli.driver.session.get_component("event_emitter").register_last("calling-command.*", self._capture)

    def _capture(self, call_parameters, **kwargs):
        self.aws._params = copy.deepcopy(call_parameters)
        return 0  # not None: the CLI stops here, rc 0

    def close(self):
        self.aws.driver.session.get_component("event_emitter").unregister("calling-command.*", self._capture)

    def parse_options(self, request) -> dict:
        return self.aws.parse(list(COMMAND[1:]) + cli_arguments(request, SCHEMA))

    def parse_input_json(self, request) -> dict:
        self.json_path.write_text(to_json(request), encoding="utf-8")
        self.aws.allowed_files.add(str(self.json_path))
        try:
            return self.aws.parse(list(COMMAND[1:]) + ["--cli-input-json", f"file://{self.json_path}"])
        finally:
            self.aws.allowed_files.discard(str(self.json_path))

    def round_trip(self, request, scripts: list[tuple[str, list[str]]]) -> None:
        script = render_cli(request, schema=SCHEMA, input_json_path=str(self.json_path))
        if not script.startswith("# "):  # options (a fallback starts with a comment saying why)
            args = cli_arguments(request, SCHEMA)
            parsed = self.parse_options(request)
        else:
            args = ["--cli-input-json", f"file://{self.json_path}"]
            parsed = self.parse_input_json(request)
        assert parsed == request, f"\n{script}\nparsed:   {parsed!r}\nexpected: {request!r}"
        scripts.append((script, list(COMMAND[1:]) + args))


def check_formats(request) -> None:
    """JSON, YAML and Python give back exactly the request, valid or not (the editor previews both)."""
    assert json.loads(to_json(request)) == request
    assert yaml.load(to_yaml(request), Loader=YAML_LOADER) == request
    assert python_request(to_python(request)) == request


_PRELUDE = 'aws() { printf \'%s\\0\' "$#" "$@"; }\n'


def bash_split(scripts: list[str]) -> list[list[str]]:
    """Run rendered scripts in one bash with `aws` a function; return the argv of each call."""
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
        out.append(fields[1 : n + 1])
        del fields[: n + 1]
    return out


def check_scripts_in_bash(scripts: list[tuple[str, list[str]]]) -> None:
    """Each rendered script, run by bash, calls `aws` with exactly the arguments the CLI parsed."""
    if not scripts:
        return
    try:
        if bash_split([s for s, _ in scripts]) == [argv for _, argv in scripts]:
            return
    except AssertionError:
        pass
    for script, argv in scripts:  # find the culprit, one bash each
        assert bash_split([script]) == [argv], script
    raise AssertionError("bash split the scripts differently together than one by one")


@pytest.fixture(scope="module")
def cli(aws, workdir):
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
# optional_probability 0.2: requests about the size the suite drew before (~350 JSON characters).
VALID_REQUESTS = requests_from_schema(
    SCHEMA,
    respect_limits=True,
    use_enums=True,
    max_list=2,
    max_map=2,
    text_strategy=_mixed_text,
    optional_probability=0.2,
)
_BASES = st.one_of(
    *[
        requests_from_schema(
            SCHEMA, respect_limits=limits, max_list=2, max_map=2, text_strategy=_short_text(6), optional_probability=0.2
        )
        for limits in (False, True)
    ]
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


_MUTATIONS = st.integers(0, 3)
_ACTION = st.sampled_from(["replace", "delete", "unknown"])
_JUNK = st.sampled_from(JUNK)
_UNKNOWN_KEY = st.sampled_from(["Bogus", "trainingJobName", "X"])


@st.composite
def mutated_requests(draw):
    request = draw(_BASES)
    for _ in range(draw(_MUTATIONS)):
        paths = [p for p in _paths(request) if p]
        if not paths:
            break
        path = paths[draw(st.integers(0, len(paths) - 1))]
        parent = request
        for step in path[:-1]:
            parent = parent[step]
        action = draw(_ACTION)
        if action == "replace":
            parent[path[-1]] = copy.deepcopy(draw(_JUNK))  # JUNK items are shared
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(_UNKNOWN_KEY)] = "x"
    return request


# --- the shards -----------------------------------------------------------------------------


def run_shard(strategy, check, count: int, shard_seed: int) -> int:
    """Run `check` on `count` distinct generated requests; return how many it really checked.

    Different choices can build the same request (hypothesis dedupes choices, not results), so a
    repeat is rejected and hypothesis draws another. A request joins `done` only once it passed,
    so a failing one still replays and shrinks.
    """
    if count == 0:
        pytest.skip("SMJOB_FUZZ_EXAMPLES leaves this shard nothing to run")
    done: set[str] = set()

    @seed(shard_seed)
    @settings(FUZZ_SETTINGS, max_examples=count)
    @given(strategy)
    def shard(request):
        key = json.dumps(request, sort_keys=True)
        assume(key not in done)
        check(request)
        done.add(key)

    shard()
    return len(done)


@pytest.mark.parametrize("index", range(SHARDS))
def test_valid_requests_pass_botocore_and_round_trip(cli, index):
    count = shard_sizes(VALID_TOTAL)[index]
    scripts: list[tuple[str, list[str]]] = []

    def check(request):
        # The generator itself is checked against the oracle, so the mutated shards are not vacuous.
        assert check_against_botocore(request) == set()
        check_formats(request)
        cli.round_trip(request, scripts)

    assert run_shard(VALID_REQUESTS, check, count, SEED + index) == count
    check_scripts_in_bash(scripts)


@pytest.mark.parametrize("index", range(SHARDS))
def test_mutated_requests_get_botocore_rejections_at_the_same_paths(cli, index):
    count = shard_sizes(MUTATED_TOTAL)[index]
    scripts: list[tuple[str, list[str]]] = []

    def check(request):
        check_formats(request)
        if check_against_botocore(request):
            assert isinstance(render_cli(request, schema=SCHEMA), str)  # no crash: options or the fallback
        else:
            cli.round_trip(request, scripts)  # a mutation can leave a valid request

    assert run_shard(mutated_requests(), check, count, SEED + 1000 + index) == count
    check_scripts_in_bash(scripts)


def test_reused_parsers_parse_exactly_as_fresh_ones(cli):
    """The oracle builds its argparse parsers once per worker (tests/support/awscli.py); here a run of
    requests, as options and as --cli-input-json (which clears the arg table's required flags), is
    parsed by the reused parsers and each one again by parsers built anew, as the real CLI does."""
    parsed = {cli.parse_options: 0, cli.parse_input_json: 0}

    @seed(SEED - 1)
    @settings(FUZZ_SETTINGS, max_examples=60)
    @given(VALID_REQUESTS)
    def sample(request):
        options = not render_cli(request, schema=SCHEMA).startswith("# ")  # else smjob falls back to JSON
        for parse in [cli.parse_options] * options + [cli.parse_input_json] + [cli.parse_options] * options:
            reused = parse(request)
            with cli.aws.fresh_parsers():
                fresh = parse(request)
            assert reused == fresh == request
            parsed[parse] += 1

    sample()
    assert parsed[cli.parse_input_json] == 60 and parsed[cli.parse_options] > 60


def test_shards_add_up_to_the_total():
    assert sum(shard_sizes(VALID_TOTAL)) + sum(shard_sizes(MUTATED_TOTAL)) == TOTAL


def test_items_of_a_list_over_its_maximum_are_still_checked():
    # Found by the fuzzing above: pydantic-core stops at a list's max_length without checking the
    # items, so smjob used to miss item errors botocore reports (51 Tags with an empty Key gave
    # only "allows at most 50").
    request = {
        "TrainingJobName": "j",
        "RoleArn": "arn:aws:iam::123456789012:role/r",
        "OutputDataConfig": {"S3OutputPath": "s3://b/"},
        "Tags": [{"Key": "", "Value": "v"}] * 51,
    }
    assert {f".Tags[{i}].Key" for i in range(51)} <= botocore_locations(request)
    check_against_botocore(request)


def test_oracle_sees_known_errors():
    request = {
        "TrainingJobName": "",
        "RoleArn": 5,
        "OutputDataConfig": {"S3OutputPath": "s3://b/"},
        "Bogus": 1,
        "HyperParameters": {"k": 1},
    }
    assert botocore_locations(request) == {".TrainingJobName", ".RoleArn", ".Bogus", ".HyperParameters.k"}
    assert check_against_botocore(request) == botocore_locations(request)
