"""Failure modes over real HTTP: a fault-injecting proxy (tests/support/fault_proxy.py) in front of moto.

Engine: smjob.aws.submit with smjob.aws.client(target, retries=..., timeouts) pointed at the proxy
for throttling, 5xx, refused connections, hangs, AccessDenied and ValidationException.
App (pilot): the same through F5 -> Submit, with client()'s defaults lowered (not the app's code):
a hang keeps the app responsive; failures are recorded as submit-failed, never as submit; the
request and the draft are untouched; a ValidationException highlights the field it names.
botocore's retry backoff is cut to 10 ms (fast_backoff) so the retried cases take well under 1 s.
"""

from __future__ import annotations

import json
import time

import pytest

from smjob import aws
from smjob.aws import AwsError, Target
from smjob.examples import load_example
from smjob.history import History
from tests.support.fault_proxy import FaultProxy, client_defaults, closed_port_url
from tests.support.moto_server import raw_client
from tests.support.waiting import wait_until

SAGEMAKER_OPS = {"DescribeTrainingJob", "CreateTrainingJob"}


@pytest.fixture
def proxy(moto):
    with FaultProxy(moto.url) as p:
        yield p


def request(name: str = "fault-job") -> dict:
    return dict(load_example("pytorch-gpu"), TrainingJobName=name)


def target_of(proxy_or_url, region="us-east-1") -> Target:
    url = proxy_or_url if isinstance(proxy_or_url, str) else proxy_or_url.url
    return Target(None, region, url)


def submit_via(url_or_proxy, req, *, retries=2, connect_timeout=2.0, read_timeout=5.0):
    target = target_of(url_or_proxy)
    sm = aws.client(target, retries=retries, connect_timeout=connect_timeout, read_timeout=read_timeout)
    return aws.submit(req, target, client=sm)


def job_names(moto) -> list[str]:
    return [j["TrainingJobName"] for j in raw_client(moto).list_training_jobs()["TrainingJobSummaries"]]


# --- engine ------------------------------------------------------------------------------------


def test_throttled_twice_then_passes(proxy, moto, fast_backoff):
    proxy.push("throttle", "throttle")
    result = submit_via(proxy, request(), retries=2)
    assert result.job_name == "fault-job" and result.arn.startswith("arn:aws:sagemaker:")
    # The first operation (DescribeTrainingJob, checking the name is free) took the two throttles.
    assert proxy.seen[:3] == [("DescribeTrainingJob", "throttle")] * 2 + [("DescribeTrainingJob", "pass")]
    assert proxy.attempts("CreateTrainingJob") == 1
    assert job_names(moto) == ["fault-job"]


def test_throttled_beyond_the_retries_is_throttled(proxy, moto, fast_backoff):
    proxy.default = "throttle"
    with pytest.raises(AwsError) as info:
        submit_via(proxy, request(), retries=2)
    assert info.value.kind == "throttled" and "3 attempts" in info.value.message
    assert proxy.attempts() == 3
    assert job_names(moto) == []


def test_500_forever_is_server_error_after_the_retries(proxy, moto, fast_backoff):
    proxy.default = "500"
    with pytest.raises(AwsError) as info:
        submit_via(proxy, request(), retries=3)
    assert info.value.kind == "server-error" and info.value.http_status == 500
    assert proxy.attempts() == 4  # 1 + 3 retries, all DescribeTrainingJob: nothing was created
    assert proxy.attempts("DescribeTrainingJob") == 4
    assert job_names(moto) == []


def test_500_on_create_only(proxy, moto, fast_backoff):
    proxy.only = {"CreateTrainingJob"}
    proxy.default = "500"
    with pytest.raises(AwsError) as info:
        submit_via(proxy, request(), retries=1)
    assert info.value.kind == "server-error"
    assert proxy.attempts("CreateTrainingJob", "500") == 2


def test_refused_is_endpoint_unreachable_quickly(fast_backoff):
    started = time.monotonic()
    with pytest.raises(AwsError) as info:
        submit_via(closed_port_url(), request(), retries=2)
    elapsed = time.monotonic() - started
    assert info.value.kind == "endpoint-unreachable"
    assert "is the local endpoint running?" in info.value.message
    assert elapsed < 3.0, elapsed


def test_hang_is_a_timeout_within_the_read_timeout(proxy, moto):
    proxy.default = "hang"
    started = time.monotonic()
    with pytest.raises(AwsError) as info:
        submit_via(proxy, request(), retries=0, read_timeout=1.0)
    elapsed = time.monotonic() - started
    assert info.value.kind == "timeout"
    assert 1.0 <= elapsed < 1.0 + 1.5, elapsed
    assert proxy.hanging == 1 and proxy.attempts() == 1
    assert job_names(moto) == []


def test_access_denied(proxy, moto, fast_backoff):
    proxy.only = {"CreateTrainingJob"}
    proxy.default = "access-denied"
    with pytest.raises(AwsError) as info:
        submit_via(proxy, request())
    assert info.value.kind == "access-denied"
    assert "iam:PassRole" in info.value.message
    assert proxy.attempts("CreateTrainingJob") == 1  # not retried


def test_validation_names_the_field(proxy, moto, fast_backoff):
    proxy.only = {"CreateTrainingJob"}
    proxy.push("validation")
    with pytest.raises(AwsError) as info:
        submit_via(proxy, request())
    error = info.value
    assert error.kind == "validation" and error.code == "ValidationException"
    assert [p.path for p in error.problems] == [("ResourceConfig", "InstanceType")]
    assert "ml.nope" in error.problems[0].message
    assert proxy.attempts("CreateTrainingJob") == 1
    assert job_names(moto) == []


# --- the app -----------------------------------------------------------------------------------


@pytest.fixture
def app_env(tmp_path, monkeypatch, fast_backoff):
    monkeypatch.setenv("SMJOB_DATA_DIR", str(tmp_path / "data"))
    client_defaults(monkeypatch, retries=1, connect_timeout=1.0, read_timeout=1.5)
    return tmp_path


def make_app(proxy, tmp_path, req):
    from smjob.tui.app import SmjobApp

    history = History(tmp_path / "history.sqlite3")
    return SmjobApp(req, autosave=True, target=target_of(proxy), history=history), history


async def open_submit_and_send(pilot):
    from smjob.tui.screens.submit import SubmitScreen

    await pilot.press("f5")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SubmitScreen), what="the submit dialog")
    screen = pilot.app.screen
    # Not Enter: focus starts on Cancel when the dialog warns (its preflight finds moto's role missing).
    screen.query_one("#submit").press()
    await wait_until(pilot, lambda: screen.watch is not None, what="the submission to start")  # may end at once
    return screen


def error_text(screen) -> str:
    from textual.widgets import Static

    return str(screen.query_one(".dialog-error", Static).render())


def progress_line(screen) -> str:
    from textual.widgets import Static

    return str(screen.query_one("#submit-progress", Static).render())


async def test_app_stays_responsive_while_the_endpoint_hangs(proxy, moto, app_env):
    from smjob.tui.screens.submit import SubmitScreen

    proxy.only = SAGEMAKER_OPS
    proxy.default = "hang"
    original = request("hang-job")
    app, history = make_app(proxy, app_env, json.loads(json.dumps(original)))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        screen = await open_submit_and_send(pilot)
        await wait_until(pilot, lambda: proxy.hanging >= 1, what="the request to hang")
        assert screen.in_flight
        # The dialog says what it waits for (tests/test_submit_progress.py: Escape stops waiting).
        await wait_until(pilot, lambda: "attempt 1 of 2" in progress_line(screen), what="the progress line")
        # The event loop is free: keys are handled at once while the worker thread waits.
        started = time.monotonic()
        await pilot.press("tab", "tab")
        assert time.monotonic() - started < 1.0
        assert isinstance(app.screen, SubmitScreen) and screen.in_flight
        assert app.editor.request == original
        await wait_until(pilot, lambda: "attempt 2 of 2" in progress_line(screen), timeout=8.0, what="the retry")
        # read_timeout 1.5 s, 1 retry: about 3 s later the dialog shows the timeout.
        await wait_until(pilot, lambda: not screen.in_flight, timeout=8.0, what="the timeout")
        assert error_text(screen).startswith("timeout:")
        assert progress_line(screen) == ""
        # The submission's own sends (the dialog's preflight sends a DescribeTrainingJob too).
        assert screen.watch.attempt == 2 and proxy.attempts("CreateTrainingJob") == 0
        assert app.editor.request == original
    entries = history.list()
    assert [e.action for e in entries] == ["submit-failed"]
    assert entries[0].error.startswith("timeout:") and entries[0].job_name == "hang-job"
    assert history.get(entries[0].id).request == original
    assert not list((app_env / "data" / "drafts").glob("*.json"))  # nothing was edited: no draft written
    assert job_names(moto) == []


@pytest.mark.parametrize(
    "fault, kind", [("500", "server-error"), ("access-denied", "access-denied"), ("throttle", "throttled")]
)
async def test_app_failures_are_submit_failed(proxy, moto, app_env, fault, kind):
    proxy.only = {"CreateTrainingJob"}
    proxy.default = fault
    original = request(f"{fault}-job")
    app, history = make_app(proxy, app_env, json.loads(json.dumps(original)))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        screen = await open_submit_and_send(pilot)
        await wait_until(pilot, lambda: not screen.in_flight and error_text(screen), what="the failure")
        assert error_text(screen).startswith(f"{kind}:")
        assert app.screen is screen  # the dialog stays open to show the error
        assert app.editor.request == original
    assert [(e.action, e.error.split(":")[0]) for e in history.list()] == [("submit-failed", kind)]
    assert job_names(moto) == []


async def test_app_validation_exception_highlights_the_field(proxy, moto, app_env):
    proxy.only = {"CreateTrainingJob"}
    proxy.push("validation")
    original = request("validation-job")
    app, history = make_app(proxy, app_env, json.loads(json.dumps(original)))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        screen = await open_submit_and_send(pilot)
        await wait_until(pilot, lambda: not screen.in_flight and error_text(screen), what="the failure")
        assert error_text(screen).startswith("validation:")
        server = [p for p in app.editor.problems if p.rule == "aws.validation"]
        assert [p.path for p in server] == [("ResourceConfig", "InstanceType")]
        assert app.editor.request == original
        # Once the dialog closes, a second submission passes (the proxy's queue is empty).
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.editor, what="the editor")
    [entry] = history.list()
    assert entry.action == "submit-failed" and "resourceConfig.instanceType" in entry.error
    assert history.get(entry.id).request == original
