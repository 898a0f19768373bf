"""`smjob resources`, `smjob defaults` and `smjob new` (no example) as commands, against moto over HTTP,
and the SDK config.yaml defaults as the SDK merges them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from smjob import sdk_config, user_defaults
from smjob.cli.main import main
from smjob.local_endpoint import ACCOUNT
from smjob.resources import lookups
from tests.support.fault_proxy import closed_port_url
from tests.support.moto_server import raw_client

TRUST = {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}


@pytest.fixture(autouse=True)
def _own_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("SMJOB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SMJOB_DATA_DIR", str(tmp_path / "data"))
    for var in (sdk_config.ADMIN_ENV, sdk_config.USER_ENV):
        monkeypatch.setenv(var, str(tmp_path / f"absent-{var}"))  # never the machine's real files
    lookups._ACCOUNTS.clear()
    lookups._RESOLVED.clear()
    lookups.forget_clients()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def at(moto):
    return ["--endpoint-url", moto.url, "--region", moto.region]


def test_roles_text_and_json(moto, capsys):
    iam = raw_client(moto, "iam")
    iam.create_role(RoleName="ml-exec", AssumeRolePolicyDocument=json.dumps({"Statement": [TRUST]}))
    ecs = dict(TRUST, Principal={"Service": "ecs-tasks.amazonaws.com"})
    iam.create_role(RoleName="ecs-task", AssumeRolePolicyDocument=json.dumps({"Statement": [ecs]}))
    code, out, err = run(capsys, "resources", "roles", *at(moto))
    assert code == 0 and f"account {ACCOUNT}" in err and "fresh" in err
    assert out.splitlines() == [
        f"✓ arn:aws:iam::{ACCOUNT}:role/ml-exec",
        f"✗ arn:aws:iam::{ACCOUNT}:role/ecs-task  (it trusts ecs-tasks.amazonaws.com, not sagemaker.amazonaws.com)",
    ]
    code, out, err = run(capsys, "resources", "roles", "--json", *at(moto))
    data = json.loads(out)
    assert data["from_cache"] and [(r["name"], r["trusts_sagemaker"]) for r in data["items"]] == [
        ("ml-exec", True),
        ("ecs-task", False),
    ]


def test_buckets_subnets_groups_and_keys(moto, capsys):
    raw_client(moto, "s3").create_bucket(
        Bucket="tokyo-logs", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
    )
    ec2 = raw_client(moto, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24", AvailabilityZone="us-east-1f")["Subnet"]["SubnetId"]
    ec2.create_security_group(GroupName="ml-nodes", Description="x", VpcId=vpc)
    key = raw_client(moto, "kms").create_key()["KeyMetadata"]["KeyId"]
    _, out, _ = run(capsys, "resources", "buckets", *at(moto))
    assert out.split() == ["tokyo-logs", "ap-northeast-1", "other", "region"]
    _, out, _ = run(capsys, "resources", "subnets", *at(moto))
    assert f"{subnet:<26} {vpc:<23} us-east-1f      251 free" in out
    _, out, _ = run(capsys, "resources", "security-groups", *at(moto))
    assert any(line.split()[1:] == [vpc, "ml-nodes"] for line in out.splitlines())
    _, out, _ = run(capsys, "resources", "kms-keys", "--json", *at(moto))
    assert [(k["id"], k["state"]) for k in json.loads(out)["items"]] == [(key, "Enabled")]


def test_object_keys_that_attack_the_terminal_are_escaped(moto, capsys):
    s3 = raw_client(moto, "s3")
    s3.create_bucket(Bucket="hostile")
    s3.put_object(Bucket="hostile", Key="in/\x1b]52;c;cm0gLXJmIH4=\x07\u202eexe.csv", Body=b"1")
    code, out, _ = run(capsys, "resources", "objects", "s3://hostile/in/", *at(moto))
    assert code == 0 and "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "s3://hostile/in/\\x1b]52;c;cm0gLXJmIH4=\\x07\\u202eexe.csv  1 B" in out
    code, out, _ = run(capsys, "resources", "objects", "s3://hostile/in/", "--json", *at(moto))
    assert "\x1b" not in out and json.loads(out)["items"][0]["objects"][0]["key"].startswith("in/\x1b]52")
    assert run(capsys, "resources", "objects", "hostile/in", *at(moto))[0] == 1


def test_ecr_images_and_catalogue_images(moto, capsys):
    from smjob.local_endpoint import _manifest

    ecr = raw_client(moto, "ecr")
    ecr.create_repository(repositoryName="speech")
    ecr.put_image(repositoryName="speech", imageManifest=_manifest("a"), imageTag="latest")
    code, out, _ = run(capsys, "resources", "images", *at(moto))
    assert code == 0 and out.splitlines()[0] == "speech: 1 tags"
    assert f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/speech:latest" in out
    code, out, _ = run(
        capsys, "resources", "images", "--framework", "xgboost", "--version", "1.7-1", "--region", "ap-south-1"
    )
    assert (code, out) == (0, "720646828776.dkr.ecr.ap-south-1.amazonaws.com/sagemaker-xgboost:1.7-1\n")
    code, out, err = run(
        capsys,
        "resources",
        "images",
        "--framework",
        "tensorflow",
        "--version",
        "2.13",
        "--py",
        "py27",
        "--processor",
        "gpu",
        "--region",
        "us-east-1",
    )
    assert code == 1 and "has no Python 'py27'; it has: py310" in err
    code, out, _ = run(capsys, "resources", "images", "--framework", "list", "--json")
    assert {"pytorch", "kmeans"} <= {f["name"] for f in json.loads(out)["frameworks"]}


def test_aws_errors_exit_2_with_the_reason(capsys):
    code, out, err = run(capsys, "resources", "subnets", "--endpoint-url", closed_port_url(), "--region", "us-east-1")
    assert (code, out) == (2, "") and err.startswith("error: cannot reach http://127.0.0.1:")


# --- SDK config.yaml -----------------------------------------------------------------------------

ADMIN = """\
SchemaVersion: '1.0'
SageMaker:
  PythonSDK:
    Modules:
      Session:
        DefaultS3Bucket: team-ml-artifacts
        DefaultS3ObjectKeyPrefix: /jobs/
  TrainingJob:
    RoleArn: arn:aws:iam::111122223333:role/admin-role
    EnableNetworkIsolation: true
    VpcConfig:
      Subnets: [subnet-aaa]
      SecurityGroupIds: [sg-aaa]
    Environment: {A: admin, B: admin}
    OutputDataConfig: {KmsKeyId: alias/admin}
    Tags:
      - {Key: cost-center, Value: '42'}
      - {Key: team, Value: admin}
"""
USER = """\
SageMaker:
  TrainingJob:
    RoleArn: arn:aws:iam::111122223333:role/my-role
    Environment: {B: user}
    ResourceConfig: {VolumeKmsKeyId: alias/user-volume}
    ProfilerConfig: {DisableProfiler: true}
    EnableInterContainerTrafficEncryption: true
    Tags:
      - {Key: owner, Value: me}
"""


def _files(tmp_path, monkeypatch, admin=ADMIN, user=USER):
    (tmp_path / "admin").mkdir()
    (tmp_path / "admin" / "config.yaml").write_text(admin)
    (tmp_path / "user.yaml").write_text(user)
    monkeypatch.setenv(sdk_config.ADMIN_ENV, str(tmp_path / "admin"))  # a directory: its config.yaml
    monkeypatch.setenv(sdk_config.USER_ENV, str(tmp_path / "user.yaml"))
    return str(tmp_path / "admin" / "config.yaml"), str(tmp_path / "user.yaml")


def test_user_file_wins_mappings_merge_lists_are_replaced(tmp_path, monkeypatch):
    admin, user = _files(tmp_path, monkeypatch)
    d = sdk_config.load()
    assert d.messages == [] and d.files == [admin, user]
    assert d.values[("RoleArn",)] == "arn:aws:iam::111122223333:role/my-role" and d.sources[("RoleArn",)] == user
    assert d.values[("Environment",)] == {"A": "admin", "B": "user"}  # botocore merge_dicts
    assert d.values[("Tags",)] == [{"Key": "owner", "Value": "me"}] and d.sources[("Tags",)] == user
    assert d.values[("VpcConfig",)] == {"Subnets": ["subnet-aaa"], "SecurityGroupIds": ["sg-aaa"]}
    assert d.sources[("VpcConfig",)] == admin
    assert d.values[("OutputDataConfig", "S3OutputPath")] == "s3://team-ml-artifacts/jobs/"
    assert d.values[("ResourceConfig", "VolumeKmsKeyId")] == "alias/user-volume"
    assert d.values[("ProfilerConfig", "DisableProfiler")] is True
    assert d.values[("EnableInterContainerTrafficEncryption",)] is True
    assert d.values[("EnableNetworkIsolation",)] is True


def test_a_new_job_is_filled_where_it_has_no_value_and_tags_are_appended(tmp_path, monkeypatch):
    _files(tmp_path, monkeypatch)
    d = sdk_config.load()
    job = {
        "RoleArn": "arn:aws:iam::<account-id>:role/<execution-role>",
        "Tags": [{"Key": "owner", "Value": "ci"}],
        "Environment": {"X": "1"},
    }
    out, filled = sdk_config.apply(job, d.values, d.sources)
    assert out["RoleArn"].endswith("role/my-role")  # a placeholder is not a value
    assert out["Tags"] == [{"Key": "owner", "Value": "ci"}]  # the job's Key wins, as in the SDK
    assert out["Environment"] == {"X": "1"}  # the job's value wins whole
    assert out["OutputDataConfig"] == {"KmsKeyId": "alias/admin", "S3OutputPath": "s3://team-ml-artifacts/jobs/"}
    assert ("Tags",) not in filled and ("RoleArn",) in filled


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("SageMaker:\n  TrainingJob:\n    RoleArn: [unclosed\n", "user.yaml:4"),
        (
            "SageMaker:\n  TrainingJob:\n\n    EnableNetworkIsolation: 'yes'\n",
            "user.yaml:4: SageMaker.TrainingJob.EnableNetworkIsolation must be a boolean",
        ),
        ("SageMaker:\n  TrainingJob:\n    Tags: {Key: a}\n", "user.yaml:3: SageMaker.TrainingJob.Tags must be a list"),
        ("- just\n- a list\n", "user.yaml:1: the top level is not a mapping"),
        ("a: 1\na: 2\n", "user.yaml:2"),
    ],
)
def test_a_malformed_file_is_named_with_its_line_and_ignored(tmp_path, monkeypatch, user, message):
    admin, _ = _files(tmp_path, monkeypatch, user=user)
    d = sdk_config.load()
    assert len(d.messages) == 1 and message in d.messages[0] and "ignored" in d.messages[0]
    assert d.files == [admin] and d.values[("RoleArn",)].endswith("admin-role")


def test_s3_locations_and_missing_named_files_are_said_and_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv(sdk_config.ADMIN_ENV, "s3://bucket/config")
    monkeypatch.setenv(sdk_config.USER_ENV, str(tmp_path / "nope.yaml"))
    d = sdk_config.load()
    assert d.values == {} and "S3 locations are not read by smjob" in d.messages[0]
    assert "nope.yaml (user config, from SAGEMAKER_USER_CONFIG_OVERRIDE): no such file" in d.messages[1]


def test_the_default_locations_are_the_sdks(monkeypatch):
    import platformdirs

    monkeypatch.delenv(sdk_config.ADMIN_ENV)
    monkeypatch.delenv(sdk_config.USER_ENV)
    paths = [f.path for f in sdk_config.config_files()]
    assert paths == [
        os.path.join(platformdirs.site_config_dir("sagemaker"), "config.yaml"),
        os.path.join(platformdirs.user_config_dir("sagemaker"), "config.yaml"),
    ]


# --- smjob defaults and smjob new ----------------------------------------------------------------


def test_defaults_set_list_unset_per_profile(capsys, tmp_path):
    assert run(capsys, "defaults", "set", "ResourceConfig.InstanceType", "ml.p4d.24xlarge")[0] == 0
    assert run(capsys, "defaults", "set", "ResourceConfig.InstanceCount", "2", "--profile", "research")[0] == 0
    code, out, _ = run(capsys, "defaults", "list")
    assert (
        'default: ResourceConfig.InstanceType = "ml.p4d.24xlarge"' in out
        and "research: ResourceConfig.InstanceCount = 2" in out
    )
    assert stat.S_IMODE(os.stat(tmp_path / "data" / "defaults.json").st_mode) == 0o600
    code, _, err = run(capsys, "defaults", "set", "ResourceConfig.Nope", "1")
    assert code == 1 and "not a field of CreateTrainingJob" in err
    assert run(capsys, "defaults", "unset", "ResourceConfig.InstanceType")[0] == 0
    assert run(capsys, "defaults", "unset", "ResourceConfig.InstanceType")[0] == 1
    assert user_defaults.for_profile("research")[0] == {("ResourceConfig", "InstanceCount"): 2}


def test_smjob_new_applies_the_sdk_file_and_smjob_defaults(tmp_path, monkeypatch, capsys):
    admin, user = _files(tmp_path, monkeypatch)
    run(capsys, "defaults", "set", "Tags", '[{"Key": "owner", "Value": "smjob-user"}]', "--profile", "dev")
    run(capsys, "defaults", "set", "ResourceConfig.InstanceType", "ml.g5.12xlarge")
    out_file = tmp_path / "job.json"
    code, _, err = run(capsys, "new", "--profile", "dev", "-o", str(out_file))
    job = json.loads(out_file.read_text())
    assert code == 0
    assert job["RoleArn"] == "arn:aws:iam::111122223333:role/my-role" and f"filled RoleArn from {user}" in err
    assert job["Tags"] == [{"Key": "owner", "Value": "smjob-user"}]  # smjob's own wins over the file's Key
    assert job["ResourceConfig"]["InstanceType"] == "ml.g5.12xlarge"
    assert job["OutputDataConfig"]["S3OutputPath"] == "s3://team-ml-artifacts/jobs/"
    assert job["VpcConfig"] == {"Subnets": ["subnet-aaa"], "SecurityGroupIds": ["sg-aaa"]}
    assert f"filled VpcConfig from {admin}" in err
    assert job["AlgorithmSpecification"]["TrainingImage"].startswith("<account-id>")  # still the skeleton


def test_smjob_new_as_a_process_with_the_override_variable(tmp_path):
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("SageMaker:\n  TrainingJob:\n    RoleArn: arn:aws:iam::444455556666:role/from-env\n")
    env = dict(
        os.environ, SAGEMAKER_USER_CONFIG_OVERRIDE=str(cfg), SAGEMAKER_ADMIN_CONFIG_OVERRIDE=str(tmp_path / "none")
    )
    smjob = os.path.join(os.path.dirname(sys.executable), "smjob")
    done = subprocess.run([smjob, "new"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and json.loads(done.stdout)["RoleArn"] == "arn:aws:iam::444455556666:role/from-env"
    assert "none (admin config, from SAGEMAKER_ADMIN_CONFIG_OVERRIDE): no such file; ignored" in done.stderr
