"""smjob.logs and `smjob logs` against moto's CloudWatch Logs: lines written under a job's streams
come back in timestamp order (all hosts interleaved, or one), filtered by --search and --since,
escaped; follow mode shows new lines within 2 s and ends with the job; throttling and missing
streams are reported as such; MetricDefinitions give live values."""

from __future__ import annotations

import threading
import time

import pytest
from botocore.exceptions import ClientError

from smjob.cli.main import main as cli_main
from smjob.examples import load_example
from smjob.logs import LogLine, LogReader, MetricTracker, Notice, follow, host_of
from tests.support.moto_server import raw_client, write_log_events


def main(argv) -> int:
    return cli_main([str(a) for a in argv])


def make_job(moto, name: str, instances: int = 1) -> None:
    request = dict(load_example("pytorch-gpu"), TrainingJobName=name)
    request["ResourceConfig"] = dict(request["ResourceConfig"], InstanceCount=instances)
    raw_client(moto).create_training_job(**request)


def write(moto, stream: str, events: list[tuple[int, str]]) -> None:
    write_log_events(raw_client(moto, "logs"), stream, events)


def test_logs_prints_every_host_interleaved_by_timestamp(moto, capsys):
    make_job(moto, "two-hosts", instances=2)
    now = int(time.time() * 1000)
    write(moto, "two-hosts/algo-1-1700000000", [(now, "a1 epoch 1"), (now + 20, "a1 epoch 2 \x1b]52;c;x\x07")])
    write(moto, "two-hosts/algo-2-1700000000", [(now + 10, "a2 epoch 1"), (now + 30, "a2 loss=0.5")])
    write(moto, "other-job/algo-1-1700000000", [(now + 5, "not this job")])
    assert main(["logs", "two-hosts", "--endpoint-url", moto.url]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "[algo-1] a1 epoch 1",
        "[algo-2] a2 epoch 1",
        "[algo-1] a1 epoch 2 \\x1b]52;c;x\\x07",
        "[algo-2] a2 loss=0.5",
    ]
    assert main(["logs", "two-hosts", "--endpoint-url", moto.url, "--host", "algo-2"]) == 0
    assert capsys.readouterr().out.splitlines() == ["a2 epoch 1", "a2 loss=0.5"]
    assert main(["logs", "two-hosts", "--endpoint-url", moto.url, "--search", "EPOCH 1"]) == 0
    assert capsys.readouterr().out.splitlines() == ["[algo-1] a1 epoch 1", "[algo-2] a2 epoch 1"]


def test_a_single_host_job_prints_its_lines_as_written_and_since_cuts_old_ones(moto, capsys):
    make_job(moto, "one-host")
    now = int(time.time() * 1000)
    old = now - 3600 * 1000
    write(moto, "one-host/algo-1-1700000000", [(old, "an hour ago"), (now, "line 1"), (now + 1, "line 2")])
    assert main(["logs", "one-host", "--endpoint-url", moto.url]) == 0
    assert capsys.readouterr().out.splitlines() == ["an hour ago", "line 1", "line 2"]
    assert main(["logs", "one-host", "--endpoint-url", moto.url, "--since", "10m"]) == 0
    assert capsys.readouterr().out.splitlines() == ["line 1", "line 2"]
    assert main(["logs", "one-host", "--endpoint-url", moto.url, "--since", "soon"]) == 2


def test_follow_exits_with_the_jobs_status_after_printing_every_line(moto, capsys):
    make_job(moto, "done-job")  # moto reports every job Completed at once
    now = int(time.time() * 1000)
    write(moto, "done-job/algo-1-1700000000", [(now, "first"), (now + 1, "last")])
    assert main(["logs", "done-job", "--endpoint-url", moto.url, "--follow"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["first", "last"]
    assert "done-job: Completed" in captured.err


def test_missing_job_and_missing_streams(moto, capsys):
    assert main(["logs", "no-such-job", "--endpoint-url", moto.url]) == 2
    assert "no-such-job" in capsys.readouterr().err
    make_job(moto, "not-started")
    assert main(["logs", "not-started", "--endpoint-url", moto.url]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no log streams yet for not-started: the job has not started" in captured.err


class Status:
    def __init__(self, status):
        self.status = status
        self.failure_reason = None

    @property
    def terminal(self):
        return self.status in ("Completed", "Failed", "Stopped")


class Poller:
    """The job's status as the test says: moto cannot keep a job running."""

    def __init__(self):
        self.status = "InProgress"

    def poll(self):
        return Status(self.status)


def test_follow_shows_new_lines_within_two_seconds_and_ends_with_the_job(moto):
    reader = LogReader("running", moto.target())
    poller = Poller()
    seen: list[tuple[float, object]] = []
    finished = threading.Event()

    def run():
        for item in follow(reader, poller, poll_seconds=0.2):
            seen.append((time.monotonic(), item))
        finished.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not any(isinstance(i, Notice) and i.kind == "waiting" for _, i in seen):
        assert time.monotonic() < deadline, seen
        time.sleep(0.02)
    for n in range(3):
        written = time.monotonic()
        write(moto, "running/algo-1-1700000000", [(int(time.time() * 1000), f"step {n}")])
        while not any(isinstance(i, LogLine) and i.message == f"step {n}" for _, i in seen):
            assert time.monotonic() < deadline, seen
            time.sleep(0.02)
        shown = next(t for t, i in seen if isinstance(i, LogLine) and i.message == f"step {n}")
        assert shown - written < 2.0
    write(moto, "running/algo-2-1700000000", [(int(time.time() * 1000), "second host")])
    poller.status = "Failed"
    assert finished.wait(10)
    items = [i for _, i in seen]
    assert items[-1].status == "Failed"
    assert [i.message for i in items if isinstance(i, LogLine)] == ["step 0", "step 1", "step 2", "second host"]
    assert Notice("stream", "new log stream running/algo-2-1700000000") in items


def test_throttling_is_reported_and_backed_off(moto):
    make_job(moto, "throttled")
    write(moto, "throttled/algo-1-1700000000", [(int(time.time() * 1000), "hello")])
    real = raw_client(moto, "logs")

    class ThrottlesOnce:
        def __init__(self):
            self.throttled = 0

        def __getattr__(self, name):
            return getattr(real, name)

        def describe_log_streams(self, **kw):
            if self.throttled < 2:
                self.throttled += 1
                raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "X")
            return real.describe_log_streams(**kw)

    reader = LogReader("throttled", moto.target(), client=ThrottlesOnce())
    assert reader.poll() == [Notice("throttled", "CloudWatch Logs is throttling; next try in 2 s")]
    assert reader.poll() == [Notice("throttled", "CloudWatch Logs is throttling; next try in 4 s")]
    assert reader.backoff == 4
    [line] = reader.poll()
    assert line.message == "hello" and line.host == "algo-1" and reader.backoff == 0


def test_metrics_from_metric_definitions():
    definitions = load_example("pytorch-gpu")["AlgorithmSpecification"]["MetricDefinitions"]
    tracker = MetricTracker(definitions + [{"Name": "bad", "Regex": "(unclosed"}])
    assert tracker.errors and tracker.errors[0].startswith("bad: ")
    stream = "job/algo-1-1700000000"
    assert tracker.feed(LogLine(1, stream, "epoch 1 train_loss=0.75 val_loss=0.8")) != []
    tracker.feed(LogLine(2, stream, "epoch 2 train_loss=0.5 val_acc=0.91"))
    tracker.feed(LogLine(3, stream, "train_loss=nan-ish"))  # not a number: ignored
    assert {k: v.value for k, v in tracker.latest.items()} == {
        "train:loss": 0.5,
        "validation:loss": 0.8,
        "validation:accuracy": 0.91,
    }
    assert tracker.series["train:loss"] == [(1, 0.75), (2, 0.5)]
    assert host_of("job/algo-12-1700000000") == "algo-12" and host_of("job/algo-1") == "algo-1"


@pytest.mark.parametrize("text", ["10m", "2h"])
def test_since_is_a_duration(moto, capsys, text):
    make_job(moto, f"since-{text}")
    write(moto, f"since-{text}/algo-1-1700000000", [(int(time.time() * 1000) - 3 * 3600 * 1000, "old")])
    assert main(["logs", f"since-{text}", "--endpoint-url", moto.url, "--since", text]) == 0
    assert capsys.readouterr().out == ""


def test_follow_exit_status_is_the_jobs(moto, capsys, monkeypatch):
    """moto completes every job at once; a Failed one is the poller's word here."""
    import smjob.logs

    make_job(moto, "failing")
    write(moto, "failing/algo-1-1700000000", [(int(time.time() * 1000), "Traceback: boom")])
    failed = Status("Failed")
    failed.failure_reason = "AlgorithmError: boom \x1b[31m"
    monkeypatch.setattr(smjob.logs.JobPoller, "poll", lambda self, *a, **k: failed)
    assert main(["logs", "failing", "--endpoint-url", moto.url, "--follow"]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["Traceback: boom"]
    assert "failing: Failed: AlgorithmError: boom \\x1b[31m" in captured.err
