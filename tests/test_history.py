"""smjob.history: the SQLite store of submissions and exports."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smjob import aws
from smjob.aws import Target
from smjob.examples import load_example, names
from smjob.history import ACTIONS, SCHEMA_VERSION, History, history_path, where_of

ROOT = Path(__file__).resolve().parent.parent
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY"


@pytest.fixture
def history(tmp_path):
    with History(tmp_path / "h.sqlite3") as h:
        yield h


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_record_get_list_update(history):
    target = Target("dev", "eu-west-1", None)
    a = history.record("submit", load_example("pytorch-gpu"), arn="arn:a", status="InProgress", target=target)
    b = history.record("export", load_example("xgboost-distributed"), path="/tmp/job.json")
    c = history.record("submit-failed", load_example("heterogeneous"), target=target, error="AccessDenied: no")
    assert (a, b, c) == (1, 2, 3) and history.count() == 3

    entries = history.list()
    assert [e.id for e in entries] == [c, b, a]  # newest first
    assert all(e.request is None for e in entries)  # listing never decodes requests
    first = history.get(a)
    assert first.request == load_example("pytorch-gpu")
    assert (first.action, first.arn, first.status, first.profile, first.region, first.endpoint) == (
        "submit",
        "arn:a",
        "InProgress",
        "dev",
        "eu-west-1",
        None,
    )
    assert first.job_name == "pytorch-resnet50-g5-20240601-120000" and first.instance_type == "ml.g5.2xlarge"
    assert first.created.endswith("+00:00")
    assert history.get(b).path == "/tmp/job.json"
    assert history.get(c).instance_type == "ml.c5.9xlarge,ml.g5.12xlarge"  # instance groups

    history.update_status(a, "Completed")
    assert history.get(a).status == "Completed"
    assert history.latest_for_job(first.job_name).id == a
    assert history.previous(c).id == b and history.previous(a) is None
    with pytest.raises(KeyError):
        history.get(99)
    with pytest.raises(KeyError):
        history.update_status(99, "Failed")
    with pytest.raises(ValueError):
        history.record("delete", {})
    assert set(ACTIONS) == {"submit", "export", "submit-failed"}


def test_where_an_entry_went(history):
    """One answer for `smjob history list` and the history screen: an export's file, a
    submission's endpoint host or else its region, nothing when nothing was recorded."""
    ids = [
        history.record("export", load_example("pytorch-gpu"), path="/tmp/review/job.sh"),
        history.record("submit", load_example("pytorch-gpu"), target=Target("dev", "eu-west-1", None)),
        history.record(
            "submit", load_example("pytorch-gpu"), target=Target(None, "us-east-1", "http://127.0.0.1:5123")
        ),
        history.record("submit-failed", load_example("pytorch-gpu"), target=Target(None, "eu-west-1", None)),
        history.record("submit-failed", load_example("pytorch-gpu")),
        history.record("submit", load_example("pytorch-gpu"), target=Target(None, None, "http://[::1")),
    ]
    assert [where_of(history.get(i)) for i in ids] == [
        "/tmp/review/job.sh",
        "eu-west-1",
        "127.0.0.1:5123",
        "eu-west-1",
        "",
        "http://[::1",  # not a URL urlsplit reads: shown as stored
    ]


def test_history_list_says_where_each_entry_went(tmp_path, capsys):
    """`smjob history list` after a real `smjob render -o`: the export's line ends with its file,
    a submission's with its region, as the history screen's where column shows them."""
    from smjob.cli.main import main

    job = tmp_path / "job.json"
    job.write_text(json.dumps(load_example("pytorch-gpu")))
    script = tmp_path / "review" / "job.sh"
    assert main(["render", str(job), "--to", "cli", "-o", str(script)]) == 0
    with History() as history:  # the store the CLI wrote to (SMJOB_DATA_DIR, per test)
        history.record("submit", load_example("xgboost-distributed"), target=Target(None, "eu-west-1", None))
    capsys.readouterr()
    assert main(["history", "list"]) == 0
    header, submitted, exported = capsys.readouterr().out.splitlines()
    assert header.endswith("JOB -> WHERE")
    assert submitted.endswith(f"{load_example('xgboost-distributed')['TrainingJobName']} -> eu-west-1")
    assert exported.endswith(f"{load_example('pytorch-gpu')['TrainingJobName']} -> {script}")


def test_filters(history):
    for i, name in enumerate(names() * 2):
        request = load_example(name)
        request["TrainingJobName"] = f"{name}-{i}"
        history.record(
            "submit",
            request,
            arn=f"arn:aws:sagemaker:us-east-1:1:training-job/{name}-{i}",
            status="Completed" if i % 2 else "Failed",
            error="quota_exceeded 100%" if i == 3 else None,
        )
    assert [e.job_name for e in history.list(text="BYOC")] == ["byoc-vpc-5", "byoc-vpc-0"]  # case-insensitive
    assert len(history.list(text="training-job/")) == 10  # ARN
    assert [e.id for e in history.list(text="ml.m5.2xlarge")] == [10, 5]  # instance type
    assert [e.id for e in history.list(text="100%")] == [4]  # error; % is literal
    assert history.list(text="quota_")[0].id == 4 and history.list(text="quota%") == []  # _ is literal
    assert {e.status for e in history.list(status="failed")} == {"Failed"}  # case-insensitive
    assert [e.id for e in history.list(status="Completed", instance_type="ML.M5.2XLARGE")] == [10]
    assert len(history.list(limit=3)) == 3
    assert [e.id for e in history.list(action="submit", limit=2)] == [10, 9]


def test_file_is_private_and_versioned(tmp_path, monkeypatch):
    monkeypatch.setenv("SMJOB_DATA_DIR", str(tmp_path / "data"))
    with History() as h:
        h.record("submit", {"TrainingJobName": "a"})
    path = history_path()
    assert path == tmp_path / "data" / "history.sqlite3"
    assert _mode(path) == 0o600
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if extra.exists():
            assert _mode(extra) == 0o600, extra
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"entries_status", "entries_instance", "entries_job"} <= indexes

    os.chmod(path, 0o644)  # an existing file that became readable by others is narrowed again
    with History() as h:
        assert h.count() == 1
    assert _mode(path) == 0o600


def test_status_filter_uses_an_index(history):
    plan = history._db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM entries WHERE status = ? COLLATE NOCASE ORDER BY id DESC LIMIT 5",
        ("Failed",),
    ).fetchall()
    assert "entries_status" in " ".join(str(row) for row in plan)


_WRITER = """
import sys, time
from smjob.history import History
start = float(sys.argv[3])
while time.time() < start:  # both processes open the new file and write at the same moment
    time.sleep(0.001)
h = History(sys.argv[1])
for i in range(1000):
    h.record("submit", {"TrainingJobName": f"w{sys.argv[2]}-{i}", "ResourceConfig": {"InstanceType": "ml.m5.large"}},
             status="InProgress")
h.close()
"""


def test_two_processes_writing_at_once(tmp_path):
    path = tmp_path / "shared.sqlite3"  # brand new: both processes also race to create the schema
    started = time.monotonic()
    go = str(time.time() + 1.0)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), str(n), go],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    results = [p.communicate(timeout=60) for p in procs]
    elapsed = time.monotonic() - started
    assert [p.returncode for p in procs] == [0, 0], results
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 2000
        assert db.execute("SELECT count(DISTINCT job_name) FROM entries").fetchone()[0] == 2000
        writers = [row[0][1] for row in db.execute("SELECT job_name FROM entries ORDER BY id")]
    switches = sum(a != b for a, b in itertools.pairwise(writers))
    assert switches >= 1  # the writes really interleaved
    print(
        f"\ntwo processes x 1,000 records: {elapsed:.2f} s wall (incl. 1 s start barrier), "
        f"{switches} switches between writers"
    )


def test_no_credentials_are_stored(moto, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLESESSIONTOKEN")
    path = tmp_path / "h.sqlite3"
    with History(path) as h:
        for name in names():
            request = load_example(name)
            result = aws.submit(request, moto.target())
            h.record("submit", request, arn=result.arn, status="InProgress", target=result.target)
        try:
            aws.submit(load_example("pytorch-gpu"), moto.target())
        except aws.AwsError as exc:
            h.record("submit-failed", load_example("pytorch-gpu"), target=moto.target(), error=exc.message)
        assert h.count() == len(names()) + 1
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("h.sqlite3"))
    assert b"pytorch-resnet50-g5" in blob  # the data is there...
    for secret in (SECRET, "AKIAIOSFODNN7EXAMPLE", "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"):
        assert secret.encode() not in blob  # ...the credentials are not


def test_ten_thousand_entries(history):
    requests = [load_example(n) for n in names()]
    started = time.perf_counter()
    with history._lock:  # bulk insert in one transaction; record() commits per call
        history._db.execute("BEGIN")
        for i in range(10_000):
            request = requests[i % len(requests)]
            request["TrainingJobName"] = f"job-{i:05d}"
            history.record(
                "submit",
                request,
                arn=f"arn:aws:sagemaker:us-east-1:123456789012:training-job/job-{i:05d}",
                status=("Completed", "Failed", "InProgress")[i % 3],
                error="boom" if i % 97 == 0 else None,
            )
        history._db.execute("COMMIT")
    insert = time.perf_counter() - started

    def timed(fn, repeat=5):
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            result = fn()
            best = min(best, time.perf_counter() - t)
        return best, result

    t_list, newest = timed(lambda: history.list())
    t_text, by_text = timed(lambda: history.list(text="job-0999"))
    t_status, failed = timed(lambda: history.list(status="Failed", limit=10_000))
    t_rare, rare = timed(lambda: history.list(text="boom", limit=10_000))
    t_get, entry = timed(lambda: history.get(5001))
    t_count, count = timed(history.count)
    history._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = history.path.stat().st_size

    assert count == 10_000 and len(newest) == 200 and newest[0].job_name == "job-09999"
    assert [e.job_name for e in by_text] == [f"job-0999{d}" for d in range(9, -1, -1)]
    assert len(failed) == 3333 and len(rare) == 104
    assert entry.request["TrainingJobName"] == "job-05000"
    print(
        f"\n10,000 entries: insert {insert:.2f} s (one transaction); list 200 {t_list * 1e3:.1f} ms; "
        f"text filter {t_text * 1e3:.1f} ms; status filter (3,333 rows) {t_status * 1e3:.1f} ms; "
        f"error filter {t_rare * 1e3:.1f} ms; get {t_get * 1e3:.2f} ms; count {t_count * 1e3:.2f} ms; "
        f"file {size / 1e6:.1f} MB = {size / 10_000:.0f} bytes/entry "
        f"(request JSON ~{sum(len(json.dumps(r)) for r in requests) / len(requests):.0f} bytes)"
    )
