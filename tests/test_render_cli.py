"""smjob.render_cli, checked against the real AWS CLI v1 parser.

The oracle: the rendered command is split into argv by real bash (an `aws` shell function
prints its arguments NUL-separated), then run through awscli's own driver in-process
(`create_clidriver().main(argv)`). A `before-parameter-build` handler records the parameters
botocore would receive and stops the call before validation, signing or any network access,
so requests need not be valid, only correctly typed. Paramfile loading (`file://`, `http://`,
...) is trapped: the CLI trying to read a file or URL fails the test.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smjob.render_cli import (
    COMMAND,
    PARAMFILE_PREFIXES,
    CliRenderError,
    cli_arguments,
    cli_option_name,
    option_groups,
    render_cli,
)
from smjob.schema import Node, request_schema
from smjob.terminal_text import is_safe
from tests.support.awscli import AwsCli
from tests.support.strategies import plain_key, requests_from_schema, tricky_text

FUZZ_EXAMPLES = int(os.environ.get("SMJOB_FUZZ_EXAMPLES", "200"))
SCHEMA = request_schema()
BASE = {
    "TrainingJobName": "job",
    "RoleArn": "arn:aws:iam::123456789012:role/r",
    "OutputDataConfig": {"S3OutputPath": "s3://bucket/out/"},
}


# --- the oracle: the AWS CLI in-process (tests/support/awscli.py, fixture `aws`) and bash ---------


_PRELUDE = "aws() { printf '%s\\0' \"$@\"; }\n"


def bash_argv(script: str) -> list[str]:
    """Run `script` in bash with `aws` defined as a function; return the argv it received."""
    proc = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", _PRELUDE + 'eval "$(cat)"'],
        input=script.encode("utf-8"),
        capture_output=True,
        timeout=30,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"},
    )
    assert proc.returncode == 0 and not proc.stderr, proc.stderr.decode("utf-8", "replace")
    assert proc.stdout.endswith(b"\0"), proc.stdout
    return [a.decode("utf-8") for a in proc.stdout[:-1].split(b"\0")]


def bash_syntax_ok(script: str) -> None:
    proc = subprocess.run(["bash", "-n"], input=script.encode("utf-8"), capture_output=True, timeout=30)
    assert proc.returncode == 0, proc.stderr.decode()


def split_command(script: str) -> list[str]:
    argv = bash_argv(script)
    assert argv[:2] == list(COMMAND[1:]), argv[:2]
    return argv


def groups_of(argv: list[str]) -> dict[str, list[str]]:
    """`--opt a b --flag --x=-1` -> {'--opt': ['a', 'b'], '--flag': [], '--x': ['-1']}."""
    out: dict[str, list[str]] = {}
    current = None
    for arg in argv:
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            current = out.setdefault(name, [])
            if eq:
                current.append(value)
        else:
            current.append(arg)
    return out


def round_trip(aws: AwsCli, request: dict) -> str:
    """Render, split with bash, parse with the CLI; assert the CLI sends exactly `request`."""
    script = render_cli(request, schema=SCHEMA)
    assert "--cli-input-json" not in script, script
    assert is_safe(script, multiline=True), script  # no raw ESC, C1, bidi...: $'...' escapes them
    argv = split_command(script)
    assert argv[2:] == cli_arguments(request, SCHEMA)
    parsed = aws.parse(argv)
    assert parsed == request, f"\n{script}\nparsed:   {parsed!r}\nexpected: {request!r}"
    return script


def run_fallback(aws: AwsCli, workdir: Path, request: dict, script: str, json_path: Path) -> dict:
    """Run a `--cli-input-json` fallback script after saving the request where it says."""
    assert script.startswith("# "), script
    bash_syntax_ok(script)
    json_path.write_text(json.dumps(request), encoding="ascii")
    aws.allowed_files.add(str(json_path))
    try:
        argv = split_command(script)
        assert argv[2:] == ["--cli-input-json", f"file://{json_path}"]
        return aws.parse(argv)
    finally:
        aws.allowed_files.discard(str(json_path))


def with_base(**members) -> dict:
    request = dict(BASE)
    request.update(members)
    return request


# --- option names ---------------------------------------------------------------------------


def test_option_names_match_awscli_arg_table(aws):
    command = aws.driver._get_command_table()["sagemaker"]
    operation = command._get_command_table()["create-training-job"]
    table = operation.arg_table
    ours = set()
    for member in SCHEMA.members:
        name = cli_option_name(member.name)[2:]
        assert name in table, (member.name, name)
        assert table[name].name == name and table[name].argument_model.name == SCHEMA.member(member.name).shape
        ours.add(name)
        if member.kind == "boolean":
            ours.add("no-" + name)
    assert set(table) - ours == {"cli-input-json", "generate-cli-skeleton"}


# --- section 4: the worked example ------------------------------------------------------------

WORKED_EXAMPLE = r"""aws sagemaker create-training-job \
  --training-job-name demo-job-1 \
  --role-arn arn:aws:iam::123456789012:role/SageMakerRole \
  --hyper-parameters 'epochs=10,learning_rate=1e-4,optimizer=adam,sagemaker_program=train.py,layers="[64, 32]",note="it'"'"'s \"quoted\""' \
  --algorithm-specification 'TrainingImage=123456789012.dkr.ecr.us-east-1.amazonaws.com/img:latest,TrainingInputMode=File,MetricDefinitions=[{Name=train:loss,Regex="loss: ([0-9\.]+)"},{Name=val:acc,Regex="val_acc=([0-9]{1,3}\.[0-9]+), epoch '"'"'(\d+)'"'"'"},{Name=f1,Regex='"'"'"f1": \[([^\]]+)\]'"'"'}],EnableSageMakerMetricsTimeSeries=true,ContainerArguments=[--epochs,10,"a b"]' \
  --input-data-config 'ChannelName=train,DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://bucket/train/,S3DataDistributionType=FullyReplicated}},ContentType=text/csv,InputMode=File' 'ChannelName=validation,DataSource={S3DataSource={S3DataType=S3Prefix,S3Uri=s3://bucket/val/}},CompressionType=Gzip' \
  --output-data-config S3OutputPath=s3://bucket/output/ \
  --resource-config InstanceType=ml.m5.xlarge,InstanceCount=2,VolumeSizeInGB=50 \
  --vpc-config 'SecurityGroupIds=[sg-0123456789abcdef0],Subnets=[subnet-aaa,subnet-bbb]' \
  --stopping-condition MaxRuntimeInSeconds=86400,MaxWaitTimeInSeconds=90000 \
  --tags 'Key=team,Value="ml platform"' 'Key=cost:center,Value="a=b+c@d"' \
  --enable-managed-spot-training \
  --no-enable-network-isolation \
  --environment 'OPTS="--foo=1,--bar=2",GREETING="say \"hi\" it'"'"'s",EMPTY="",SPACES="  padded  "' \
  --debug-rule-configurations 'RuleConfigurationName=LossNotDecreasing,RuleEvaluatorImage=503895931360.dkr.ecr.us-east-1.amazonaws.com/sagemaker-debugger-rules:latest,RuleParameters={rule_to_invoke=LossNotDecreasing,tensor_regex=".*loss.*,.*acc.*"}'"""  # noqa: E501 - the spec's output, verbatim

WORKED_REQUEST = {
    "TrainingJobName": "demo-job-1",
    "HyperParameters": {
        "epochs": "10",
        "learning_rate": "1e-4",
        "optimizer": "adam",
        "sagemaker_program": "train.py",
        "layers": "[64, 32]",
        "note": 'it\'s "quoted"',
    },
    "AlgorithmSpecification": {
        "TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/img:latest",
        "TrainingInputMode": "File",
        "MetricDefinitions": [
            {"Name": "train:loss", "Regex": r"loss: ([0-9\.]+)"},
            {"Name": "val:acc", "Regex": r"val_acc=([0-9]{1,3}\.[0-9]+), epoch '(\d+)'"},
            {"Name": "f1", "Regex": r'"f1": \[([^\]]+)\]'},
        ],
        "EnableSageMakerMetricsTimeSeries": True,
        "ContainerArguments": ["--epochs", "10", "a b"],
    },
    "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
    "InputDataConfig": [
        {
            "ChannelName": "train",
            "DataSource": {
                "S3DataSource": {
                    "S3DataType": "S3Prefix",
                    "S3Uri": "s3://bucket/train/",
                    "S3DataDistributionType": "FullyReplicated",
                }
            },
            "ContentType": "text/csv",
            "InputMode": "File",
        },
        {
            "ChannelName": "validation",
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://bucket/val/"}},
            "CompressionType": "Gzip",
        },
    ],
    "OutputDataConfig": {"S3OutputPath": "s3://bucket/output/"},
    "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 2, "VolumeSizeInGB": 50},
    "VpcConfig": {"SecurityGroupIds": ["sg-0123456789abcdef0"], "Subnets": ["subnet-aaa", "subnet-bbb"]},
    "StoppingCondition": {"MaxRuntimeInSeconds": 86400, "MaxWaitTimeInSeconds": 90000},
    "Tags": [{"Key": "team", "Value": "ml platform"}, {"Key": "cost:center", "Value": "a=b+c@d"}],
    "EnableNetworkIsolation": False,
    "EnableManagedSpotTraining": True,
    "DebugRuleConfigurations": [
        {
            "RuleConfigurationName": "LossNotDecreasing",
            "RuleEvaluatorImage": "503895931360.dkr.ecr.us-east-1.amazonaws.com/sagemaker-debugger-rules:latest",
            "RuleParameters": {"rule_to_invoke": "LossNotDecreasing", "tensor_regex": ".*loss.*,.*acc.*"},
        },
    ],
    "Environment": {"OPTS": "--foo=1,--bar=2", "GREETING": 'say "hi" it\'s', "EMPTY": "", "SPACES": "  padded  "},
}


def test_worked_example_parses_to_the_request(aws):
    assert aws.parse(split_command(WORKED_EXAMPLE)) == WORKED_REQUEST


def test_worked_example_renders_option_for_option_as_in_the_spec(aws):
    script = round_trip(aws, WORKED_REQUEST)
    expected = groups_of(split_command(WORKED_EXAMPLE)[2:])
    ours = groups_of(split_command(script)[2:])
    assert ours == expected
    # Options come in the API's member order (the spec's example lists --role-arn second).
    api_order = [cli_option_name(m.name) for m in SCHEMA.members]
    seen = [g[0].split("=")[0].replace("--no-", "--") for g in option_groups(WORKED_REQUEST, SCHEMA)]
    assert seen == [o for o in api_order if o in seen]
    # The layout: the command, then one option per line, joined with ` \`.
    lines = script.split("\n")
    assert lines[0] == "aws sagemaker create-training-job \\"
    assert all(line.startswith("  --") and line.endswith(" \\") for line in lines[1:-1])
    assert lines[-1].startswith("  --") and not lines[-1].endswith("\\")
    assert len(lines) == 1 + len(expected)


# --- section 3: the small verified outputs, text for text ------------------------------------

SPEC_OUTPUTS = [
    ({"HyperParameters": {"my key": "x"}}, """--hyper-parameters '{"my key":"x"}'"""),
    ({"HyperParameters": {"data_dir": "C:\\data\\"}}, """--hyper-parameters '{"data_dir":"C:\\\\data\\\\"}'"""),
    ({"HyperParameters": {"file://cfg": "1"}}, """--hyper-parameters '{"file://cfg":"1"}'"""),
    ({"HyperParameters": {"-lr": "0.1"}}, "--hyper-parameters=-lr=0.1"),
    (
        {"HyperParameters": {"a": "both ' and \" here", "b": "x\\\\y", "c": "é😀"}},
        """--hyper-parameters 'a="both '"'"' and \\" here",b="x\\\\\\\\y",c="é😀"'""",
    ),
    (
        {"AlgorithmSpecification": {"TrainingImage": "img", "MetricDefinitions": [{"Name": "q", "Regex": 'a\\"b'}]}},
        """--algorithm-specification 'TrainingImage=img,MetricDefinitions=[{Name=q,Regex='"'"'a\\"b'"'"'}]'""",
    ),
    ({"Tags": []}, "--tags '[]'"),
    ({"VpcConfig": {"SecurityGroupIds": [], "Subnets": ["s-1"]}}, "--vpc-config 'SecurityGroupIds=[],Subnets=[s-1]'"),
]


@pytest.mark.parametrize("members,expected", SPEC_OUTPUTS, ids=[e for _, e in SPEC_OUTPUTS])
def test_spec_verified_outputs(aws, members, expected):
    request = with_base(**members)
    script = round_trip(aws, request)
    assert "  " + expected + " \\" in script.split("\n") or script.endswith("\n  " + expected)


# --- hand cases for every quoting and JSON rule ----------------------------------------------


def _hp(**kv):
    return {"HyperParameters": kv}


def _hpd(d):
    return {"HyperParameters": d}


SHORTHAND = "shorthand"
JSON = "json"
EQUALS = "equals"  # --opt=value
VERBATIM = "verbatim"  # --opt value, for top-level scalars

HAND_CASES = {
    # quoting inside shorthand
    "comma": (_hp(a="x,y", b="1"), "--hyper-parameters", SHORTHAND),
    "escaped-comma-literal": (_hp(a="x\\,y", b="\\,"), "--hyper-parameters", SHORTHAND),
    "double-quote": (_hp(a='say "hi"', b='"', c='""'), "--hyper-parameters", SHORTHAND),
    "single-quote": (_hp(a="it's", b="'", c="''"), "--hyper-parameters", SHORTHAND),
    "both-quotes": (_hp(a="both ' and \" here", b="'\"", c="\"'"), "--hyper-parameters", SHORTHAND),
    "equals": (_hp(a="k=v", b="=start", c="end=", d="=="), "--hyper-parameters", SHORTHAND),
    "brackets": (_hp(a="[1, 2]", b="]", c="[", d="[]", e="a]b"), "--hyper-parameters", SHORTHAND),
    "braces": (_hp(a="{x}", b="}", c="{", d="{}", e='{"json": [1]}'), "--hyper-parameters", SHORTHAND),
    "spaces": (_hp(a=" padded ", b="a b", c=" ", d="  x"), "--hyper-parameters", SHORTHAND),
    "tabs-newlines": (_hp(a="\t", b="line1\nline2", c="\n", d="\r\n", e="x\t"), "--hyper-parameters", SHORTHAND),
    "unicode-space": (_hp(a="\u00a0x\u00a0", b="\u2028", c="\x0b\x0c\x1f"), "--hyper-parameters", SHORTHAND),
    "control-chars": (_hp(a="\x01\x7f", b="\x1b[0m"), "--hyper-parameters", SHORTHAND),
    "backslash-mid": (_hp(a="C:\\data\\x", b="\\n"), "--hyper-parameters", SHORTHAND),
    "double-backslash": (_hp(a="x\\\\y", b="\\\\x", c="\\\\\\\\ \\\\x"), "--hyper-parameters", SHORTHAND),
    "double-backslash-trailing": (_hp(a="ok", b="\\\\"), "--hyper-parameters", JSON),
    "backslash-quote": (_hp(a="x\\'y", b='x\\"y', c="\\'\\\"", d="\\\\'"), "--hyper-parameters", SHORTHAND),
    "regex": (_hp(a="\\d+\\.\\d*", b="^(\\w+)\\s*$", c="[^\\]]"), "--hyper-parameters", SHORTHAND),
    "trailing-backslash": (_hp(a="ok", b="x\\"), "--hyper-parameters", JSON),
    "only-backslash": (_hp(a="\\"), "--hyper-parameters", JSON),
    "trailing-backslash-nested": (
        {"AlgorithmSpecification": {"TrainingImage": "i", "MetricDefinitions": [{"Name": "n", "Regex": "a\\"}]}},
        "--algorithm-specification",
        JSON,
    ),
    "emoji-accents": (_hp(a="😀", b="é", c="naïve 😀 ☃", d="\U0010ffff"), "--hyper-parameters", SHORTHAND),
    "shell-metachars": (_hp(a="$HOME", b="`id`", c="$(id)", d="!x", e="*?;&|<>~%^#"), "--hyper-parameters", SHORTHAND),
    "bool-and-number-strings": (
        _hp(a="true", b="False", c="10", d="-1", e="1e-4", f="null"),
        "--hyper-parameters",
        SHORTHAND,
    ),
    "empty-string-values": (_hp(a="", b="", c="x"), "--hyper-parameters", SHORTHAND),
    # paramfile prefixes nested are literal
    "file-nested-value": (
        _hp(cfg="file://x", b="fileb://y", c="http://h/", d="https://h/"),
        "--hyper-parameters",
        SHORTHAND,
    ),
    "file-second-key": (_hpd({"a": "1", "file://cfg": "2", "http://h": "3"}), "--hyper-parameters", SHORTHAND),
    "file-nested-struct": (
        {
            "AlgorithmSpecification": {
                "TrainingImage": "file://img",
                "TrainingInputMode": "File",
                "MetricDefinitions": [{"Name": "fileb://n", "Regex": "https://x"}],
                "ContainerEntrypoint": ["file://a", "http://b"],
            }
        },
        "--algorithm-specification",
        SHORTHAND,
    ),
    "file-in-list-element": ({"Tags": [{"Key": "file://k", "Value": "file://secret"}]}, "--tags", SHORTHAND),
    "file-first-key": (_hpd({"file://cfg": "1", "b": "2"}), "--hyper-parameters", JSON),
    "fileb-first-key": (_hpd({"fileb://cfg": "1"}), "--hyper-parameters", JSON),
    "http-first-key": (_hpd({"http://h": "1"}), "--hyper-parameters", JSON),
    "https-first-key": ({"Environment": {"https://h": "1", "A": "2"}}, "--environment", JSON),
    # odd and plain map keys
    "plain-odd-looking-keys": (
        _hpd({"a.b/c:d#e-f_g": "1", "#": "2", "-": "3", "::": "4"}),
        "--hyper-parameters",
        SHORTHAND,
    ),
    "key-with-space": (_hpd({"my key": "x"}), "--hyper-parameters", JSON),
    "key-empty": (_hpd({"": "x"}), "--hyper-parameters", JSON),
    "key-with-equals": (_hpd({"a=b": "x"}), "--hyper-parameters", JSON),
    "key-with-quote": (_hpd({"a'b": "x", 'c"': "y"}), "--hyper-parameters", JSON),
    "key-with-at": (_hpd({"a@": "x"}), "--hyper-parameters", JSON),
    "key-with-emoji": (_hpd({"😀": "x"}), "--hyper-parameters", JSON),
    "nested-odd-key": (
        {
            "DebugRuleConfigurations": [
                {"RuleConfigurationName": "r", "RuleEvaluatorImage": "i", "RuleParameters": {"a b": "1"}}
            ]
        },
        "--debug-rule-configurations",
        JSON,
    ),
    # leading dashes
    "leading-dash-first-key": (_hpd({"-lr": "0.1", "b": "-x"}), "--hyper-parameters", EQUALS),
    "double-dash-first-key": (_hpd({"--": "--", "-": "-"}), "--hyper-parameters", EQUALS),
    "leading-dash-values": (_hp(a="-", b="--", c="-x y", d="--flag=1"), "--hyper-parameters", SHORTHAND),
    "leading-dash-list-items": (
        {
            "AlgorithmSpecification": {
                "TrainingInputMode": "File",
                "ContainerArguments": ["--epochs", "-1", "-", "--", "- x"],
            }
        },
        "--algorithm-specification",
        SHORTHAND,
    ),
    "leading-dash-top-scalar": ({"TrainingJobName": "-job"}, "--training-job-name", EQUALS),
    "lone-dash-top-scalar": ({"TrainingJobName": "-"}, "--training-job-name", EQUALS),
    "dash-space-top-scalar": ({"RoleArn": "-x y\n"}, "--role-arn", EQUALS),
    "empty-top-scalar": ({"TrainingJobName": ""}, "--training-job-name", VERBATIM),
    "odd-top-scalar": (
        {"TrainingJobName": " a'b\"c\\ \n😀 [x] {y} ", "RoleArn": "\\"},
        "--training-job-name",
        VERBATIM,
    ),
    "top-scalar-looks-like-json": ({"TrainingJobName": "[1]", "RoleArn": "{}"}, "--training-job-name", VERBATIM),
    "top-scalar-prefix-not-at-start": (
        {"TrainingJobName": " file://x", "RoleArn": "FILE://x"},
        "--training-job-name",
        VERBATIM,
    ),
    # empty containers
    "empty-top-map": (_hpd({}), "--hyper-parameters", JSON),
    "empty-top-struct": ({"RetryStrategy": {}}, "--retry-strategy", JSON),
    "empty-top-list": ({"InputDataConfig": []}, "--input-data-config", JSON),
    "empty-list-element": ({"Tags": [{"Key": "a", "Value": "b"}, {}]}, "--tags", JSON),
    "empty-nested": (
        {
            "VpcConfig": {"SecurityGroupIds": [], "Subnets": []},
            "DebugHookConfig": {
                "S3OutputPath": "s3://b/",
                "HookParameters": {},
                "CollectionConfigurations": [{}, {"CollectionParameters": {}}],
            },
        },
        "--debug-hook-config",
        SHORTHAND,
    ),
    "single-empty-string-list": (
        {
            "AlgorithmSpecification": {
                "TrainingInputMode": "File",
                "ContainerEntrypoint": [""],
                "ContainerArguments": [" "],
            }
        },
        "--algorithm-specification",
        SHORTHAND,
    ),
    "empty-strings-in-lists": (
        {"AlgorithmSpecification": {"TrainingInputMode": "File", "ContainerEntrypoint": ["", " ", ""]}},
        "--algorithm-specification",
        SHORTHAND,
    ),
    # types
    "flags": (
        {
            "EnableNetworkIsolation": True,
            "EnableInterContainerTrafficEncryption": False,
            "EnableManagedSpotTraining": True,
        },
        "--enable-network-isolation",
        SHORTHAND,
    ),
    "nested-booleans": (
        {
            "RemoteDebugConfig": {"EnableRemoteDebug": False},
            "ProfilerConfig": {"DisableProfiler": True, "ProfilingIntervalInMilliseconds": 10**15},
        },
        "--remote-debug-config",
        SHORTHAND,
    ),
    "integers": (
        {
            "ResourceConfig": {"InstanceCount": 0, "VolumeSizeInGB": -1, "KeepAlivePeriodInSeconds": 10**30},
            "StoppingCondition": {"MaxRuntimeInSeconds": -(10**20)},
        },
        "--resource-config",
        SHORTHAND,
    ),
    "long-in-list": (
        {"InputDataConfig": [{"ChannelName": "c", "DataSource": {}, "ShuffleConfig": {"Seed": -7}}]},
        "--input-data-config",
        SHORTHAND,
    ),
    "int-as-string-nested": ({"ResourceConfig": {"InstanceCount": "2"}}, "--resource-config", JSON),
    "bool-as-string-nested": ({"RemoteDebugConfig": {"EnableRemoteDebug": "true"}}, "--remote-debug-config", JSON),
    "string-as-int-nested": ({"OutputDataConfig": {"S3OutputPath": 5}}, "--output-data-config", JSON),
    "none-nested": (
        {"ResourceConfig": {"InstanceCount": None, "InstanceType": "ml.m5.large"}},
        "--resource-config",
        JSON,
    ),
    "scalar-for-list-nested": ({"VpcConfig": {"SecurityGroupIds": "sg-1", "Subnets": ["s"]}}, "--vpc-config", JSON),
    "unknown-nested-member": (
        {"AlgorithmSpecification": {"TrainingInputMode": "File", "Bogus": "x y"}},
        "--algorithm-specification",
        SHORTHAND,
    ),
    "unknown-nested-int": (
        {"AlgorithmSpecification": {"TrainingInputMode": "File", "Bogus": 1}},
        "--algorithm-specification",
        JSON,
    ),
    # characters argv cannot carry
    "nul-nested": (_hp(a="x\x00y"), "--hyper-parameters", JSON),
    "lone-surrogate-nested": (_hp(a="x\ud800y"), "--hyper-parameters", JSON),
    # the spec's kitchen sinks
    "nested-everything": (
        {
            "DebugHookConfig": {
                "S3OutputPath": "s3://b/p",
                "LocalPath": "/opt/ml/x y",
                "HookParameters": {"save_interval": "100", "include_regex": ".*relu_output,.*"},
                "CollectionConfigurations": [
                    {"CollectionName": "losses", "CollectionParameters": {"reductions": "mean, max"}},
                    {"CollectionName": "w'eights\""},
                ],
            },
            "ResourceConfig": {
                "InstanceGroups": [
                    {"InstanceType": "ml.p4d.24xlarge", "InstanceCount": 1, "InstanceGroupName": "a,b=c"}
                ],
                "InstancePreferences": [{"InstanceType": "ml.g5.xlarge", "TrainingPlanArns": ["arn:x,y"]}],
            },
        },
        "--debug-hook-config",
        SHORTHAND,
    ),
}


def test_reused_client_and_parsers_parse_exactly_as_fresh_ones(aws):
    # tests/support/awscli.py builds the parsers and the botocore client once per module.
    for members, _, _ in HAND_CASES.values():
        request = with_base(**members)
        argv = split_command(render_cli(request, schema=SCHEMA))
        reused = aws.parse(argv)
        with aws.fresh_parsers():
            assert aws.parse(argv) == reused == request


@pytest.mark.parametrize("name", list(HAND_CASES))
def test_hand_case_round_trips(aws, name):
    members, option, form = HAND_CASES[name]
    request = with_base(**members)
    round_trip(aws, request)
    groups = {g[0].split("=", 1)[0]: g for g in option_groups(request, SCHEMA)}
    group = groups[option]
    if form == JSON:
        assert len(group) == 2 and group[1][0] in "[{", group
        assert json.loads(group[1]) == request[SCHEMA_NAME[option]]
    elif form == EQUALS:
        assert len(group) == 1 and group[0].startswith(option + "=-"), group
    elif form == VERBATIM:
        assert group == [option, request[SCHEMA_NAME[option]]]
    else:
        assert all(not a.startswith(("{", "[")) for a in group[1:]), group


SCHEMA_NAME = {cli_option_name(m.name): m.name for m in SCHEMA.members}


def test_none_members_are_unset():
    assert cli_arguments({"TrainingJobName": "j", "Tags": None}, SCHEMA) == ["--training-job-name", "j"]


def test_structure_members_follow_api_order_and_maps_keep_theirs():
    request = {
        "ResourceConfig": {"VolumeSizeInGB": 5, "InstanceType": "t", "InstanceCount": 1},
        "HyperParameters": {"z": "1", "a": "2"},
    }
    assert cli_arguments(request, SCHEMA) == [
        "--hyper-parameters",
        "z=1,a=2",
        "--resource-config",
        "InstanceType=t,InstanceCount=1,VolumeSizeInGB=5",
    ]


def test_quoting_keeps_regexes_readable():
    # `\d` stays single: only values containing `\\` or a backslash before the quote are doubled.
    args = cli_arguments({"HyperParameters": {"r": "\\d+\\.\\d", "s": "a\\\\b", "t": 'x\\"y'}}, SCHEMA)
    assert args == ["--hyper-parameters", 'r="\\d+\\.\\d",s="a\\\\\\\\b",t=\'x\\"y\'']


# --- rules that need a schema this API does not have ----------------------------------------


def _synthetic() -> Node:
    s = Node(name="member", kind="string", shape="S")
    key = Node(name="key", kind="string", shape="K")
    return Node(
        name="Op",
        kind="structure",
        shape="Op",
        members=(
            Node(name="Names", kind="list", shape="Names", item=s),
            Node(
                name="Matrix", kind="list", shape="Matrix", item=Node(name="member", kind="list", shape="Names", item=s)
            ),
            Node(
                name="Maps",
                kind="list",
                shape="Maps",
                item=Node(name="member", kind="map", shape="M", key=key, value=s),
            ),
            Node(name="When", kind="timestamp", shape="T"),
            Node(
                name="Conf",
                kind="structure",
                shape="Conf",
                members=(Node(name="Blob", kind="blob", shape="B"), Node(name="Rate", kind="double", shape="D")),
            ),
            Node(name="Rate", kind="float", shape="F"),
            Node(name="Count", kind="long", shape="L"),
        ),
    )


def test_top_level_list_of_scalars_or_lists_is_json():
    schema = _synthetic()
    assert cli_arguments({"Names": ["a,b", "c"]}, schema) == ["--names", '["a,b","c"]']
    assert cli_arguments({"Matrix": [["a"], []]}, schema) == ["--matrix", '[["a"],[]]']


def test_list_element_starting_with_dash_is_json():
    schema = _synthetic()
    assert cli_arguments({"Maps": [{"a": "1"}, {"b": "2"}]}, schema) == ["--maps", "a=1", "b=2"]
    assert cli_arguments({"Maps": [{"a": "1"}, {"-b": "2"}]}, schema) == ["--maps", '[{"a":"1"},{"-b":"2"}]']
    assert cli_arguments({"Maps": [{"file://b": "2"}]}, schema) == ["--maps", '[{"file://b":"2"}]']


def test_blob_and_timestamp_members_are_json_or_refused():
    schema = _synthetic()
    assert cli_arguments({"Conf": {"Blob": "aGk=", "Rate": 0.5}}, schema) == ["--conf", '{"Blob":"aGk=","Rate":0.5}']
    assert cli_arguments({"Conf": {"Rate": 0.5}}, schema) == ["--conf", "Rate=0.5"]
    assert cli_arguments({"Rate": -1.5, "Count": -3}, schema) == ["--rate=-1.5", "--count=-3"]
    with pytest.raises(CliRenderError):
        cli_arguments({"When": "2024-01-01"}, schema)
    with pytest.raises(CliRenderError):
        cli_arguments({"Conf": {"Blob": b"\x00"}}, schema)


# --- what cannot be written as options -----------------------------------------------------

REFUSED = {
    "file-job-name": {"TrainingJobName": "file://job.json"},
    "fileb-role": {"RoleArn": "fileb://role"},
    "http-role": {"RoleArn": "http://169.254.169.254/latest/meta-data/"},
    "https-job-name": {"TrainingJobName": "https://example.com/x"},
    "double-dash": {"TrainingJobName": "--"},
    "nul-top-level": {"TrainingJobName": "a\x00b"},
    "unknown-member": {"Bogus": 1},
    "flag-as-string": {"EnableNetworkIsolation": "true"},
    "name-as-int": {"TrainingJobName": 5},
    "map-as-list": {"HyperParameters": [["a", "b"]]},
    "list-as-map": {"Tags": {"Key": "a", "Value": "b"}},
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_inexpressible_requests_fall_back_to_cli_input_json(aws, workdir, name):
    request = with_base(**REFUSED[name])
    with pytest.raises(CliRenderError):
        cli_arguments(request, SCHEMA)
    path = workdir / f"refused {name}.json"  # a space in the path needs quoting too
    script = render_cli(request, schema=SCHEMA, input_json_path=str(path))
    assert "--cli-input-json" in script
    if name not in ("unknown-member", "flag-as-string", "name-as-int", "map-as-list", "list-as-map"):
        assert run_fallback(aws, workdir, request, script, path) == request


def test_cli_render_error_is_a_value_error():
    assert issubclass(CliRenderError, ValueError)
    with pytest.raises(ValueError, match="file://"):
        cli_arguments({"TrainingJobName": "file://x"}, SCHEMA)


# --- size limits ------------------------------------------------------------------------------


def _large_request() -> dict:
    request = with_base(
        HyperParameters={f"param_{i:03d}": ("v,'\"\\ " * 500)[:2499] + "x" for i in range(100)},
        InputDataConfig=[
            {
                "ChannelName": f"ch{i}",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://bucket/data/{i}/"}},
                "ContentType": "application/x-recordio",
                "InputMode": "File",
            }
            for i in range(20)
        ],
    )
    return request


def test_large_request_falls_back_and_stays_valid_bash(aws, workdir):
    request = _large_request()
    script = render_cli(request, schema=SCHEMA, input_json_path=str(workdir / "job.json"))
    assert "--cli-input-json" in script and "--hyper-parameters" in script  # the comment names it
    assert all(line.startswith("#") for line in script.split("\n")[:2])
    bash_syntax_ok(script)
    assert run_fallback(aws, workdir, request, script, workdir / "job.json") == request


def test_large_request_renders_in_a_few_ms():
    request = _large_request()
    render_cli(request, schema=SCHEMA)
    cli_arguments(request, SCHEMA)
    best = min(_timed(lambda: render_cli(request, schema=SCHEMA)) for _ in range(5))
    best_args = min(_timed(lambda: cli_arguments(request, SCHEMA)) for _ in range(5))
    assert best < 0.02 and best_args < 0.02, (best, best_args)


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def test_argument_and_total_limits(aws):
    request = with_base(HyperParameters={"a": "x" * 5000})
    assert "--cli-input-json" not in render_cli(request, schema=SCHEMA)
    assert "--cli-input-json" in render_cli(request, schema=SCHEMA, max_arg_bytes=4000)
    # UTF-8 bytes count, not characters: 2,000 emoji are 8,000 bytes.
    emoji = with_base(HyperParameters={"a": "😀" * 2000})
    assert "--cli-input-json" in render_cli(emoji, schema=SCHEMA, max_arg_bytes=7000)
    assert "--cli-input-json" not in render_cli(emoji, schema=SCHEMA, max_arg_bytes=9000)
    many = with_base(Tags=[{"Key": f"k{i}", "Value": "v" * 200} for i in range(50)])
    assert "--cli-input-json" not in render_cli(many, schema=SCHEMA)
    assert "--cli-input-json" in render_cli(many, schema=SCHEMA, max_total_bytes=5000)
    round_trip(aws, many)


# Strings that would drive the terminal of whoever reads the script: C0, ESC sequences (clear,
# OSC 52 clipboard), C1 (CSI as one byte), DEL, bidi overrides and isolates, separators, newline.
HOSTILE_STRINGS = [
    "a\x1b[2Jb",
    "\x1b]52;c;aGVsbG8=\x07",
    "x\x9b31my",
    "\x85next",
    "del\x7f",
    "evil\u202egnp.exe",
    "\u2066iso\u2069",
    "\u200f\u061c",
    "sep\u2028par\u2029",
    "line1\nline2",
    "tab\there\r",
    "\x01\x02\x1f",
    'quote\'s "double" \\ back\\',
    "it's\x1b",
    "\\\x1b'",
    "é😀\x1b",
]


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_hostile_strings_round_trip_in_every_kind_of_option(aws, text):
    request = with_base(
        TrainingJobName=text,
        AlgorithmSpecification={"TrainingImage": text, "TrainingInputMode": "File"},
        HyperParameters={text: text, "plain": text},
        Environment={"K": text},
        InputDataConfig=[
            {"ChannelName": text, "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": text}}}
        ],
        Tags=[{"Key": text, "Value": text}, {"Key": "k", "Value": "v"}],
        OutputDataConfig={"S3OutputPath": "s3://bucket/out/", "KmsKeyId": text},
    )
    script = round_trip(aws, request)
    assert ("$'" in script) == (not is_safe(text))


@pytest.mark.parametrize("text", HOSTILE_STRINGS)
def test_hostile_strings_in_the_fallback_stay_escaped(aws, workdir, text):
    # An unknown member named with the string: the comment says why, escaped.
    script = render_cli(with_base(**{text: 1}), schema=SCHEMA, input_json_path=str(workdir / f"{text}.json"))
    assert is_safe(script, multiline=True), script
    lines = script.split("\n")
    assert len(lines) == 4 and lines[0].startswith("# ") and lines[1].startswith("# ")
    bash_syntax_ok(script)
    assert split_command(script)[2:] == ["--cli-input-json", f"file://{workdir}/{text}.json"]
    # A request the CLI takes only from a file: the script, the file path included, gives it back.
    request = with_base(TrainingJobName="file://" + text, HyperParameters={text: text})
    path = workdir / f"fallback {HOSTILE_STRINGS.index(text)} {text[:3]}.json"
    script = render_cli(request, schema=SCHEMA, input_json_path=str(path))
    assert is_safe(script, multiline=True), script
    assert run_fallback(aws, workdir, request, script, path) == request


def test_fallback_comment_cannot_break_out(workdir):
    script = render_cli(
        {"TrainingJobName": "file://x\nrm -rf /"}, schema=SCHEMA, input_json_path="a\nb; touch /tmp/pwned'"
    )
    lines = script.split("\n")
    assert lines[0].startswith("# ") and lines[1].startswith("# ")
    assert lines[2] == "aws sagemaker create-training-job \\"
    bash_syntax_ok(script)
    assert bash_argv(script)[2:] == ["--cli-input-json", "file://a\nb; touch /tmp/pwned'"]


def test_empty_request_is_just_the_command():
    assert render_cli({}, schema=SCHEMA) == "aws sagemaker create-training-job"
    assert cli_arguments({}, SCHEMA) == []


def test_default_schema_and_import_hygiene(tmp_path):
    code = (
        "import sys, smjob.render_cli as r\n"
        "assert not {'textual', 'awscli', 'boto3', 'botocore'} & set(sys.modules), sorted(sys.modules)\n"
        "print(r.render_cli({'TrainingJobName': 'j', 'EnableNetworkIsolation': True}))\n"
        "assert not {'textual', 'awscli', 'boto3'} & set(sys.modules)\n"
    )
    env = dict(os.environ, SMJOB_CACHE_DIR=str(tmp_path))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        "aws sagemaker create-training-job \\\n  --training-job-name j \\\n  --enable-network-isolation"
    )


# --- property test ------------------------------------------------------------------------------


def _top_level_refusal(request: dict) -> bool:
    """Independently of the renderer: does a top-level scalar make options impossible?"""
    for member in SCHEMA.members:
        value = request.get(member.name)
        if (
            member.kind == "string"
            and isinstance(value, str)
            and (value.startswith(PARAMFILE_PREFIXES) or value == "--" or "\x00" in value)
        ):
            return True
    return False


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(
    request=requests_from_schema(SCHEMA, text_strategy=tricky_text, max_list=3, max_map=3, optional_probability=0.25)
)
def test_random_requests_round_trip_through_bash_and_the_cli(aws, workdir, request):
    if _top_level_refusal(request):
        with pytest.raises(CliRenderError):
            cli_arguments(request, SCHEMA)
        path = workdir / "fuzz.json"
        script = render_cli(request, schema=SCHEMA, input_json_path=str(path))
        assert run_fallback(aws, workdir, request, script, path) == request
        return
    round_trip(aws, request)


@settings(
    max_examples=max(50, FUZZ_EXAMPLES // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    hp=st.dictionaries(plain_key() | tricky_text(), tricky_text(), max_size=6),
    env=st.dictionaries(plain_key() | tricky_text(), tricky_text(), max_size=4),
)
def test_random_maps_round_trip(aws, hp, env):
    """Dense fuzzing of the two top-level maps, where odd keys and first-key rules live."""
    round_trip(aws, with_base(HyperParameters=hp, Environment=env))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request=requests_from_schema(SCHEMA, respect_limits=True, use_enums=True, optional_probability=0.5))
def test_respect_limits_requests_pass_botocore_validation(request):
    """The strategy's respect_limits mode yields requests botocore's validator accepts."""
    from botocore.validate import ParamValidator

    report = ParamValidator().validate(request, _input_shape())
    assert not report.has_errors(), report.generate_report()


@functools.lru_cache(maxsize=1)
def _input_shape():
    import botocore.session

    model = botocore.session.get_session().get_service_model("sagemaker")
    return model.operation_model("CreateTrainingJob").input_shape
