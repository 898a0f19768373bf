"""The AWS screens (history, job, jobs list) driven by keyboard in a tiny host app at 80x24,
against a real moto server on loopback, and botocore's Stubber where moto falls short (moto
completes every job at once and has no StopTrainingJob)."""

from __future__ import annotations

import asyncio
import copy
from datetime import UTC, datetime, timedelta

from botocore.stub import Stubber

from smjob import aws
from smjob.aws import Target
from smjob.examples import load_example
from smjob.history import History
from smjob.naming import strip_stamp
from smjob.tui.screens.history import DiffScreen, EntryViewScreen, HistoryAction, HistoryScreen, parse_filter
from smjob.tui.screens.job import JobScreen
from smjob.validate import validate
from smjob.widgets.code_view import CodeView
from smjob.widgets.diff_view import DiffView
from smjob.widgets.virtual_table import VirtualTable
from tests.support.keyboard import type_text
from tests.support.moto_server import raw_client
from tests.support.screens import Host, plain_lines, screen_text, text_of
from tests.support.waiting import wait_until as until

SIZE = (80, 24)
ARN_PREFIX = "arn:aws:sagemaker:us-east-1:123456789012:training-job/"
KEY_FIELDS = (
    "RoleArn",
    "HyperParameters",
    "InputDataConfig",
    "OutputDataConfig",
    "ResourceConfig",
    "StoppingCondition",
    "Tags",
)


def valid_job_name(name: str) -> bool:
    """By the model's rules, as validation before a submit checks them."""
    return not [p for p in validate({"TrainingJobName": name}) if p.path == ("TrainingJobName",)]


def _history(tmp_path) -> tuple[History, dict]:
    history = History(tmp_path / "history.sqlite3")
    ids = {}
    target = Target(None, "us-east-1", None)
    ids["gpu"] = history.record(
        "submit", load_example("pytorch-gpu"), arn=ARN_PREFIX + "a", status="Completed", target=target
    )
    ids["xgb"] = history.record(
        "submit", load_example("xgboost-distributed"), arn=ARN_PREFIX + "b", status="Failed", target=target
    )
    ids["byoc"] = history.record("export", load_example("byoc-vpc"), path=str(tmp_path / "job.json"))
    ids["spot"] = history.record(
        "submit-failed",
        load_example("spot-checkpoints"),
        target=target,
        error="AWS rejected the request: Value 'x' at 'roleArn' failed to satisfy constraint",
    )
    return history, ids


def _move_to(app, entry_id: int) -> None:
    screen = app.screen
    screen.query_one(VirtualTable).move_cursor(screen.order.index(entry_id))


# --- history -----------------------------------------------------------------------------------


def test_parse_filter():
    f = parse_filter("resnet  status:fail type:ml.g5 action:export")
    assert (f.text, f.status, f.type_contains, f.action) == ("resnet", "Failed", "ml.g5", "export")
    assert parse_filter("status: type:").text is None and parse_filter("status:").status is None
    assert parse_filter("status:Stop").status == "Stop"  # ambiguous (Stopping, Stopped): taken as typed


async def test_history_filter_view_diff_and_clone(tmp_path):
    history, ids = _history(tmp_path)
    draft = load_example("pytorch-gpu")
    draft["ResourceConfig"]["InstanceType"] = "ml.g5.12xlarge"
    app = Host(lambda: HistoryScreen(history, draft))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        table = screen.query_one(VirtualTable)
        await until(pilot, lambda: table.row_count == 4, what="4 rows")
        assert screen.order == sorted(ids.values(), reverse=True)  # newest first
        assert "4 of 4 entries" in text_of(screen.query_one("#history-info"))

        # The filter narrows the table as you type (debounced), tokens included.
        await pilot.press("slash")
        await type_text(pilot, "status:failed")
        await until(pilot, lambda: table.row_count == 1, what="the Failed entry only")
        assert screen.order == [ids["xgb"]]
        assert "1 of 4 entries match" in text_of(screen.query_one("#history-info"))
        await pilot.press("ctrl+u")  # Input: delete everything left of the cursor
        await type_text(pilot, "type:ml.g5")
        await until(pilot, lambda: screen.filter.type_contains == "ml.g5" and table.row_count == 2)
        assert set(screen.order) == {ids["gpu"], ids["spot"]}  # pytorch-gpu and spot-checkpoints run on g5
        await pilot.press("ctrl+u")
        await until(pilot, lambda: table.row_count == 4)
        await pilot.press("enter")  # back to the table
        assert app.focused is table

        # View: the request as JSON, with the error of a failed submission.
        _move_to(app, ids["spot"])
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, EntryViewScreen))
        view = app.screen
        assert (
            '"TrainingJobName": "' + load_example("spot-checkpoints")["TrainingJobName"]
            in view.query_one("#entry-code", CodeView).code
        )
        assert "failed to satisfy constraint" in text_of(view.query_one(".modal-error"))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)

        # Diff against the draft (nothing marked): the changed field's path.
        _move_to(app, ids["gpu"])
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        diff_screen = app.screen
        assert [c.where for c in diff_screen.changes] == ["ResourceConfig.InstanceType"]
        shown = text_of(diff_screen.query_one(DiffView))
        assert 'ResourceConfig.InstanceType: "ml.g5.2xlarge" → "ml.g5.12xlarge"' in shown
        assert "the current draft" in text_of(diff_screen.query_one(".modal-title"))
        await pilot.press("escape")

        # Mark one entry, diff another against it.
        await until(pilot, lambda: app.screen is screen)
        await pilot.press("m")
        assert screen.marked == ids["gpu"]
        _move_to(app, ids["spot"])
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen))
        wheres = {c.where for c in app.screen.changes}
        assert "TrainingJobName" in wheres and "CheckpointConfig" in wheres
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)

        # Clone: dismissed with the request under a fresh, valid name.
        _move_to(app, ids["gpu"])
        await pilot.press("c")
        await until(pilot, lambda: app.results)
    action = app.results[-1]
    original = load_example("pytorch-gpu")
    assert isinstance(action, HistoryAction) and action.kind == "clone" and action.entry_id == ids["gpu"]
    new_name = action.request["TrainingJobName"]
    assert new_name != original["TrainingJobName"] and valid_job_name(new_name)
    assert strip_stamp(new_name) == strip_stamp(original["TrainingJobName"])
    assert {k: v for k, v in action.request.items() if k != "TrainingJobName"} == {
        k: v for k, v in original.items() if k != "TrainingJobName"
    }
    assert history.get(ids["gpu"]).request == original  # the entry itself is untouched
    history.close()


async def test_history_resubmit_escape_and_literal_names(tmp_path):
    history = History(tmp_path / "history.sqlite3")
    request = load_example("pytorch-gpu")
    request["TrainingJobName"] = "[red]x[/red]"
    entry_id = history.record(
        "submit-failed", request, target=Target("dev", "eu-west-1", None), error="rejected [bold]loudly[/bold]"
    )
    app = Host(lambda: HistoryScreen(history, {}))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.screen.query_one(VirtualTable).row_count == 1)
        assert "[red]x[/red]" in screen_text(app)
        await pilot.press("enter")  # Enter views too
        await until(pilot, lambda: "[bold]loudly[/bold]" in screen_text(app), what="the entry view painted")
        assert "[red]x[/red]" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("r")
        await until(pilot, lambda: app.results)
    action = app.results[-1]
    assert action.kind == "resubmit" and action.entry_id == entry_id and action.old_name == "[red]x[/red]"
    assert valid_job_name(action.request["TrainingJobName"])  # invalid characters became "-"
    assert action.target == Target("dev", "eu-west-1", None)

    app = Host(lambda: HistoryScreen(history, {}))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.screen.query_one(VirtualTable).row_count == 1)
        await pilot.press("escape")
        await until(pilot, lambda: app.results)
    assert app.results == [None]
    history.close()


async def test_history_table_fits_80_columns_marks_and_keeps_the_cursor(tmp_path):
    history = History(tmp_path / "history.sqlite3")
    wide = dict(load_example("heterogeneous"), TrainingJobName="日本語のジョブ名-" + "x" * 30 + "-0042")
    for i in range(30):  # older entries: enough for a vertical scrollbar
        history.record("export", load_example("byoc-vpc"), path=f"/tmp/job-{i}.json")
    ids = [
        history.record("submit", wide, status="InProgress", target=Target(None, "us-east-1", None)),
        history.record("export", load_example("pytorch-gpu"), path=str(tmp_path / "job.json")),
    ]
    app = Host(lambda: HistoryScreen(history, {}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        table = screen.query_one(VirtualTable)
        await until(pilot, lambda: table.row_count == 32)
        await until(pilot, lambda: any("InProgress" in line for line in plain_lines(app)), what="the rows painted")
        row = next(line for line in plain_lines(app) if "InProgress" in line)
        assert "c5.9xlarge +1 \u00d73" in row and row.rstrip().endswith("us-east-1")  # every column shows at 80
        assert "日本語の…" in row and "-0042" in row  # cut in the middle, by cells
        await pilot.press("down", "m")  # mark the submission (the export is newer: first)
        assert screen.marked == ids[0] and table.cursor_key == ids[0]
        assert f"marked: #{ids[0]}" in text_of(screen.query_one("#history-info"))
        assert next(line for line in plain_lines(app) if "InProgress" in line).startswith(" *  ")
        await pilot.press("slash")
        await type_text(pilot, "status:inprog")
        await until(pilot, lambda: table.row_count == 1)
        await pilot.press("ctrl+u")
        await until(pilot, lambda: table.row_count == 32)
        assert table.cursor_key == ids[0]  # refills keep the cursor on its entry
        await pilot.press("enter", "m")
        assert screen.marked is None
        assert next(line for line in plain_lines(app) if "InProgress" in line).startswith("    ")
    history.close()


async def test_history_view_of_an_entry_without_a_request(tmp_path):
    history = History(tmp_path / "history.sqlite3")
    history.record("submit-failed", None, error="no request [b]at all[/b]")
    app = Host(lambda: HistoryScreen(history, {}))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.screen.query_one(VirtualTable).row_count == 1)
        await pilot.press("v")
        await until(pilot, lambda: "(no request was recorded)" in "\n".join(plain_lines(app)), what="the entry view")
        assert "no request [b]at all[/b]" in "\n".join(plain_lines(app))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("c")
        await pilot.pause()
        assert not app.results  # nothing to clone: the screen stays
    history.close()


async def test_history_shows_at_most_500_rows(tmp_path):
    history = History(tmp_path / "history.sqlite3")
    request = load_example("xgboost-distributed")
    with history._lock:  # one transaction: 600 inserts in milliseconds
        history._db.execute("BEGIN")
        for i in range(600):
            history.record("submit", {**request, "TrainingJobName": f"job-{i}"}, status="Completed")
        history._db.execute("COMMIT")
    app = Host(lambda: HistoryScreen(history, {}))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.query_one(VirtualTable).row_count == 500)
        assert "500 of 600 entries" in text_of(screen.query_one("#history-info"))
        await pilot.press("slash")
        await type_text(pilot, "job-42")  # job-42 and job-420..429
        await until(pilot, lambda: screen.query_one(VirtualTable).row_count == 11)
    history.close()


# --- clone from AWS ------------------------------------------------------------------------------


def _create_jobs(moto, names):
    sm = raw_client(moto)
    base = load_example("pytorch-gpu")
    made = {}
    for i, name in enumerate(names):
        request = copy.deepcopy(base)
        request["TrainingJobName"] = name
        request["HyperParameters"]["epochs"] = str(10 + i)
        sm.create_training_job(**request)
        made[name] = request
    return made


async def test_clone_a_job_from_aws_opens_the_jobs_list_whose_c_clones(moto):
    """The palette's "Clone a job from AWS…" is the jobs list (F7): filter, then c clones into the editor."""
    from smjob.tui.app import SmjobApp
    from smjob.tui.screens.jobs import JobsScreen, JobsTable

    made = _create_jobs(moto, ["alpha-run-1", "beta-run-2", "gamma-run-3"])
    app = SmjobApp(load_example("xgboost-distributed"), autosave=False, target=moto.target())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await until(pilot, lambda: app.screen.query("CommandInput"), what="the palette")
        await type_text(pilot, "Clone a job from AWS", burst=True)
        await until(pilot, lambda: app.screen.query_one("CommandList").option_count, what="the palette's hits")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, JobsScreen), what="the jobs list")
        screen = app.screen
        table = screen.query_one(JobsTable)
        await until(pilot, lambda: table.row_count == 3, what="3 jobs")
        assert set(screen.jobs) == set(made)
        await type_text(pilot, "/beta", burst=True)
        await pilot.press("enter")  # the filter at once, and back to the table
        await until(pilot, lambda: list(screen.jobs) == ["beta-run-2"] and table.row_count == 1)
        await pilot.press("c")
        await until(pilot, lambda: app.screen is app.editor and app.request["TrainingJobName"].startswith("beta-"))
        request = app.request
        await until(pilot, lambda: any("named the clone" in n.message for n in app._notifications))
    original = made["beta-run-2"]
    name = request["TrainingJobName"]
    assert name.startswith("beta-run-2-") and valid_job_name(name)
    for key in KEY_FIELDS:
        assert request.get(key) == original.get(key), key
    for key in ("TrainingImage", "TrainingInputMode"):  # moto rewrites MetricDefinitions
        assert request["AlgorithmSpecification"][key] == original["AlgorithmSpecification"][key]


async def test_jobs_list_shows_clone_and_list_errors_inline():
    from smjob.tui.screens.jobs import JobsScreen, JobsTable

    sm = aws.client(Target(region="us-east-1", endpoint_url="http://127.0.0.1:9"), retries=0)
    stub = Stubber(sm)
    stub.add_response(
        "list_training_jobs",
        {
            "TrainingJobSummaries": [
                {
                    "TrainingJobName": "gone-job",
                    "TrainingJobArn": ARN_PREFIX + "gone-job",
                    "TrainingJobStatus": "Failed",
                    "CreationTime": datetime(2024, 6, 1, tzinfo=UTC),
                }
            ]
        },
    )
    stub.add_client_error("describe_training_job", "ValidationException", "Requested resource not found.")
    stub.add_client_error("list_training_jobs", "AccessDeniedException", "User is not authorized", http_status_code=400)
    app = Host(lambda: JobsScreen(Target(region="us-east-1"), client=sm))
    with stub:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            await until(pilot, lambda: screen.query_one(JobsTable).row_count == 1)
            await pilot.press("c")
            info = screen.query_one("#jobs-info")
            await until(pilot, lambda: "clone failed" in text_of(info))
            assert "not found" in text_of(info)
            await pilot.press("r")
            await until(pilot, lambda: "denied" in text_of(info), what="the listing's error")
            await pilot.pause()
            assert "denied" in text_of(info)  # and no retry after it (the stub has no more answers)
            assert app.screen is screen and not app.results  # still open
            await pilot.press("escape")
            await until(pilot, lambda: app.results)
    assert app.results == [None]


# --- job -----------------------------------------------------------------------------------------


async def test_job_screen_shows_a_completed_moto_job_and_updates_history(moto, tmp_path):
    request = load_example("pytorch-gpu")
    aws.submit(request, moto.target())
    history = History(tmp_path / "history.sqlite3")
    entry_id = history.record("submit", request, status="InProgress")
    name = request["TrainingJobName"]
    app = Host(lambda: JobScreen(name, moto.target(), poll_seconds=0.05, history=history, entry_id=entry_id))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await until(pilot, lambda: screen.status is not None and screen.status.terminal and not screen.polling)
        info = text_of(screen.query_one("#job-info"))
        assert "Completed" in info and ARN_PREFIX + name in info
        assert f"/{name}/output/model.tar.gz" in info
        assert "polling ended" in text_of(screen.query_one("#job-poll"))
        assert "Completed" in screen_text(app)
    assert history.get(entry_id).status == "Completed"
    history.close()


T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def _describe(status, secondary, transitions, **extra):
    return {
        "TrainingJobName": "job-1",
        "TrainingJobArn": ARN_PREFIX + "job-1",
        "TrainingJobStatus": status,
        "SecondaryStatus": secondary,
        "CreationTime": T0,
        "ModelArtifacts": {"S3ModelArtifacts": ""},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "SecondaryStatusTransitions": [
            {"Status": s, "StartTime": T0 + timedelta(minutes=i), "StatusMessage": m}
            for i, (s, m) in enumerate(transitions)
        ],
        **extra,
    }


def _stubbed():
    sm = aws.client(Target(region="us-east-1", endpoint_url="http://127.0.0.1:9"), retries=0)
    return sm, Stubber(sm)


async def test_job_screen_progress_transient_error_and_stop(tmp_path):
    sm, stub = _stubbed()
    starting = [("Starting", "Launching requested ML instances")]
    training = starting + [("Training", "Training image download completed")]
    stopped = training + [("Stopping", "Stopping the training job"), ("Stopped", "Training job stopped")]
    started = {"TrainingStartTime": T0 + timedelta(minutes=1)}
    stub.add_client_error("describe_training_job", "ThrottlingException", "Rate exceeded", http_status_code=400)
    stub.add_response("describe_training_job", _describe("InProgress", "Starting", starting))
    stub.add_response("describe_training_job", _describe("InProgress", "Training", training, **started))
    stub.add_response("stop_training_job", {}, {"TrainingJobName": "job-1"})
    stub.add_response("describe_training_job", _describe("Stopping", "Stopping", training[:], **started))
    stub.add_response(
        "describe_training_job",
        _describe("Stopped", "Stopped", stopped, TrainingEndTime=T0 + timedelta(minutes=31), **started),
    )
    history = History(tmp_path / "history.sqlite3")
    entry_id = history.record("submit", load_example("pytorch-gpu"), status="InProgress")
    # A long poll interval: each further poll is asked for with `p` (or comes right after the stop).
    app = Host(
        lambda: JobScreen(
            "job-1", Target(region="us-east-1"), poll_seconds=60, client=sm, history=history, entry_id=entry_id
        )
    )
    with stub:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            poll_line = screen.query_one("#job-poll")
            await until(pilot, lambda: screen.poll_error is not None)
            assert screen.polling and "transient error, still polling" in text_of(poll_line)
            assert "throttling" in text_of(poll_line)

            await pilot.press("p")
            await until(pilot, lambda: screen.status is not None and screen.status.secondary_status == "Starting")
            assert screen.poll_error is None
            assert "Launching requested ML instances" in text_of(screen.query_one("#job-transitions"))

            await pilot.press("p")
            await until(pilot, lambda: screen.status.secondary_status == "Training")
            info = text_of(screen.query_one("#job-info"))
            assert "InProgress  /  Training" in info and "of 1h00m00s" in info and "/ 3600 s)" in info
            timeline = text_of(screen.query_one("#job-transitions"))
            assert "Starting" in timeline and "Training image download completed" in timeline
            assert history.get(entry_id).status == "InProgress"

            await pilot.press("x")  # s saves the log
            await until(pilot, lambda: app.screen is not screen, what="the stop confirmation")
            await pilot.press("y")  # ConfirmScreen: yes
            await until(pilot, lambda: screen.status.status == "Stopping", what="Stopping after the stop")
            assert "Stop requested" in text_of(screen.query_one("#job-stop"))
            assert history.get(entry_id).status == "Stopping"

            await pilot.press("p")
            await until(pilot, lambda: screen.status.status == "Stopped" and not screen.polling)
            assert "polling ended" in text_of(poll_line)
            assert "Training job stopped" in text_of(screen.query_one("#job-transitions"))
            assert "30m00s of 1h00m00s" in text_of(screen.query_one("#job-info"))
            await pilot.press("x")  # a stopped job cannot be stopped: no dialog, no call
            await pilot.pause()
            assert app.screen is screen
    stub.assert_no_pending_responses()
    assert history.get(entry_id).status == "Stopped"
    history.close()


async def test_job_screen_errors_pause_polling_and_show_names_literally():
    sm, stub = _stubbed()
    stub.add_client_error("describe_training_job", "ValidationException", "Requested resource not found.")
    stub.add_response(
        "describe_training_job",
        {
            **_describe("Failed", "Failed", [("Failed", "[red]boom[/red]")]),
            "TrainingJobName": "[red]x[/red]",
            "FailureReason": "AlgorithmError: [red]boom[/red]",
        },
    )
    app = Host(lambda: JobScreen("[red]x[/red]", Target(region="us-east-1"), poll_seconds=0.05, client=sm))
    with stub:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            await until(pilot, lambda: screen.poll_error is not None and not screen.polling)
            poll = text_of(screen.query_one("#job-poll"))
            assert "polling paused" in poll and "not found" in poll
            assert "[red]x[/red]" in screen_text(app)
            await pilot.press("p")
            await until(pilot, lambda: screen.status is not None and screen.status.status == "Failed")
            assert "AlgorithmError: [red]boom[/red]" in text_of(screen.query_one("#job-info"))
            assert "[red]boom[/red]" in screen_text(app)
    stub.assert_no_pending_responses()


class CountingClient:
    """Enough of a SageMaker client for polling: a job that runs forever."""

    def __init__(self) -> None:
        self.calls = 0

    def describe_training_job(self, TrainingJobName):
        self.calls += 1
        return _describe("InProgress", "Training", [("Training", "")])


async def test_job_screen_stops_polling_when_dismissed():
    client = CountingClient()
    app = Host(lambda: JobScreen("job-1", Target(region="us-east-1"), poll_seconds=0.02, client=client))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: client.calls >= 3)
        await pilot.press("q")
        await until(pilot, lambda: app.results)
        calls = client.calls
        # Not a wait for something to happen: a window of 15 poll periods in which nothing may.
        await asyncio.sleep(15 * 0.02)
        assert client.calls <= calls + 1  # at most the poll that was in flight at dismissal
