"""`smjob preflight` against a real moto server over HTTP, seeded with what goes wrong in practice.

Service Quotas comes from a local server with documented ListServiceQuotas answers (moto answers
only for `vpc`), reached through AWS_ENDPOINT_URL_SERVICE_QUOTAS while everything else goes to moto.
moto has no iam:SimulatePrincipalPolicy, so "you may pass the role" is honestly "could not check"
here: a clean job has no failed check and exits 2, not 0.
"""

import json
import time

import boto3

from smjob.cli.main import main
from smjob.preflight import FAILED, PASSED, UNKNOWN, WARNING, Check, exit_code_for, run_preflight
from tests.support.account import ACCOUNT, REGION, clean_job


def by_path(report) -> dict:
    out: dict = {}
    for c in report.checks:
        out.setdefault(c.path, []).append(c)
    return out


def test_clean_job_passes_every_check_it_can_make_within_the_time(seeded):
    target, ids = seeded
    first = run_preflight(clean_job(ids), target)  # botocore reads eight service models: ~1 s once
    report = run_preflight(clean_job(ids), target)  # what F5 costs after that
    assert first.checks == report.checks
    assert report.failed() == []
    unknown = [c for c in report.checks if c.status == UNKNOWN]
    assert [c.title for c in unknown] == ["you may pass the role"]  # moto lacks SimulatePrincipalPolicy
    assert report.exit_code == 2
    passed = {(c.title, c.path) for c in report.checks if c.status == PASSED}
    for expected in [
        ("role exists", ("RoleArn",)),
        ("role trusts SageMaker", ("RoleArn",)),
        ("role in your account", ("RoleArn",)),
        ("input data exists", ("InputDataConfig", 0, "DataSource", "S3DataSource", "S3Uri")),
        ("bucket in the job's region", ("OutputDataConfig", "S3OutputPath")),
        ("image exists", ("AlgorithmSpecification", "TrainingImage")),
        ("KMS key enabled", ("OutputDataConfig", "KmsKeyId")),
        ("subnet exists", ("VpcConfig", "Subnets", 1)),
        ("security group exists", ("VpcConfig", "SecurityGroupIds", 0)),
        ("one VPC", ("VpcConfig",)),
        ("job name is free", ("TrainingJobName",)),
        ("within quotas", ("ResourceConfig", "InstanceType")),
    ]:
        assert expected in passed, expected
    assert report.seconds <= 1.5, report.timings


def test_each_seeded_problem_is_named_at_its_field(seeded, tmp_path, capsys):
    target, ids = seeded
    broken = clean_job(ids)
    broken["InputDataConfig"] += [
        {
            "ChannelName": "empty",
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://data-here/nothing/"}},
        },
        {
            "ChannelName": "far",
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://data-in-ireland/train/"}},
        },
    ]
    broken["VpcConfig"]["Subnets"] = [ids["subnets"][0], ids["subnets"][2]]
    broken["AlgorithmSpecification"]["TrainingImage"] = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/trainer:v2"
    broken["OutputDataConfig"]["KmsKeyId"] = "alias/nope"
    broken["ResourceConfig"] = {"InstanceType": "ml.p4d.24xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50}
    report = run_preflight(broken, target)
    failed = {c.path: c for c in report.failed()}
    ch = ("DataSource", "S3DataSource", "S3Uri")
    assert "no S3 objects found under s3://data-here/nothing/" in failed[("InputDataConfig", 1, *ch)].message
    assert "is in eu-west-1, the job runs in us-east-1" in failed[("InputDataConfig", 2, *ch)].message
    vpc = failed[("VpcConfig", "Subnets", 1)]
    assert vpc.title == "one VPC" and ids["vpcs"][1] in vpc.message and "VpcConfig.Subnets[0]" in vpc.message
    assert "trainer:v2" in failed[("AlgorithmSpecification", "TrainingImage")].message
    assert "no KMS key alias/nope" in failed[("OutputDataConfig", "KmsKeyId")].message
    assert "'ml.p4d.24xlarge for training job usage' of 0" in failed[("ResourceConfig", "InstanceType")].message
    assert report.exit_code == 1

    for role, words in (("sm-missing", "no role sm-missing"), ("sm-ec2-only", "does not let sagemaker.amazonaws.com")):
        job = clean_job(ids) | {"RoleArn": f"arn:aws:iam::{ACCOUNT}:role/{role}"}
        path = tmp_path / f"{role}.json"
        path.write_text(json.dumps(job))
        assert main(["preflight", str(path), "--json", "--endpoint-url", target.endpoint_url]) == 1
        out = json.loads(capsys.readouterr().out)
        (fail,) = [c for c in out["checks"] if c["status"] == FAILED]
        assert fail["path"] == "RoleArn" and words in fail["message"]


def test_cross_account_role_is_a_warning_and_text_output_says_nothing_was_sent(seeded, tmp_path, capsys):
    target, ids = seeded
    job = clean_job(ids) | {"RoleArn": "arn:aws:iam::210987654321:role/sm-good"}
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job))
    code = main(["preflight", str(path), "--endpoint-url", target.endpoint_url])
    captured = capsys.readouterr()
    assert code == 2
    assert "warn role in your account: RoleArn: the role is in account 210987654321" in captured.out
    assert "nothing was submitted" in captured.err
    sm = boto3.client("sagemaker", endpoint_url=target.endpoint_url, region_name=REGION)
    assert sm.list_training_jobs()["TrainingJobSummaries"] == []


def test_unreachable_services_are_could_not_check_within_the_timeout(monkeypatch):
    from smjob.aws.target import Target
    from smjob.local_endpoint import free_port

    dead = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("AWS_ENDPOINT_URL_SERVICE_QUOTAS", dead)
    started = time.perf_counter()
    report = run_preflight(
        clean_job({"key": "k", "subnets": ("s1", "s2"), "sg": "g"}), Target(None, REGION, dead), timeout=1
    )
    assert time.perf_counter() - started < 10
    assert report.checks and {c.status for c in report.checks} == {UNKNOWN} and report.exit_code == 2


def test_exit_codes():
    assert exit_code_for([Check("a", PASSED), Check("b", WARNING)]) == 0
    assert exit_code_for([Check("a", PASSED), Check("b", UNKNOWN)]) == 2
    assert exit_code_for([Check("a", UNKNOWN), Check("b", FAILED)]) == 1


def test_the_profile_is_read_like_every_other_command(seeded, tmp_path, monkeypatch):
    """Preflight's clients come from smjob.aws.clients.client: the profile's credentials sign the calls,
    its region is where the job runs, and a profile that does not exist is said in that factory's words."""
    from smjob.aws.target import Target

    target, ids = seeded
    config = tmp_path / "config"
    config.write_text("[profile ireland]\nregion = eu-west-1\naws_access_key_id = a\naws_secret_access_key = b\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    for var in ("AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):  # only the profile has them
        monkeypatch.delenv(var)
    report = run_preflight(clean_job(ids), Target("ireland", None, target.endpoint_url))
    assert report.region == "eu-west-1"
    far = [c for c in report.failed() if c.title == "bucket in the job's region"]
    assert far and all("the job runs in eu-west-1" in c.message for c in far)
    assert [c.title for c in report.checks if c.status == UNKNOWN] == ["you may pass the role"]

    report = run_preflight(clean_job(ids), Target("nope", REGION, target.endpoint_url))
    assert report.checks and {c.status for c in report.checks} == {UNKNOWN}
    assert all("no AWS profile named 'nope' in" in c.message for c in report.checks), report.checks


def test_html_error_pages_from_the_endpoint_are_a_sentence_not_markup(seeded, tmp_path, monkeypatch, capsys):
    """moto answers iam:SimulatePrincipalPolicy and (for sagemaker) ListServiceQuotas with its HTML 500 page:
    the checks say so in a line, never the page's markup nor a bytes repr of it, here and in the CLI."""
    target, ids = seeded
    monkeypatch.delenv("AWS_ENDPOINT_URL_SERVICE_QUOTAS")  # Service Quotas from moto too, not the stub
    sentence = "the endpoint answered HTTP 500 Internal Server Error (an HTML page, not an AWS error)"
    report = run_preflight(clean_job(ids), target)
    unknown = {c.title: c.message for c in report.checks if c.status == UNKNOWN}
    assert unknown == {
        "you may pass the role": f"policy simulation (iam:SimulatePrincipalPolicy) unavailable: {sentence}",
        "quotas": f"Service Quotas for sagemaker: {sentence}",
    }
    path = tmp_path / "job.json"
    path.write_text(json.dumps(clean_job(ids)))
    assert main(["preflight", str(path), "--endpoint-url", target.endpoint_url]) == 2
    out = capsys.readouterr().out
    assert out.count(sentence) == 2, out
    for markup in ("<", "b'<", "doctype", "\\n"):
        assert markup not in out, (markup, out)
