"""Validation trust: placeholders are reported, TrainingImage has a shape and a region, numbers have
ceilings, guessed inputs only warn, and a rule can be overridden for one job without ever hiding
an API-model error (botocore's own ParamValidator is the oracle)."""

import copy
import json

import botocore.session
import pytest
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smjob import overrides
from smjob.cli.main import main
from smjob.drafts import save_draft, scan
from smjob.examples import load_example
from smjob.history import History
from smjob.paths import format_path
from smjob.problems import ERROR, WARNING, has_errors
from smjob.rules import RULES, check_rules, rule_ids
from smjob.schema import request_schema
from smjob.skeleton import skeleton
from smjob.validate import schema_problems, validate
from tests.support.strategies import requests_from_schema

JOB = load_example("pytorch-gpu")  # us-east-1 images, valid
ALL_RULES = sorted(rule_ids())
IMAGE = ("AlgorithmSpecification", "TrainingImage")


def job(**changes):
    """A copy of JOB with {"Dotted.Path": value} changes (None removes)."""
    request = copy.deepcopy(JOB)
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node = request
        for step in parents:
            node = node.setdefault(step, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return request


def found(problems, rule):
    return [p for p in problems if p.rule == rule]


def where(problems):
    return {(format_path(p.path), p.rule, p.severity) for p in problems}


# --- 1. placeholders -------------------------------------------------------------------------------


def test_skeleton_placeholders_are_errors_at_their_paths():
    problems = validate(skeleton())
    unfilled = {format_path(p.path): p.message for p in found(problems, "placeholder.unfilled")}
    assert set(unfilled) == {
        "TrainingJobName",
        "RoleArn",
        "AlgorithmSpecification.TrainingImage",
        "InputDataConfig[0].DataSource.S3DataSource.S3Uri",
        "OutputDataConfig.S3OutputPath",
    }
    # The image passes the model's pattern (.*): without this rule it was "valid".
    assert not [p for p in schema_problems(skeleton()) if p.path == IMAGE]
    assert "fill in <account-id>, <region>, <repository>, <tag>" in unfilled["AlgorithmSpecification.TrainingImage"]
    assert all(p.severity == ERROR for p in found(problems, "placeholder.unfilled"))
    assert not found(problems, "s3.bucket-name")  # <bucket> is reported once, as a placeholder


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"VpcConfig": {"SecurityGroupIds": ["sg-1"], "Subnets": ["subnet-1", "<subnet-id>"]}}, "VpcConfig.Subnets[1]"),
        ({"Tags": [{"Key": "team", "Value": "<team-name>"}]}, "Tags[0].Value"),
        ({"CheckpointConfig": {"S3Uri": "s3://bucket/<run>/ckpt"}}, "CheckpointConfig.S3Uri"),
        ({"OutputDataConfig.KmsKeyId": "arn:aws:kms:us-east-1:<account-id>:key/x"}, "OutputDataConfig.KmsKeyId"),
    ],
)
def test_a_placeholder_anywhere_is_an_error_naming_it(changes, path):
    problems = validate(job(**changes))
    [problem] = found(problems, "placeholder.unfilled")
    assert format_path(problem.path) == path and problem.severity == ERROR
    assert "fill in <" in problem.message


def test_free_text_placeholders_warn_and_regex_group_names_are_not_placeholders():
    request = job(
        **{
            "HyperParameters": {"pad_token": "<pad>", "<model-name>": "x", "expr": "a<b and c>d"},
            "Environment": {"SPECIAL": "</s>"},  # a closing tag is not a placeholder
        }
    )
    request["AlgorithmSpecification"]["MetricDefinitions"] = [
        {"Name": "loss", "Regex": r"loss=(?P<loss>[0-9.]+)"},
        {"Name": "acc", "Regex": r"acc=(?P<acc>[0-9.]+) \k<acc>"},
        {"Name": "ndcg", "Regex": r"#quality_metric: host=\S+, test dcg <score>=(\S+)"},  # XGBoost's literal text
    ]
    problems = validate(request)
    assert not found(problems, "placeholder.unfilled")
    assert {format_path(p.path) for p in found(problems, "placeholder.free-text")} == {
        "HyperParameters.pad_token",
        'HyperParameters["<model-name>"]',  # a key is reported at its entry
    }
    assert all(p.severity == WARNING for p in found(problems, "placeholder.free-text"))


def test_deep_junk_does_not_exhaust_the_stack():
    deep = "<leaf>"
    for _ in range(20_000):
        deep = [deep]
    problems = check_rules({"Bogus": deep, "TrainingJobName": "ok"})
    [problem] = found(problems, "placeholder.unfilled")
    assert len(problem.path) == 20_001


# --- 2. the image: shape and region ---------------------------------------------------------------

DIGEST = "@sha256:" + "0123456789abcdef" * 4


@pytest.mark.parametrize(
    "image",
    [
        "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311",
        "123456789012.dkr.ecr.eu-central-1.amazonaws.com/team/sub/trainer:v1.2_rc-3",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer" + DIGEST,
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer:1" + DIGEST,
        "123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn/trainer:1",
        "123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/trainer:1",
        "123456789012.dkr.ecr-fips.us-gov-east-1.amazonaws.com/trainer:1",
        "123456789012.dkr.ecr-fips.us-east-2.amazonaws.com/trainer:1",
        "123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov/trainer:1",
    ],
)
def test_ecr_images_have_the_shape(image):
    assert not found(validate(job(**{"AlgorithmSpecification.TrainingImage": image})), "image.shape")


ECR_EXAMPLE = "e.g. 763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311"
REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com"


@pytest.mark.parametrize(
    ("image", "needles"),
    [
        ("12345678901.dkr.ecr.us-east-1.amazonaws.com/trainer:1", ["the account has 11 digits; it needs 12"]),
        (
            "123456789012.dkr.ecr.moon-base-1.amazonaws.com/trainer:1",
            ["the region 'moon-base-1' is not an AWS region"],
        ),
        (
            "123456789012.dkr.ecr.cn-north-1.amazonaws.com/trainer:1",  # a China region outside .com.cn
            ["the region cn-north-1 is in the amazonaws.com.cn domain, not 'amazonaws.com'"],
        ),
        (
            "123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example/trainer:1",
            ["the registry host ends in 'amazonaws.com.evil.example', not an AWS domain"],
        ),
        (f"{REGISTRY}/Trainer:1", ["has 'T' at character 46 (in the repository)"]),  # repositories are lowercase
        (f"{REGISTRY}/trainer@sha256:" + "0" * 63, ["the digest has 63 characters; it needs 64"]),
        (f"{REGISTRY}/trainer:" + "t" * 129, ["the tag has 129 characters; it needs at most 128"]),
        (f"{REGISTRY}/", ["the repository is missing at the end"]),
        (f"{REGISTRY}/:1", ["the repository is missing before ':' at character 46"]),
        (REGISTRY, ["the repository is missing after the registry host"]),
        ("763104351884.dkr.ecr.us-east-1.amazonaws.com/my repo:latest", ["has a space at character 48"]),
        (f"https://{REGISTRY}/trainer:1", ["starts with the scheme 'https://'", "drop it"]),
        ("file://img", ["starts with the scheme 'file://'"]),
        ("pytorch/pytorch:2.3.0", ["is a Docker Hub image (it names no registry host)", "Amazon ECR", "Vpc"]),
        ("img", ["is a Docker Hub image (it names no registry host)"]),
        ("docker.io/library/python:3.11", ["is a Docker Hub image (docker.io)", "Vpc"]),
        ("ghcr.io/org/trainer:1", ["is in the registry 'ghcr.io', not Amazon ECR", "Vpc"]),
        (f"{REGISTRY}/x:1\x1b[2J", ["has '\\x1b' at character 49"]),  # a control character, escaped
    ],
)
def test_other_images_are_errors_that_say_what_is_wrong(image, needles):
    [problem] = found(validate(job(**{"AlgorithmSpecification.TrainingImage": image})), "image.shape")
    assert problem.severity == ERROR and problem.message.startswith("TrainingImage ")
    for needle in needles:
        assert needle in problem.message, problem.message
    assert "\x1b" not in problem.message and image not in problem.message  # the value is above the message
    assert ECR_EXAMPLE in problem.message


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80) | st.from_regex(r"[0-9]{10,13}\.dkr\.ecr\.[a-z0-9-]{0,12}\.amazonaws\.com/.{0,30}"))
def test_any_image_gets_a_printable_sentence(image):
    from smjob.rules.image_words import ecr_problem, reference_problem

    for message in (ecr_problem(image), reference_problem(image)):
        assert message.startswith("TrainingImage ") and message.endswith(".")
        assert message.isprintable(), message  # control characters of the value are escaped


VPC_PULL = {
    "AlgorithmSpecification.TrainingImageConfig": {"TrainingRepositoryAccessMode": "Vpc"},
    "VpcConfig": {"SecurityGroupIds": ["sg-0123456789abcdef0"], "Subnets": ["subnet-0123456789abcdef0"]},
}


@pytest.mark.parametrize(
    ("image", "ok"),
    [
        ("registry.example.com:5000/team/trainer:1.0", True),
        ("docker.io/library/python:3.11", True),
        ("10.0.0.5/trainer" + DIGEST, True),
        ("123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer:1", True),
        ("trainer:1", False),  # no registry host
        ("registry.example.com/team/trainer:", False),
        ("registry example.com/trainer:1", False),
    ],
)
def test_private_registries_through_the_vpc(image, ok):
    problems = validate(job(**VPC_PULL, **{"AlgorithmSpecification.TrainingImage": image}))
    assert bool(found(problems, "image.shape")) is not ok


@pytest.mark.parametrize(
    ("image", "needle"),
    [
        ("trainer:1", "the registry host is missing"),
        ("registry.example.com/team/trainer:", "the tag is missing at the end"),
        ("registry example.com/trainer:1", "has a space at character 9 (in the registry)"),
        ("https://registry.example.com/trainer:1", "starts with the scheme 'https://'"),
    ],
)
def test_private_references_say_what_is_wrong(image, needle):
    [problem] = found(validate(job(**VPC_PULL, **{"AlgorithmSpecification.TrainingImage": image})), "image.shape")
    assert needle in problem.message and "e.g. registry.example.com/team/trainer:1.0" in problem.message


def test_unpinned_image_warns():
    bare = "123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer"
    [problem] = found(validate(job(**{"AlgorithmSpecification.TrainingImage": bare})), "image.unpinned")
    assert problem.severity == WARNING and ":latest" in problem.message


def test_region_differs_from_the_submit_region_is_a_warning():
    request = job()  # its image is in us-east-1
    [problem] = found(validate(request, region="eu-west-1"), "image.region")
    assert problem.severity == WARNING and problem.path == IMAGE
    assert "us-east-1" in problem.message and "eu-west-1" in problem.message
    assert not has_errors(validate(request, region="eu-west-1"))
    assert not found(validate(request, region="us-east-1"), "image.region")
    assert not found(validate(request), "image.region")  # region unknown: nothing to compare
    assert not found(validate(job(**VPC_PULL), region="eu-west-1"), "image.region")


# --- 3. scale --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "rule", "severity"),
    [
        ({"ResourceConfig.InstanceCount": 500}, "scale.instances-quota", WARNING),
        ({"ResourceConfig.InstanceCount": 2**31}, "schema.int-range", ERROR),
        ({"ResourceConfig.InstanceCount": 2**63}, "schema.int-range", ERROR),
        ({"ResourceConfig.InstanceCount": 10**100}, "schema.int-range", ERROR),
        ({"StoppingCondition.MaxRuntimeInSeconds": 5 * 86400 + 1}, "scale.max-runtime-quota", WARNING),
        ({"StoppingCondition.MaxRuntimeInSeconds": 28 * 86400 + 1}, "stopping.max-runtime-limit", ERROR),
        ({"StoppingCondition.MaxRuntimeInSeconds": 2**63}, "schema.int-range", ERROR),
        ({"ResourceConfig.KeepAlivePeriodInSeconds": 3601}, "scale.keep-alive-quota", WARNING),
        ({"ResourceConfig.KeepAlivePeriodInSeconds": 21601}, "schema.range", ERROR),  # the model's maximum
        ({"ResourceConfig.VolumeSizeInGB": 16385}, "scale.volume-size", ERROR),
        ({"ResourceConfig.VolumeSizeInGB": -(2**63) - 1}, "schema.range", ERROR),  # the model's minimum, 0
    ],
)
def test_scale_ceilings(changes, rule, severity):
    problems = validate(job(**changes))
    [path] = [tuple(k.split(".")) for k in changes]
    assert (format_path(path), rule, severity) in where(problems)
    assert has_errors(problems) is (severity == ERROR)


@pytest.mark.parametrize(
    "changes",
    [
        {"ResourceConfig.InstanceCount": 20},
        {"StoppingCondition.MaxRuntimeInSeconds": 5 * 86400},
        {"ResourceConfig.KeepAlivePeriodInSeconds": 3600},
        {"ResourceConfig.VolumeSizeInGB": 16384},
    ],
)
def test_scale_at_the_ceiling_is_quiet(changes):
    assert validate(job(**changes)) == []


def test_long_fields_take_64_bits_and_no_more():
    def seed(value):
        request = job()
        request["InputDataConfig"][0]["ShuffleConfig"] = {"Seed": value}
        return [p for p in validate(request) if p.path[-1] == "Seed"]

    assert seed(2**63 - 1) == [] and seed(-(2**63)) == []
    [high] = seed(2**63)
    [low] = seed(-(10**100))
    assert high.rule == low.rule == "schema.int-range"
    assert "101-digit negative number" in low.message and len(low.message) < 120


def test_numbers_too_long_to_print_are_model_errors_and_no_rule_fails():
    huge = 10**5000  # str() refuses it (4,300+ digits)
    request = job(
        **{
            "ResourceConfig.InstanceCount": huge,
            "StoppingCondition.MaxRuntimeInSeconds": huge,
            "StoppingCondition.MaxWaitTimeInSeconds": -huge,
            "EnableManagedSpotTraining": True,
            "ProfilerConfig": {"ProfilingIntervalInMilliseconds": huge},
            "TrainingJobName": huge,
        }
    )
    problems = validate(request)
    assert not [p for p in problems if "failed" in p.message]  # no rule crashed into a warning
    assert {p.rule for p in problems} == {"schema.int-range", "schema.type", "schema.range"}


def test_instance_groups_are_counted_together():
    request = load_example("heterogeneous")
    groups = request["ResourceConfig"]["InstanceGroups"]
    groups[0]["InstanceCount"] = 21 - sum(g["InstanceCount"] for g in groups[1:])
    [problem] = found(validate(request), "scale.instances-quota")
    assert problem.path == ("ResourceConfig", "InstanceGroups") and len(problem.related) == len(groups)
    groups[0]["InstanceCount"] -= 1
    assert not found(validate(request), "scale.instances-quota")


# --- 5. guesses warn --------------------------------------------------------------------------------


def test_rules_on_guessed_inputs_only_warn():
    guessed = {"resource.volume-kms-local-storage", "resource.volume-size-required", "metrics.regex"}
    assert {r.id for r in RULES if r.id in guessed and r.severity == WARNING} == guessed
    request = job(**{"ResourceConfig.VolumeKmsKeyId": "alias/training"})  # ml.g5: NVMe by its name
    request["AlgorithmSpecification"]["MetricDefinitions"] = [{"Name": "n", "Regex": r"name=(\p{L}+)"}]  # Java-only
    problems = validate(request)
    assert {p.rule for p in problems} == {"resource.volume-kms-local-storage", "metrics.regex"}
    assert not has_errors(problems)


# --- 4. overrides ----------------------------------------------------------------------------------


def test_ignoring_a_rule_drops_only_its_findings_and_returns_them():
    request = job(
        **{"ResourceConfig.InstanceCount": 500, "TrainingJobName": "my_job", "Tags": [{"Key": "aws:x", "Value": "1"}]}
    )
    plain = validate(request)
    assert {"scale.instances-quota", "tags.aws-prefix", "schema.pattern"} <= {p.rule for p in plain}
    checked = validate(request, ignore_rules=["tags.aws-prefix"])
    assert [p.rule for p in checked.ignored] == ["tags.aws-prefix"]
    assert list(checked) == [p for p in plain if p.rule != "tags.aws-prefix"]
    assert has_errors(checked)  # the model's pattern error on TrainingJobName stays


def test_overrides_make_a_rule_blocked_job_submittable():
    request = job(**{"ResourceConfig.VolumeSizeInGB": 20000})  # scale.volume-size: an error
    assert has_errors(validate(request))
    checked = validate(request, ignore_rules=["scale.volume-size"])
    assert list(checked) == [] and [p.rule for p in checked.ignored] == ["scale.volume-size"]


def test_a_rule_that_replaced_a_type_error_gives_it_back_when_ignored():
    request = job(**{"HyperParameters": {"epochs": 20}})
    assert {p.rule for p in validate(request)} == {"hyperparameters.string-values"}
    checked = validate(request, ignore_rules=["hyperparameters.string-values"])
    assert [(p.path, p.rule) for p in checked] == [(("HyperParameters", "epochs"), "schema.type")]


@pytest.mark.parametrize(
    ("rule_id", "hint"),
    [
        ("scale.instance-quota", "did you mean scale.instances-quota"),
        ("image-region", "image.region"),
        ("schema.pattern", "cannot be ignored"),
        ("schema.type", "cannot be ignored"),
        ("zzzz", "`smjob rules` lists"),
    ],
)
def test_an_unknown_rule_id_is_an_error_naming_the_closest(rule_id, hint):
    checked = validate(JOB, ignore_rules=[rule_id])
    [problem] = checked
    assert problem.severity == ERROR and problem.rule == "override.unknown-rule" and hint in problem.message


INPUT_SHAPE = (
    botocore.session.get_session().get_service_model("sagemaker").operation_model("CreateTrainingJob").input_shape
)


def _botocore_error_paths(request) -> set[str]:
    """Where botocore's ParamValidator (required, unknown, types, minimums) reports an error."""
    out = set()
    for kind, name, extra in ParamValidator().validate(request, INPUT_SHAPE)._errors:
        if kind == "missing required field":
            name = f"{name}.{extra['required_name']}"
        elif kind == "unknown field":
            name = f"{name}.{extra['unknown_param']}"
        elif name.endswith(")") and " (key: " in name:
            head, _, key = name[:-1].partition(" (key: ")
            name = f"{head}.{key}"
        out.add(name)
    return out


def _dotted(path) -> str:
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path)


def _check_overrides_never_hide_model_errors(request):
    everything = validate(request, ignore_rules=ALL_RULES)
    model = [p for p in everything if p.rule.startswith("schema.")]
    # Every model error smjob finds survives ignoring every rule...
    assert sorted(map(str, model)) == sorted(map(str, schema_problems(request)))
    # ...including each one botocore itself reports,
    assert _botocore_error_paths(request) <= {_dotted(p.path) for p in model if p.severity == ERROR}
    # and what was dropped is exactly what the rules found.
    if isinstance(request, dict):
        assert sorted(map(str, everything.ignored)) == sorted(map(str, check_rules(request)))
    assert not [p for p in everything if not p.rule.startswith("schema.")]


_JUNK = st.sampled_from([None, -1, 2**63, 10**100, True, "", "<x>", [], {}, {"Bogus": 1}])


# Built once (deferred: on the first draw), not per example: a schema strategy built anew costs
# ~30 ms per draw (hypothesis validates every member's strategy again).
_BASES = st.deferred(
    lambda: st.one_of(
        requests_from_schema(request_schema(), respect_limits=True, use_enums=True, max_list=2, max_map=2),
        requests_from_schema(request_schema(), max_list=2, max_map=2, optional_probability=0.2),
    )
)


@st.composite
def _requests(draw):
    request = draw(_BASES)
    for _ in range(draw(st.integers(0, 3))):  # a few fields swapped for junk
        paths, stack = [], [((), request)]
        while stack:
            path, node = stack.pop()
            items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
            for key, value in items:
                paths.append(path + (key,))
                stack.append((path + (key,), value))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = request
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = copy.deepcopy(draw(_JUNK))
    return request


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(_requests())
def test_botocore_oracle_model_errors_are_never_ignorable(request):
    _check_overrides_never_hide_model_errors(request)


def test_oracle_sees_the_hand_made_cases():
    for request in (skeleton(), JOB, job(**{"HyperParameters": {"epochs": 20}, "RoleArn": None}), [], "job"):
        _check_overrides_never_hide_model_errors(request)
    # The oracle is not vacuous: botocore does report these.
    assert _botocore_error_paths(job(**{"RoleArn": None, "HyperParameters": {"epochs": 20}})) == {
        ".RoleArn",
        ".HyperParameters.epochs",
    }


# --- 4. overrides travel with drafts, history and submissions ----------------------------------------


def test_drafts_keep_overrides_beside_the_request(tmp_path):
    path = save_draft(JOB, "a1b2c3", tmp_path, ignore_rules=["scale.volume-size", "scale.volume-size"])
    stored = json.loads(path.read_text())
    assert stored[overrides.META_KEY] == {"ignore_rules": ["scale.volume-size"]}
    [draft], _ = scan(tmp_path)
    assert draft.request == JOB and draft.ignore_rules == ("scale.volume-size",)
    # Without overrides the file is exactly the request, as before.
    plain = save_draft(JOB, "a1b2c3", tmp_path)
    assert json.loads(plain.read_text()) == JOB
    [draft], _ = scan(tmp_path)
    assert draft.ignore_rules == ()


def test_junk_metadata_is_dropped_not_raised():
    for meta in ("x", None, {"ignore_rules": "x"}, {"ignore_rules": [1, "a", "a"]}):
        request, rules = overrides.split({**JOB, overrides.META_KEY: meta})
        assert request == JOB and rules in ((), ("a",))
    assert overrides.split([1]) == ([1], ())
    assert overrides.attach("junk", ["a"]) == "junk"


def test_history_keeps_overrides_beside_the_request(tmp_path):
    with History(tmp_path / "h.sqlite3") as history:
        with_rules = history.record("export", JOB, path="/tmp/j.json", ignore_rules=("image.region",))
        without = history.record("export", JOB, path="/tmp/j.json")
        entry = history.get(with_rules)
        assert entry.request == JOB and entry.ignore_rules == ("image.region",)
        assert entry.to_dict()["ignore_rules"] == ("image.region",)
        assert history.get(without).ignore_rules == () and "ignore_rules" not in history.get(without).to_dict()
        assert history.list()[0].ignore_rules == ()  # listings read no request


def test_submit_honours_overrides(moto):
    from smjob.workflows import submit

    request = job(**{"ResourceConfig.VolumeSizeInGB": 20000})
    error = submit(request, moto.target()).error
    assert error.kind == "validation" and {p.rule for p in error.problems} == {"scale.volume-size"}
    submission = submit(request, moto.target(), ignore_rules=["scale.volume-size"])
    assert submission.ok and submission.job_name == request["TrainingJobName"]
    assert [p.rule for p in submission.ignored] == ["scale.volume-size"]


# --- headless --ignore-rule and --region -------------------------------------------------------------


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_validate_ignore_rule_and_region(tmp_path, capsys):
    path = tmp_path / "job.json"
    path.write_text(
        json.dumps(job(**{"ResourceConfig.VolumeSizeInGB": 20000, "Tags": [{"Key": "aws:x", "Value": "1"}]}))
    )
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1 and "[scale.volume-size]" in out and "[tags.aws-prefix]" in out
    code, out, _ = run(capsys, "validate", str(path), "--ignore-rule", "scale.volume-size")
    assert code == 1 and "ignored error: ResourceConfig.VolumeSizeInGB" in out
    args = ["--ignore-rule", "scale.volume-size", "--ignore-rule", "tags.aws-prefix"]
    code, out, _ = run(capsys, "validate", str(path), *args, "--region", "eu-west-1", "--json")
    [report] = json.loads(out)
    assert code == 0 and report["valid"] is True
    assert [p["rule"] for p in report["problems"]] == ["image.region"]
    assert sorted(p["rule"] for p in report["ignored"]) == ["scale.volume-size", "tags.aws-prefix"]


def test_cli_unknown_rule_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "job.json"
    path.write_text(json.dumps(JOB))
    for command in ("validate", "render"):
        code, out, err = run(capsys, command, str(path), "--ignore-rule", "scale.volume-sise")
        assert code == 2 and out == "" and "did you mean scale.volume-size" in err
    code, _, err = run(capsys, "validate", str(path), "--ignore-rule", "schema.enum")
    assert code == 2 and "cannot be ignored" in err
    code, out, _ = run(capsys, "render", str(path), "--ignore-rule", "scale.volume-size")
    assert code == 0 and json.loads(out) == JOB
