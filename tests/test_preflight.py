"""`smjob preflight` against a real moto server over HTTP, seeded with what goes wrong in practice.

Service Quotas comes from a local server with documented ListServiceQuotas answers (moto answers
only for `vpc`), reached through AWS_ENDPOINT_URL_SERVICE_QUOTAS while everything else goes to moto.
moto has no iam:SimulatePrincipalPolicy, so "you may pass the role" is honestly "could not check"
here: a clean job has no failed check and exits 2, not 0.
"""

import json
import time

import boto3
import pytest

from smjob.cli.main import main
from smjob.preflight import FAILED, PASSED, UNKNOWN, WARNING, Check, exit_code_for, run_preflight
from tests.support.json_stub import JsonStub
from tests.test_quotas import QUOTAS, quota, quota_handlers

ACCOUNT = "123456789012"
REGION = "us-east-1"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def aws(endpoint, service, region=REGION):
    return boto3.client(service, endpoint_url=endpoint.target().endpoint_url, region_name=region)


@pytest.fixture
def seeded(moto, monkeypatch):
    """Good and bad things in the account; returns (target, ids)."""
    iam = aws(moto, "iam")
    iam.create_role(RoleName="sm-good", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.create_role(RoleName="sm-ec2-only", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    s3 = aws(moto, "s3")
    s3.create_bucket(Bucket="data-here")
    s3.put_object(Bucket="data-here", Key="train/part-0.csv", Body=b"1,2\n")
    s3.put_object(Bucket="data-here", Key="empty/README-not-under-prefix", Body=b"")
    aws(moto, "s3", "eu-west-1").create_bucket(
        Bucket="data-in-ireland", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    aws(moto, "s3", "eu-west-1").put_object(Bucket="data-in-ireland", Key="train/x.csv", Body=b"1\n")
    ecr = aws(moto, "ecr")
    ecr.create_repository(repositoryName="trainer")
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json"})
    ecr.put_image(repositoryName="trainer", imageManifest=manifest, imageTag="v1")
    key = aws(moto, "kms").create_key()["KeyMetadata"]["KeyId"]
    ec2 = aws(moto, "ec2")
    vpc_a = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    vpc_b = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    subnet_a = ec2.create_subnet(VpcId=vpc_a, CidrBlock="10.1.1.0/24")["Subnet"]["SubnetId"]
    subnet_a2 = ec2.create_subnet(VpcId=vpc_a, CidrBlock="10.1.2.0/24")["Subnet"]["SubnetId"]
    subnet_b = ec2.create_subnet(VpcId=vpc_b, CidrBlock="10.2.1.0/24")["Subnet"]["SubnetId"]
    sg_a = ec2.create_security_group(GroupName="sm", Description="sm", VpcId=vpc_a)["GroupId"]
    # moto imports a service's backend on its first request, in this process: done here, so the
    # timing below measures smjob, not moto's cold start
    aws(moto, "sagemaker").list_training_jobs()
    aws(moto, "sts").get_caller_identity()
    quotas = [*QUOTAS, quota("L-0000TEST", "ml.m5.xlarge for training job usage", 8.0)]
    with JsonStub(quota_handlers(pages=quotas)) as stub:
        monkeypatch.setenv("AWS_ENDPOINT_URL_SERVICE_QUOTAS", stub.url)
        yield (
            moto.target(),
            {
                "key": key,
                "subnets": (subnet_a, subnet_a2, subnet_b),
                "sg": sg_a,
                "vpcs": (vpc_a, vpc_b),
            },
        )


def clean_job(ids) -> dict:
    return {
        "TrainingJobName": "clean-job",
        "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/sm-good",
        "AlgorithmSpecification": {
            "TrainingImage": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/trainer:v1",
            "TrainingInputMode": "File",
        },
        "InputDataConfig": [
            {
                "ChannelName": "train",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://data-here/train/"}},
            }
        ],
        "OutputDataConfig": {"S3OutputPath": "s3://data-here/out/", "KmsKeyId": ids["key"]},
        "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 2, "VolumeSizeInGB": 50},
        "VpcConfig": {"Subnets": list(ids["subnets"][:2]), "SecurityGroupIds": [ids["sg"]]},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }


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
