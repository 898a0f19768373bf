"""A server that accepts and never answers: progress, cancel, a bounded total; and the dialog's warnings.

Through tests/support/fault_proxy.py ("hang") in front of moto, with smjob.aws.client's defaults
lowered (1 retry, 1.5 s read timeout) so a hang costs seconds, not minutes:
- the submit dialog shows "attempt N of M, waiting for the endpoint (S s)"; Escape stops waiting
  at once, says the job may still be created and how to check, and no further attempt is sent;
  the answer that comes anyway is told in a notification and recorded;
- headless `smjob submit` prints the same progress to stderr once it takes over 2 s;
- CallProgress's budget: no attempt starts after it, whatever the retries;
- the dialog starts on Cancel when there are warnings (a large instance count; a role in another
  account than the caller's), on Submit otherwise.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from textual.widgets import Button, Static

from smjob.aws import Target
from smjob.aws.progress import CallProgress
from smjob.examples import load_example
from smjob.history import History
from smjob.tui.app import SmjobApp
from smjob.tui.launch import main as smjob_main
from smjob.tui.screens.submit import SubmitScreen
from smjob.workflows.submitting import submit
from tests.support.fault_proxy import FaultProxy, client_defaults
from tests.support.moto_server import raw_client
from tests.support.waiting import wait_until


@pytest.fixture
def proxy(moto):
    with FaultProxy(moto.url) as p:
        p.only = {"DescribeTrainingJob", "CreateTrainingJob"}
        yield p


@pytest.fixture
def short_timeouts(monkeypatch, fast_backoff):
    client_defaults(monkeypatch, retries=1, connect_timeout=1.0, read_timeout=1.5)


def job(name: str) -> dict:
    return dict(load_example("pytorch-gpu"), TrainingJobName=name)


def progress_line(screen) -> str:
    return str(screen.query_one("#submit-progress", Static).render())


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def open_dialog(pilot) -> SubmitScreen:
    await pilot.press("f5")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SubmitScreen), what="the submit dialog")
    return pilot.app.screen


async def test_escape_stops_waiting_and_no_further_attempt_is_sent(proxy, moto, tmp_path, short_timeouts):
    proxy.default = "hang"
    history = History(tmp_path / "history.sqlite3")
    app = SmjobApp(job("hang-cancel"), autosave=False, target=Target(None, "us-east-1", proxy.url), history=history)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await open_dialog(pilot)
        screen.query_one("#submit", Button).press()
        await wait_until(pilot, lambda: proxy.hanging >= 1, what="the request to hang")
        await wait_until(
            pilot,
            lambda: "DescribeTrainingJob: attempt 1 of 2, waiting for the endpoint" in progress_line(screen),
            what="the progress line",
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, SubmitScreen), what="the dialog to go")
        assert not any("stopped waiting for" in n for n in notes(app))  # gone before the attempt ended
        assert any("may still be created" in n and "smjob status hang-cancel" in n for n in notes(app)), notes(app)
        # The abandoned attempt ends at its read timeout; nothing more is sent, and the user is told.
        await wait_until(
            pilot, lambda: any("stopped waiting for failed" in n for n in notes(app)), what="the late answer"
        )
        # (the dialog's preflight sends a DescribeTrainingJob of its own: count the submission's sends)
        assert screen.watch.attempt == 1 and screen.watch.max_attempts == 2
        assert proxy.attempts("CreateTrainingJob") == 0
    [entry] = history.list()
    assert entry.action == "submit-failed" and "cancelled" in entry.error, entry.error
    history.close()
    assert raw_client(moto).list_training_jobs()["TrainingJobSummaries"] == []


def test_headless_submit_prints_progress_while_the_endpoint_hangs(proxy, moto, tmp_path, short_timeouts, capsys):
    proxy.default = "hang"
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job("hang-cli")))
    started = time.monotonic()
    status = smjob_main(["submit", str(path), "--endpoint-url", proxy.url, "--region", "us-east-1"])
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert status == 2 and "did not answer in time" in err
    # Two attempts of 1.5 s: over 2 s, so progress was reported while it waited (usually in the second
    # attempt; on a loaded machine the first one starts late and is still waiting at 2 s).
    assert re.search(r"smjob: DescribeTrainingJob: attempt [12] of 2, waiting for the endpoint \(\d+ s\)", err), err
    assert elapsed < 10, elapsed


def test_headless_submit_says_nothing_when_quick(moto, tmp_path, capsys):
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job("quick-cli")))
    assert smjob_main(["submit", str(path), "--endpoint-url", moto.url, "--region", "us-east-1"]) == 0
    assert "waiting for the endpoint" not in capsys.readouterr().err


def test_no_attempt_starts_after_the_budget(proxy, moto, fast_backoff):
    from smjob import aws

    proxy.default = "hang"
    target = Target(None, "us-east-1", proxy.url)
    # The budget is well under the read timeout (no retry can start within it) yet leaves time for
    # botocore's first request to be prepared on a loaded machine (0.5 s was not, once: 0 attempts).
    sm = aws.client(target, retries=5, connect_timeout=3.0, read_timeout=3.0)
    watch = CallProgress(budget=2.0)
    outcome = submit(job("hang-budget"), target, client=sm, watch=watch)
    assert outcome.error.kind == "timeout" and "did not answer within" in outcome.error.message
    assert proxy.attempts("DescribeTrainingJob") == 1  # 5 retries allowed, none started after the budget
    assert watch.done


async def test_warnings_start_on_cancel_none_on_submit(moto):
    big = job("many-instances")
    big["ResourceConfig"]["InstanceCount"] = 200  # a warning (scale.instances-quota)
    app = SmjobApp(big, autosave=False, target=Target(None, "us-east-1", moto.url))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dialog(pilot)
        assert app.focused.id == "cancel"
        assert "[scale.instances-quota]" in str(screen.query_one("#warnings", Static).render())

    foreign = job("foreign-role")
    foreign["RoleArn"] = "arn:aws:iam::111122223333:role/SageMakerRole"  # moto's caller: 123456789012
    app = SmjobApp(foreign, autosave=False, target=Target(None, "us-east-1", moto.url))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dialog(pilot)
        warnings = screen.query_one("#warnings", Static)
        await wait_until(pilot, lambda: "account 111122223333" in str(warnings.render()), what="the account check")
        assert "signed in to account 123456789012" in str(warnings.render())
        assert app.focused.id == "cancel"


async def test_no_warning_no_override_leaves_the_warnings_line_empty(moto):
    app = SmjobApp(job("plain"), autosave=False, target=Target(None, "us-east-1", moto.url))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dialog(pilot)
        await wait_until(pilot, lambda: "checking" not in str(screen.query_one("#identity", Static).render()))
        assert screen.warnings == [] and str(screen.query_one("#warnings", Static).render()) == ""
