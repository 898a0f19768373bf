"""The headless AWS commands, run as real `smjob` processes against a moto server on loopback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from smjob.examples import load_example
from smjob.load import load_file
from smjob.validate import validate
from tests.support.moto_server import raw_client

ROOT = Path(__file__).resolve().parent.parent
STAMP = re.compile(r"-\d{8}-\d{6}(-\d{3})?$")  # milliseconds when cloned in the same second


@pytest.fixture
def smjob(tmp_path):
    env = {**os.environ, "SMJOB_DATA_DIR": str(tmp_path / "data"), "AWS_EC2_METADATA_DISABLED": "true"}

    def run(*args, env_overrides=None):
        return subprocess.run(
            [sys.executable, "-m", "smjob.tui.launch", *map(str, args)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={**env, **(env_overrides or {})},
        )

    return run


def _history(smjob, *args):
    out = smjob("history", "list", "--json", *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_submit_wait_status_history_resubmit_clone(moto, smjob, tmp_path):
    url = moto.url
    job = tmp_path / "job.json"
    request = load_example("pytorch-gpu")
    name = request["TrainingJobName"]
    job.write_text(json.dumps(request))

    out = smjob("submit", job, "--endpoint-url", url, "--region", "us-east-1", "--wait", "--poll-seconds", "0.1")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == f"arn:aws:sagemaker:us-east-1:123456789012:training-job/{name}"
    assert any("Starting: Preparing the instances for training" in line for line in lines)  # moto's transition
    assert any(line.endswith("Completed / Completed") for line in lines)
    assert lines[-2] == f"{name}: Completed after 0s (max 24h00m00s)"
    assert lines[-1].startswith("  model: s3://") and lines[-1].endswith(f"/{name}/output/model.tar.gz")

    again = smjob("submit", job, "--endpoint-url", url)
    assert again.returncode == 3
    assert "already exists (status Completed)" in again.stderr and again.stdout == ""

    status = smjob("status", name, "--endpoint-url", url, "--wait", "--poll-seconds", "0.1")
    assert status.returncode == 0 and f"{name}: Completed" in status.stdout
    status = smjob("status", name, "--endpoint-url", url, "--json")
    assert status.returncode == 0 and json.loads(status.stdout)["status"] == "Completed"

    entries = _history(smjob)
    assert [(e["id"], e["action"], e["status"]) for e in entries] == [
        (2, "submit-failed", None),
        (1, "submit", "Completed"),
    ]
    assert entries[0]["error"].startswith(f"name-in-use: a training job named {name!r} already exists")
    assert entries[0]["region"] == "us-east-1"  # resolved from AWS_DEFAULT_REGION
    assert entries[1]["endpoint"] == url and entries[1]["region"] == "us-east-1"
    assert entries[1]["instance_type"] == "ml.g5.2xlarge"
    assert [e["id"] for e in _history(smjob, "--status", "completed")] == [1]
    assert [e["id"] for e in _history(smjob, "--filter", "already exists")] == [2]
    table = smjob("history", "list")
    assert table.returncode == 0 and "submit-failed" in table.stdout and name in table.stdout

    # Resubmit goes where entry 1 went (its recorded endpoint and region) under a fresh name.
    resub = smjob("history", "resubmit", "1")
    assert resub.returncode == 0, resub.stderr
    new_arn = resub.stdout.strip()
    new_name = new_arn.rsplit("/", 1)[1]
    assert new_name != name and STAMP.search(new_name)
    assert STAMP.sub("", new_name) == STAMP.sub("", name)
    assert f"as {new_name} (history entry 3)" in resub.stderr

    sm = raw_client(moto)
    jobs = sorted(s["TrainingJobName"] for s in sm.list_training_jobs()["TrainingJobSummaries"])
    assert jobs == sorted([name, new_name])
    old, new = (sm.describe_training_job(TrainingJobName=n) for n in (name, new_name))
    for key in (
        "RoleArn",
        "HyperParameters",
        "InputDataConfig",
        "OutputDataConfig",
        "ResourceConfig",
        "StoppingCondition",
    ):
        assert new[key] == old[key] == request[key], key
    assert sm.list_tags(ResourceArn=new_arn)["Tags"] == request["Tags"]

    diff = smjob("history", "diff", "3")  # against the entry before (2: same request, old name)
    assert diff.returncode == 0
    assert diff.stdout.splitlines() == ["entry 2 -> entry 3", f'~ TrainingJobName: "{name}" -> "{new_name}"']
    diff = smjob("history", "diff", "1", "3", "--json")
    assert [c["path"] for c in json.loads(diff.stdout)] == ["TrainingJobName"]

    show = smjob("history", "show", "3")
    assert show.returncode == 0 and f"arn:{' ' * 11}{new_arn}" in show.stdout
    assert json.loads(show.stdout[show.stdout.index("{") :])["TrainingJobName"] == new_name

    clone_file = tmp_path / "clone.json"
    clone = smjob("clone", new_name, "-o", clone_file, "--endpoint-url", url)
    assert clone.returncode == 0, clone.stderr
    cloned = load_file(clone_file).request
    assert STAMP.sub("", cloned["TrainingJobName"]) == STAMP.sub("", name) and cloned["TrainingJobName"] != new_name
    assert "named the clone" in clone.stderr
    assert cloned["ResourceConfig"] == request["ResourceConfig"] and cloned["Tags"] == request["Tags"]
    assert not [p for p in validate(cloned) if p.severity == "error"]


def test_invalid_and_unreadable_files_are_not_submitted(moto, smjob, tmp_path):
    bad = load_example("pytorch-gpu")
    bad["ResourceConfig"]["InstanceType"] = "ml.nope"
    job = tmp_path / "bad.json"
    job.write_text(json.dumps(bad))
    out = smjob("submit", job, "--endpoint-url", moto.url)
    assert out.returncode == 1
    assert "invalid, not submitted" in out.stderr and "ResourceConfig.InstanceType" in out.stderr
    out = smjob("submit", tmp_path / "missing.json", "--endpoint-url", moto.url)
    assert out.returncode == 2 and "no such file" in out.stderr
    assert raw_client(moto).list_training_jobs()["TrainingJobSummaries"] == []
    assert _history(smjob) == []  # nothing was sent, nothing recorded


def test_aws_errors_exit_2_with_what_to_do(moto, smjob, tmp_path):
    job = tmp_path / "job.json"
    job.write_text(json.dumps(load_example("xgboost-distributed")))
    empty = tmp_path / "empty"
    empty.write_text("")
    no_creds = {
        "AWS_ACCESS_KEY_ID": "",
        "AWS_SECRET_ACCESS_KEY": "",
        "AWS_CONFIG_FILE": str(empty),
        "AWS_SHARED_CREDENTIALS_FILE": str(empty),
    }
    out = smjob("submit", job, "--endpoint-url", moto.url, env_overrides=no_creds)
    assert out.returncode == 2
    assert "error: no AWS credentials found: run `aws configure`" in out.stderr
    [entry] = _history(smjob)
    assert entry["action"] == "submit-failed" and "aws configure" in entry["error"]

    out = smjob("status", "no-such-job", "--endpoint-url", moto.url)
    assert out.returncode == 2 and "not found" in out.stderr
    out = smjob("history", "resubmit", "42")
    assert out.returncode == 2 and "no history entry 42" in out.stderr


def test_submit_checks_once_in_the_region_it_sends_to(moto, smjob, tmp_path):
    """The one check before anything is sent runs in the region the job goes to, here the
    environment's (no --region): an override of a region rule is said, never silent."""
    request = load_example("pytorch-gpu")
    image = request["AlgorithmSpecification"]["TrainingImage"]
    request["AlgorithmSpecification"]["TrainingImage"] = image.replace("us-east-1", "eu-west-1")
    job = tmp_path / "job.json"
    job.write_text(json.dumps(request))
    out = smjob(
        "submit",
        job,
        "--endpoint-url",
        moto.url,
        "--ignore-rule",
        "image.region",
        env_overrides={"AWS_DEFAULT_REGION": "us-east-1"},
    )
    assert out.returncode == 0, out.stderr
    assert "ignored warning: AlgorithmSpecification.TrainingImage is in the ECR registry of eu-west-1" in out.stderr
    [entry] = _history(smjob)
    assert entry["action"] == "submit" and entry["region"] == "us-east-1"
