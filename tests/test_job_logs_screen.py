"""The job screen follows CloudWatch Logs written into the local endpoint (moto over HTTP):
hosts interleaved or one at a time (h), search (/ and n), new lines while following, metrics
from MetricDefinitions, saving (s), and a job with no streams yet shown as such."""

from __future__ import annotations

import time

from smjob.aws import Target
from smjob.tui.screens.job import JobScreen
from smjob.tui.screens.job_logs import JobLogs, sparkline
from smjob.widgets.log_view import LogView
from tests.support.keyboard import type_text
from tests.support.moto_server import raw_client, write_log_events
from tests.support.screens import Host, text_of
from tests.support.waiting import wait_until

ARN = "arn:aws:sagemaker:us-east-1:123456789012:training-job/"


class RunningJob:
    """Enough of a SageMaker client for the job screen: a job that runs until `status` changes."""

    def __init__(self, name: str) -> None:
        self.name, self.status = name, "InProgress"

    def describe_training_job(self, TrainingJobName):
        return {
            "TrainingJobName": self.name,
            "TrainingJobArn": ARN + self.name,
            "TrainingJobStatus": self.status,
            "SecondaryStatus": "Training" if self.status == "InProgress" else self.status,
            "AlgorithmSpecification": {
                "TrainingImage": "img",
                "TrainingInputMode": "File",
                "MetricDefinitions": [{"Name": "train:loss", "Regex": r"loss=([0-9.]+)"}],
            },
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
            "SecondaryStatusTransitions": [],
            "EnableManagedSpotTraining": True,
            "BillableTimeInSeconds": 60,
            "TrainingTimeInSeconds": 200,
            "FinalMetricDataList": [{"MetricName": "train:loss", "Value": 0.125}]
            if self.status != "InProgress"
            else [],
        }


def texts(view: LogView) -> list[str]:
    return [row.text for row in view.shown_rows()]


async def test_job_screen_follows_hosts_searches_and_saves(moto, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    logs = raw_client(moto, "logs")
    name = "logs-job"
    now = int(time.time() * 1000)
    write_log_events(
        logs, f"{name}/algo-1-1700000000", [(now, "epoch 1 loss=0.5"), (now + 20, "Traceback (most recent call last)")]
    )
    write_log_events(
        logs, f"{name}/algo-2-1700000000", [(now + 10, "epoch 1 loss=0.4 \x1b]52;c;eA==\x07"), (now + 30, "done 2")]
    )
    write_log_events(logs, "other-job/algo-1-1700000000", [(now + 5, "not this job")])
    job = RunningJob(name)
    target = Target(None, moto.region, moto.url)
    app = Host(lambda: JobScreen(name, target, poll_seconds=60, client=job, logs_client=logs))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        panel = screen.query_one(JobLogs)
        view = panel.view
        await wait_until(pilot, lambda: len(view.rows) == 4, what="the four lines")
        assert texts(view) == [
            "epoch 1 loss=0.5",
            "epoch 1 loss=0.4 \\x1b]52;c;eA==\\x07",  # escaped, never sent to the terminal
            "Traceback (most recent call last)",
            "done 2",
        ]
        assert [row.error for row in view.rows] == [False, False, True, False]
        assert view.hosts == ["algo-1", "algo-2"]

        await pilot.press("h")
        assert view.host == "algo-1" and texts(view) == ["epoch 1 loss=0.5", "Traceback (most recent call last)"]
        await pilot.press("h")
        assert view.host == "algo-2" and len(texts(view)) == 2
        await pilot.press("h")
        assert view.host is None and view.shown_count == 4

        await type_text(pilot, "/LOSS", burst=True)  # a fast typist: every key after `/` is in the box
        await pilot.press("enter")
        assert view.search_text == "LOSS" and view.shown_row(view.match).text.startswith("epoch 1 loss=0.")
        first = view.match
        await pilot.press("n")
        assert view.match != first and "loss" in view.shown_row(view.match).text
        assert not view.following  # a search stops following; End comes back
        await pilot.press("end")
        assert view.following

        # Metrics from the MetricDefinitions, live.
        await wait_until(pilot, lambda: panel.metrics is not None and "train:loss" in panel.metrics.latest)
        assert panel.metrics.latest["train:loss"].value in (0.4, 0.5)

        # New lines while following: shown within 2 s of being written.
        write_log_events(logs, f"{name}/algo-1-1700000000", [(now + 40, "epoch 2 loss=0.25")])
        waited = await wait_until(pilot, lambda: len(view.rows) == 5, what="the new line")
        assert waited < 2.5, waited
        assert view.scroll_y == view.max_scroll_y  # following: the new line is in view
        assert panel.metrics.latest["train:loss"].value == 0.25
        metrics = text_of(screen.query_one("#job-metrics"))
        assert "0.25" in metrics and "2 values on algo-1" in metrics  # per host: hosts never zigzag

        await pilot.press("h", "h")  # algo-2: its own values
        assert "0.4 " in text_of(screen.query_one("#job-metrics"))
        await pilot.press("h", "h")  # algo-1 only, saved as such
        await pilot.press("s")
        saved = tmp_path / f"{name}-algo-1.log"
        await wait_until(pilot, saved.exists)
        lines = saved.read_text().splitlines()
        assert len(lines) == 3 and lines[0].endswith(" algo-1 epoch 1 loss=0.5")

        # The job ends: final metrics, billable seconds, spot savings, console link.
        job.status = "Completed"
        await pilot.press("p")
        await wait_until(pilot, lambda: panel.final_metrics == {"train:loss": 0.125})
        info = text_of(screen.query_one("#job-info"))
        assert "60 s" in info and "saved 70%" in info and "console.aws.amazon.com" in info


async def test_job_screen_says_when_no_stream_exists_yet(moto):
    logs = raw_client(moto, "logs")
    job = RunningJob("not-started")
    target = Target(None, moto.region, moto.url)
    app = Host(lambda: JobScreen("not-started", target, poll_seconds=60, client=job, logs_client=logs))
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.screen.query_one(JobLogs)
        await wait_until(pilot, lambda: panel.rounds >= 1)
        bar = text_of(panel.query_one("#job-logs-bar"))
        assert "no log streams yet" in bar and "has not started" in bar


def test_sparkline_scales_between_the_lowest_and_highest():
    assert sparkline([1, 2, 3]) == "▁▄█"
    assert sparkline([5, 5]) == "▁▁"
    assert sparkline([]) == ""


async def test_job_screen_says_when_cloudwatch_logs_throttles(moto):
    from botocore.stub import Stubber

    logs = raw_client(moto, "logs")
    stub = Stubber(logs)
    stub.add_client_error("describe_log_streams", "ThrottlingException", "Rate exceeded", http_status_code=400)
    job = RunningJob("throttled")
    target = Target(None, moto.region, moto.url)
    app = Host(lambda: JobScreen("throttled", target, poll_seconds=60, client=job, logs_client=logs))
    with stub:
        async with app.run_test(size=(80, 24)) as pilot:
            panel = app.screen.query_one(JobLogs)
            await wait_until(pilot, lambda: panel.rounds >= 1)
            bar = text_of(panel.query_one("#job-logs-bar"))
            assert "throttling" in bar and "next try in" in bar
            app.screen.query_one(JobLogs).leaving.set()  # no further call to the drained stub


async def test_a_job_that_ended_without_logs_says_so(moto):
    from smjob import aws
    from smjob.examples import load_example

    request = dict(load_example("pytorch-gpu"), TrainingJobName="ended-quiet")
    aws.submit(request, moto.target())
    app = Host(lambda: JobScreen("ended-quiet", moto.target(), poll_seconds=0.05))
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.screen.query_one(JobLogs)
        await wait_until(pilot, lambda: panel.ended.is_set() and panel.rounds >= 1)
        bar = text_of(panel.query_one("#job-logs-bar"))
        assert "no log lines: the job ended without writing any" in bar and "not started" not in bar


async def test_a_hundred_thousand_lines_draw_only_the_rows_in_view(monkeypatch):
    """Virtual: appending, switching hosts and searching 100k lines never draws more than the
    screen's rows (a count, not a timing: the box is shared)."""
    from textual.app import App

    from smjob.logs import LogLine

    drawn = []
    original = LogView.line_text
    monkeypatch.setattr(LogView, "line_text", lambda self, row: drawn.append(row) or original(self, row))

    class One(App):
        def compose(self):
            yield LogView()

    app = One()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        for start in range(0, 100_000, 10_000):
            view.append(
                [
                    LogLine(start + i, f"j/algo-{(start + i) % 3 + 1}-1700000000", f"line {start + i}")
                    for i in range(10_000)
                ]
            )
        await pilot.pause()
        view.show_host("algo-2")
        await pilot.pause()
        assert view.shown_count == 33_333 and view.shown_row(view.shown_count - 1).text == "line 99997"
        assert view.search("line 5")
        await pilot.pause()
        assert 0 < len(drawn) <= 4 * 24, len(drawn)
