"""Code upload (smjob.code) against the local moto S3 and SageMaker: what lands in S3, the request
that is sent and recorded, content addressing, the checks made before anything is uploaded, a
failed upload, and the launcher itself run by sh on this machine."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from smjob.cli.main import main as cli_main
from smjob.code import CodeError, CodeSettings
from smjob.code.bundle import scan
from smjob.code.complete import CODE_DIR, ENTRYPOINT, RUNNER, SHELL, code_channel, complete_request
from smjob.code.staging import prepare, upload_prepared
from smjob.code.upload import UploadError
from smjob.drafts import save_draft
from smjob.drafts import scan as scan_drafts
from smjob.examples import load_example
from smjob.history import History
from smjob.validate import validate
from tests.support.moto_server import raw_client

BUCKET = "sagemaker-us-east-1-123456789012"


def main(argv) -> int:
    return cli_main([str(a) for a in argv])


@pytest.fixture
def src(tmp_path) -> Path:
    root = tmp_path / "src"
    for rel, text in {
        "train.py": "import sys\nprint(sys.argv[1:])\n",
        "pkg/model.py": "WIDTH = 3\n",
        "requirements.txt": "# nothing to install\n",
        ".git/HEAD": "ref: refs/heads/main\n",
        "pkg/__pycache__/model.cpython-311.pyc": "compiled",
        ".venv/bin/python": "not uploaded",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.fixture
def job_file(tmp_path) -> Path:
    path = tmp_path / "job.json"
    path.write_text(json.dumps(load_example("pytorch-gpu")))
    return path


def objects(s3, prefix="") -> dict[str, bytes]:
    out = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        for item in page.get("Contents", []):
            out[item["Key"]] = s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
    return out


def test_submit_uploads_the_folder_and_sends_and_records_the_completed_request(moto, src, job_file, capsys):
    s3 = raw_client(moto, "s3")
    s3.create_bucket(Bucket=BUCKET)
    request = load_example("pytorch-gpu")
    name = request["TrainingJobName"]
    rc = main(
        ["submit", job_file, "--endpoint-url", moto.url, "--source-dir", src, "--entry-point", "train.py"]
        + ["--requirements"]
    )
    err = capsys.readouterr().err
    assert rc == 0, err
    settings = CodeSettings(str(src), "train.py", "requirements.txt")
    digest = scan(settings).digest
    prefix = f"pytorch-resnet50/output/{name}/code/{digest[:16]}/"
    assert objects(s3) == {
        prefix + "pkg/model.py": b"WIDTH = 3\n",
        prefix + "requirements.txt": b"# nothing to install\n",
        prefix + "train.py": b"import sys\nprint(sys.argv[1:])\n",
    }
    assert f"uploaded 3 file(s), 62 bytes, to s3://{BUCKET}/{prefix}" in err

    expected = complete_request(request, settings, f"s3://{BUCKET}/{prefix}")
    assert expected["InputDataConfig"][-1] == {
        "ChannelName": "code",
        "DataSource": {
            "S3DataSource": {
                "S3DataType": "S3Prefix",
                "S3Uri": f"s3://{BUCKET}/{prefix}",
                "S3DataDistributionType": "FullyReplicated",
            }
        },
        "InputMode": "File",
    }
    assert expected["AlgorithmSpecification"]["ContainerEntrypoint"] == ENTRYPOINT
    assert expected["AlgorithmSpecification"]["ContainerArguments"] == [RUNNER, "requirements.txt", "train.py"]
    sent = raw_client(moto).describe_training_job(TrainingJobName=name)
    assert sent["InputDataConfig"] == expected["InputDataConfig"]
    assert sent["AlgorithmSpecification"]["ContainerEntrypoint"] == ENTRYPOINT
    with History() as history:
        entry = history.get(history.list()[0].id)
    assert entry.action == "submit" and entry.request == expected  # the whole request, as sent
    assert entry.code == {"source_dir": str(src), "entry_point": "train.py", "requirements": "requirements.txt"}
    assert CodeSettings.from_meta(entry.code) == settings


def test_a_job_with_an_ignored_rule_and_code_is_checked_with_its_overrides(moto, src, tmp_path, capsys):
    """The code step checks the completed request again: with the job's rule overrides, as the first
    check did (it used to refuse an error the job ignores)."""
    raw_client(moto, "s3").create_bucket(Bucket=BUCKET)
    request = load_example("pytorch-gpu")
    request["StoppingCondition"]["MaxRuntimeInSeconds"] = 40 * 24 * 3600  # an error of rule stopping.max-runtime-limit
    path = tmp_path / "long.json"
    path.write_text(json.dumps(request))
    code = ["--source-dir", src, "--entry-point", "train.py"]
    assert main(["submit", path, "--endpoint-url", moto.url, *code]) == 1  # refused without the override
    capsys.readouterr()
    rc = main(["submit", path, "--endpoint-url", moto.url, *code, "--ignore-rule", "stopping.max-runtime-limit"])
    assert rc == 0, capsys.readouterr().err
    sent = raw_client(moto).describe_training_job(TrainingJobName=request["TrainingJobName"])
    assert sent["StoppingCondition"]["MaxRuntimeInSeconds"] == 40 * 24 * 3600


def test_unchanged_code_uploads_nothing_and_a_partial_upload_is_completed(moto, src):
    s3 = raw_client(moto, "s3")
    s3.create_bucket(Bucket=BUCKET)
    request = load_example("pytorch-gpu")
    prepared = prepare(request, CodeSettings(str(src), "train.py"))
    first = upload_prepared(prepared, moto.target())
    assert sorted(first.uploaded) == ["pkg/model.py", "requirements.txt", "train.py"] and first.skipped == []
    again = upload_prepared(prepare(request, CodeSettings(str(src), "train.py")), moto.target())
    assert again.uploaded == [] and sorted(again.skipped) == sorted(first.uploaded)
    assert again.uri == first.uri

    _, key = prepared.uri[len("s3://") :].split("/", 1)
    s3.delete_object(Bucket=BUCKET, Key=key + "pkg/model.py")  # as if an upload had stopped there
    resumed = upload_prepared(prepare(request, CodeSettings(str(src), "train.py")), moto.target())
    assert resumed.uploaded == ["pkg/model.py"]

    (src / "train.py").write_text("print('changed')\n")  # new content, new prefix
    changed = prepare(request, CodeSettings(str(src), "train.py"))
    assert changed.uri != prepared.uri
    assert sorted(upload_prepared(changed, moto.target()).uploaded) == sorted(first.uploaded)


def test_jobs_sharing_a_prefix_share_uploads_through_the_cli(moto, src, job_file, capsys):
    s3 = raw_client(moto, "s3")
    s3.create_bucket(Bucket=BUCKET)
    base = ["submit", job_file, "--endpoint-url", moto.url, "--source-dir", src, "--entry-point", "train.py"]
    base += ["--code-s3-prefix", f"s3://{BUCKET}/shared/code/"]
    assert main(base) == 0
    assert "uploaded 3 file(s)" in capsys.readouterr().err
    assert main([*base, "--fresh-name"]) == 0
    assert "code unchanged: 3 file(s) already in" in capsys.readouterr().err
    assert len(objects(s3)) == 3


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (lambda src: CodeSettings(str(src / "nope"), "train.py"), "does not exist"),
        (lambda src: CodeSettings(str(src / "train.py"), "train.py"), "is not a folder"),
        (lambda src: CodeSettings(str(src), "missing.py"), "entry script missing.py is not in the source folder"),
        (lambda src: CodeSettings(str(src), "../outside.py"), "is outside the source folder"),
        (lambda src: CodeSettings(str(src), str(src / "train.py")), "must be a path relative to the source folder"),
        (lambda src: CodeSettings(str(src), "requirements.txt"), "must be a .py or .sh file"),
        (lambda src: CodeSettings(str(src), "train.py", "reqs.txt"), "requirements file reqs.txt is not in"),
        (lambda src: CodeSettings(str(src), "train.py", ignore=("*.py",)), "matches an ignore pattern"),
    ],
)
def test_bad_settings_are_refused_before_anything_is_read_or_sent(src, settings, message):
    (src.parent / "outside.py").write_text("print()\n")
    with pytest.raises(CodeError, match=message):
        scan(settings(src))


def test_size_limit_unreadable_files_and_large_data_warnings(src):
    with pytest.raises(CodeError, match=r"holds 3 files, 0\.0 MiB: over the limit .* \(largest: train\.py"):
        scan(CodeSettings(str(src), "train.py"), max_bytes=10)
    (src / "data.csv").write_bytes(b"x" * (2 * 1024 * 1024))
    assert scan(CodeSettings(str(src), "train.py")).warnings == (
        "data.csv is 2.0 MiB: data belongs in an input channel; add it to the ignore patterns",
    )
    os.symlink("loop", src / "loop")  # unreadable even for root
    with pytest.raises(CodeError, match=r"cannot read loop \("):
        scan(CodeSettings(str(src), "train.py"))


def test_cli_refuses_bad_code_before_uploading_or_creating(moto, src, job_file, capsys):
    s3 = raw_client(moto, "s3")
    s3.create_bucket(Bucket=BUCKET)
    rc = main(["submit", job_file, "--endpoint-url", moto.url, "--source-dir", src, "--entry-point", "../x.py"])
    assert rc == 1
    assert "is outside the source folder" in capsys.readouterr().err
    assert main(["submit", job_file, "--endpoint-url", moto.url, "--entry-point", "train.py"]) == 2
    assert "--source-dir and --entry-point go together" in capsys.readouterr().err
    assert objects(s3) == {}
    assert raw_client(moto).list_training_jobs()["TrainingJobSummaries"] == []


def test_an_upload_failing_part_way_creates_no_job_and_says_what_was_uploaded(moto, src, job_file, capsys):
    s3 = raw_client(moto, "s3")
    s3.create_bucket(Bucket=BUCKET)
    prepared = prepare(load_example("pytorch-gpu"), CodeSettings(str(src), "train.py"))

    class FailsSecondPut:  # the real client, except that the second PutObject is refused
        def __init__(self):
            self.puts = 0

        def __getattr__(self, name):
            return getattr(s3, name)

        def put_object(self, **kw):
            self.puts += 1
            if self.puts == 2:
                raise ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"}}, "PutObject")
            return s3.put_object(**kw)

    with pytest.raises(UploadError) as caught:
        upload_prepared(prepared, moto.target(), s3=FailsSecondPut())
    assert caught.value.result.uploaded == ["pkg/model.py"]
    assert "1 file(s) were uploaded before (pkg/model.py)" in str(caught.value)
    assert "no training job was created" in str(caught.value)

    job = json.loads(job_file.read_text())
    job["OutputDataConfig"]["S3OutputPath"] = "s3://no-such-bucket/out/"
    job_file.write_text(json.dumps(job))
    rc = main(["submit", job_file, "--endpoint-url", moto.url, "--source-dir", src, "--entry-point", "train.py"])
    err = capsys.readouterr().err
    assert rc == 2 and "code upload to s3://no-such-bucket/out/" in err and "nothing was uploaded" in err
    assert raw_client(moto).list_training_jobs()["TrainingJobSummaries"] == []
    with History() as history:
        [entry] = history.list(limit=1)
    assert entry.action == "submit-failed" and "no training job was created" in entry.error


def test_completion_is_pure_idempotent_valid_and_refuses_conflicts():
    request = load_example("pytorch-gpu")
    before = copy.deepcopy(request)
    settings = CodeSettings("/src", "./train.py")
    done = complete_request(request, settings, "s3://my-bucket/p/")
    assert request == before
    assert complete_request(done, settings, "s3://my-bucket/p/") == done
    assert complete_request(done, settings, "s3://my-bucket/q/")["InputDataConfig"][-1] == code_channel(
        "s3://my-bucket/q/"
    )
    assert done["AlgorithmSpecification"]["ContainerArguments"][2] == "train.py"
    assert not [p for p in validate(done) if p.severity == "error"]
    assert all(len(s) <= 256 for s in ENTRYPOINT + done["AlgorithmSpecification"]["ContainerArguments"])

    theirs = copy.deepcopy(request)
    theirs["InputDataConfig"][0]["ChannelName"] = "code"
    with pytest.raises(CodeError, match=r"InputDataConfig\[0\] is a channel named 'code'"):
        complete_request(theirs, settings, "s3://my-bucket/p/")
    own = copy.deepcopy(request)
    own["AlgorithmSpecification"]["ContainerEntrypoint"] = ["python", "x.py"]
    with pytest.raises(CodeError, match="ContainerEntrypoint is set"):
        complete_request(own, settings, "s3://my-bucket/p/")


def _launch(code_dir: Path, hyperparameters: dict, entry: str, requirements: str = "") -> list[str]:
    """The launcher as SageMaker runs it (entrypoint + arguments), with this machine's paths."""
    hp_file = code_dir.parent / "hyperparameters.json"
    hp_file.write_text(json.dumps(hyperparameters))
    shell = SHELL.replace(CODE_DIR, str(code_dir))
    runner = RUNNER.replace("/opt/ml/input/config/hyperparameters.json", str(hp_file))
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    out = subprocess.run(
        ["/bin/sh", "-c", shell, "smjob-code", runner, requirements, entry],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd="/",
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_the_launcher_runs_the_entry_script_with_the_hyperparameters(src):
    hps = {"lr": "0.01", "name": "two words"}
    assert _launch(src, hps, "train.py") == ["['--lr', '0.01', '--name', 'two words']"]
    (src / "run.sh").write_text('echo "$PWD" "$#" "$2"\n')  # no #! line: runs under sh
    assert _launch(src, hps, "run.sh") == [f"{src} 4 0.01"]
    (src / "bash.sh").write_text('#!/bin/bash\necho "${BASH_VERSION:+bash}" "$4"\n')
    assert _launch(src, hps, "bash.sh") == ["bash two words"]
    lines = _launch(src, {}, "train.py", "requirements.txt")  # pip reads the (empty) requirements first
    assert lines[-1] == "[]"


def test_code_settings_travel_with_drafts(tmp_path):
    settings = CodeSettings("/work/src", "train.py", "requirements.txt", (".git", "data"), "s3://b/code/")
    request = load_example("pytorch-gpu")
    save_draft(request, "abc123", tmp_path, code=settings.to_meta())
    [draft], problems = scan_drafts(tmp_path)
    assert problems == [] and draft.request == request
    assert CodeSettings.from_meta(draft.code) == settings
    assert CodeSettings.from_meta({"source_dir": 3}) is None and CodeSettings.from_meta("junk") is None


def test_export_script_syncs_the_code_then_creates_the_job(moto, src, job_file, tmp_path, capsys):
    s3 = raw_client(moto, "s3")
    s3.create_bucket(Bucket=BUCKET)
    script = tmp_path / "out" / "job.sh"
    script.parent.mkdir()
    args = ["render", job_file, "--to", "cli", "-o", script, "--source-dir", src, "--entry-point", "train.py"]
    assert main(args) == 0
    assert objects(s3) == {}  # the script uploads, not the export
    assert raw_client(moto).list_training_jobs()["TrainingJobSummaries"] == []
    env = {**os.environ, **moto.env(), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "AWS_PAGER": ""}
    out = subprocess.run(["sh", str(script)], capture_output=True, text=True, env=env, cwd="/", timeout=120)
    assert out.returncode == 0, out.stderr
    prepared = prepare(load_example("pytorch-gpu"), CodeSettings(str(src), "train.py"))
    _, key = prepared.uri[len("s3://") :].split("/", 1)
    assert sorted(objects(s3)) == [key + "pkg/model.py", key + "requirements.txt", key + "train.py"]
    sent = raw_client(moto).describe_training_job(TrainingJobName=prepared.request["TrainingJobName"])
    assert sent["InputDataConfig"] == prepared.request["InputDataConfig"]
    assert (
        sent["AlgorithmSpecification"]["ContainerArguments"]
        == prepared.request["AlgorithmSpecification"]["ContainerArguments"]
    )


def test_render_previews_the_completed_request_and_can_upload_now(moto, src, job_file, capsys):
    s3 = raw_client(moto, "s3")
    s3.create_bucket(Bucket=BUCKET)
    prepared = prepare(load_example("pytorch-gpu"), CodeSettings(str(src), "train.py"))
    assert main(["render", job_file, "--source-dir", src, "--entry-point", "train.py"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == prepared.request
    assert "the code is not uploaded yet" in captured.err and objects(s3) == {}
    args = ["render", job_file, "--source-dir", src, "--entry-point", "train.py", "--upload-code"]
    assert main([*args, "--endpoint-url", moto.url]) == 0
    assert json.loads(capsys.readouterr().out) == prepared.request
    assert len(objects(s3)) == 3


def test_progress_is_reported_for_large_folders(moto, src):
    raw_client(moto, "s3").create_bucket(Bucket=BUCKET)
    (src / "weights.py").write_bytes(b"#" * (3 * 1024 * 1024))
    calls = []
    prepared = prepare(load_example("pytorch-gpu"), CodeSettings(str(src), "train.py"))
    upload_prepared(prepared, moto.target(), progress=lambda done, total, name: calls.append((done, total, name)))
    total = prepared.bundle.total_bytes
    assert calls[0] == (0, total, "pkg/model.py") and calls[-1] == (total, total, "weights.py")
    assert [done for done, _, _ in calls] == sorted(done for done, _, _ in calls) and len(calls) == 5
