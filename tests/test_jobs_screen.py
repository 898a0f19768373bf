"""The jobs screen against the local endpoint (moto over HTTP): ListTrainingJobs pages fetched
as the cursor nears the end, filters, smjob's jobs marked from the history, open and clone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smjob import aws
from smjob.aws import Target
from smjob.examples import load_example
from smjob.history import History
from smjob.tui.app import SmjobApp
from smjob.tui.screens.job import JobScreen
from smjob.tui.screens.jobs import FilterError, JobsScreen, JobsTable, parse_query
from tests.support.keyboard import type_text
from tests.support.screens import Host, plain_lines
from tests.support.waiting import wait_until


def _submit_jobs(moto, count: int) -> list[dict]:
    base = load_example("pytorch-gpu")
    requests = []
    for i in range(count):
        request = dict(base, TrainingJobName=f"listed-{i:03d}")
        aws.submit(request, moto.target())
        requests.append(request)
    return requests


async def test_jobs_screen_pages_lazily_marks_smjob_jobs_opens_and_clones(moto, tmp_path):
    requests = _submit_jobs(moto, 60)
    history = History(tmp_path / "history.sqlite3")
    ours = history.record(
        "submit", requests[59], arn="arn:aws:sagemaker:us-east-1:123456789012:training-job/listed-059"
    )
    app = SmjobApp(
        dict(load_example("pytorch-gpu"), TrainingJobName="editing"),
        autosave=False,
        target=Target(None, moto.region, moto.url),
        history=history,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, JobsScreen))
        screen = app.screen
        screen.page_size = 20  # before the first page: see refetch below
        screen.refetch(None)
        table = screen.query_one(JobsTable)
        # Enough pages to fill two screens ahead of the cursor, and no more.
        await wait_until(pilot, lambda: not screen.loading and table.row_count >= 40, what="the first pages")
        await pilot.pause()
        assert (table.row_count, screen.pager.done, screen.pager.calls) == (40, False, 2)
        calls = screen.pager.calls
        table.focus()
        await pilot.press("end")  # near the end: the next page comes
        await wait_until(pilot, lambda: screen.pager.done and not screen.loading, what="the last page")
        assert table.row_count == 60 and screen.pager.calls > calls
        assert len(set(table.keys)) == 60

        # smjob's job is marked and linked to its history entry.
        job = screen.jobs["listed-059"]
        assert screen.entry_id(job) == ours
        assert str(screen._cells("listed-059")[0]) == "●" and str(screen._cells("listed-000")[0]) == " "

        # Filter by name (server side) and by status, typed as one burst with the `/` that opens it:
        # every key after `/` lands in the filter; a `/` in the filter is typed.
        await type_text(pilot, "/listed-05 status:completed/", burst=True)
        assert screen.query_one("#jobs-filter").value == "listed-05 status:completed/"
        await pilot.press("backspace", "enter")
        await wait_until(pilot, lambda: set(screen.jobs) == {f"listed-05{i}" for i in range(10)}, what="the filter")

        # Its history entry (v): the request as it was sent.
        from smjob.tui.screens.history_views import EntryViewScreen

        table.move_cursor(table.keys.index("listed-059"))
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, EntryViewScreen))
        assert app.screen.entry.id == ours
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)

        # Open the marked job: the job screen with its history entry.
        table.move_cursor(table.keys.index("listed-059"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, JobScreen))
        assert app.screen.job_name == "listed-059" and app.screen.entry_id == ours

        # Clone from the job screen: back in the editor (through the app's guard) under a fresh name.
        await pilot.press("c")
        await wait_until(pilot, lambda: app.screen is app.editor, what="the editor with the clone")
        await wait_until(pilot, lambda: app.request["TrainingJobName"].startswith("listed-059-"))
        assert app.request["ResourceConfig"] == requests[59]["ResourceConfig"]

        # And from the list.
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, JobsScreen) and len(app.screen.jobs) >= 40)
        table = app.screen.query_one(JobsTable)
        table.move_cursor(table.keys.index("listed-001"))
        await pilot.press("c")
        await wait_until(
            pilot, lambda: app.screen is app.editor and app.request["TrainingJobName"].startswith("listed-001-")
        )
    history.close()


def test_filter_words():
    now = datetime(2024, 6, 10, tzinfo=UTC)
    query = parse_query("bert status:FAILED since:7d", now)
    assert query.status == "Failed" and query.name_contains == "bert"
    assert query.created_after == datetime(2024, 6, 3, tzinfo=UTC)
    query = parse_query("after:2024-06-01 before:2024-06-02T12:00")
    assert query.created_after.date().isoformat() == "2024-06-01" and query.created_before.hour == 12
    for bad in ("status:done", "since:soon", "after:yesterday"):
        try:
            parse_query(bad)
        except FilterError as exc:
            assert bad.split(":")[1] in str(exc)
        else:
            raise AssertionError(f"{bad} was accepted")


async def test_stop_from_the_jobs_screen_asks_then_sends_stop_training_job():
    from botocore.stub import Stubber

    from tests.support.screens import Host

    sm = aws.client(Target(region="us-east-1", endpoint_url="http://127.0.0.1:9"), retries=0)
    stub = Stubber(sm)
    now = datetime(2024, 6, 1, tzinfo=UTC)
    summary = {
        "TrainingJobName": "running-1",
        "TrainingJobArn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/running-1",
        "TrainingJobStatus": "InProgress",
        "CreationTime": now,
    }
    stub.add_response("list_training_jobs", {"TrainingJobSummaries": [summary]})
    stub.add_response("stop_training_job", {}, {"TrainingJobName": "running-1"})
    app = Host(lambda: JobsScreen(Target(region="us-east-1"), client=sm))
    with stub:
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            screen = app.screen
            await wait_until(pilot, lambda: "running-1" in screen.jobs)
            await pilot.press("x")
            await wait_until(pilot, lambda: app.screen is not screen, what="the confirmation")
            await pilot.press("y")
            await wait_until(
                pilot, lambda: any("Stop requested for running-1" in n.message for n in app._notifications)
            )
    stub.assert_no_pending_responses()


@pytest.mark.parametrize("width", [80, 200])
async def test_job_names_are_cut_in_the_middle_so_their_timestamps_show(moto, width):
    """Two names that differ only in their ending timestamp stay told apart at 80 columns:
    the name is cut in the middle (as in the history), never at the end."""
    names = [f"pytorch-resnet50-g5-{stamp}" for stamp in ("20240601-120000", "20240601-130000")]
    for name in names:
        aws.submit(dict(load_example("pytorch-gpu"), TrainingJobName=name), moto.target())
    app = Host(lambda: JobsScreen(Target(None, moto.region, moto.url)))
    async with app.run_test(size=(width, 24)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: set(screen.jobs) == set(names), what="the jobs listed")

        def rows() -> list[str]:  # the name cells as painted
            return [line.split()[0] for line in plain_lines(app) if line.lstrip().startswith("pytorch-")]

        await wait_until(pilot, lambda: len(rows()) == 2, what="both rows painted")
        shown = sorted(rows())
        if width == 200:
            assert shown == names
        else:
            assert len(set(shown)) == 2  # told apart
            for name, cell in zip(names, shown, strict=True):
                head, cut, tail = cell.partition("\u2026")
                assert cut and name.startswith(head) and name.endswith(tail) and len(tail) > len("-120000")
