"""smjob.workflows through both front ends: each workflow (submit, resubmit, clone, export) runs in
the headless CLI (`smjob.tui.launch.main`, the console script's entry point) and in the app (Textual
pilot) against the same local moto endpoint; the requests AWS received (DescribeTrainingJob), the
history entries (with their targets) and the files written (bytes and modes) must be the same.
Then the checks on options and files that both front ends get from the workflow layer."""

from __future__ import annotations

import copy
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static

from smjob.aws import Target
from smjob.examples import load_example
from smjob.history import History
from smjob.naming import strip_stamp
from smjob.tui.app import SmjobApp
from smjob.tui.launch import main as smjob_main
from smjob.tui.screens.dialogs import ConfirmScreen
from smjob.tui.screens.export import ExportScreen
from smjob.tui.screens.history import HistoryScreen
from smjob.tui.screens.job import JobScreen
from smjob.tui.screens.jobs import JobsScreen, JobsTable
from smjob.tui.screens.submit import SubmitScreen
from smjob.widgets.virtual_table import VirtualTable
from smjob.workflows import OptionError, check_endpoint_url, poll_seconds, without_userinfo
from smjob.workflows.exporting import plan_export
from tests.support.keyboard import wait_for
from tests.support.moto_server import raw_client

ROOT = Path(__file__).resolve().parent.parent
# What CreateTrainingJob was given, as DescribeTrainingJob reports it back.
SENT = ("RoleArn", "AlgorithmSpecification", "HyperParameters", "InputDataConfig", "OutputDataConfig")
SENT += ("ResourceConfig", "StoppingCondition")
ENTRY_FIELDS = ("action", "status", "profile", "region", "endpoint", "instance_type", "error")


def job(name: str) -> dict:
    return dict(load_example("pytorch-gpu"), TrainingJobName=name)


def cli(monkeypatch, data_dir: Path, *args) -> int:
    """`smjob ARGS` in this process with its own data directory (history)."""
    monkeypatch.setenv("SMJOB_DATA_DIR", str(data_dir))
    return smjob_main([str(a) for a in args])


def entries(path: Path) -> list:
    with History(path) as history:
        return [history.get(e.id) for e in history.list()]


def comparable(entry) -> dict:
    """An entry without what differs by design between two runs (id, time, name, ARN, path)."""
    request = dict(entry.request or {})
    request.pop("TrainingJobName", None)
    return {**{k: getattr(entry, k) for k in ENTRY_FIELDS}, "request": request}


def described(moto, name: str) -> dict:
    answer = raw_client(moto).describe_training_job(TrainingJobName=name)
    return {k: answer.get(k) for k in SENT}


def sent_names(moto) -> set[str]:
    return {j["TrainingJobName"] for j in raw_client(moto).list_training_jobs()["TrainingJobSummaries"]}


async def watched_to_the_end(pilot) -> None:
    """The app watches the job it submitted (and updates its history entry) until it completes."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, JobScreen), what="the job screen")
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.status is not None and screen.status.status == "Completed", what="Completed")


async def confirm_submit(pilot, *, endpoint: str | None = None) -> SubmitScreen:
    await pilot.press("f5")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SubmitScreen), what="the submit dialog")
    screen = pilot.app.screen
    if endpoint is not None:
        screen.query_one("#endpoint", Input).value = endpoint
    screen.query_one("#submit", Button).press()
    return screen


# --- each workflow through both front ends --------------------------------------------------------


async def test_submit_cli_and_app_send_and_record_the_same(moto, monkeypatch, tmp_path):
    # Userinfo in the endpoint URL reaches the endpoint but never the history.
    url = moto.url.replace("http://", "http://someone:s3cret@")
    (tmp_path / "job.json").write_text(json.dumps(job("wf-submit-cli")))
    submit = ["submit", tmp_path / "job.json", "--endpoint-url", url, "--wait", "--poll-seconds", "0.1"]
    assert cli(monkeypatch, tmp_path / "cli", *submit) == 0

    history = History(tmp_path / "app.sqlite3")
    app = SmjobApp(job("wf-submit-app"), autosave=False, target=Target(None, "us-east-1", url), history=history)
    async with app.run_test(size=(100, 30)) as pilot:
        await confirm_submit(pilot)
        await watched_to_the_end(pilot)
    history.close()

    assert sent_names(moto) == {"wf-submit-cli", "wf-submit-app"}
    assert described(moto, "wf-submit-cli") == described(moto, "wf-submit-app")
    [by_cli], [by_app] = entries(tmp_path / "cli" / "history.sqlite3"), entries(tmp_path / "app.sqlite3")
    assert comparable(by_cli) == comparable(by_app)
    assert (by_cli.action, by_cli.status, by_cli.region, by_cli.endpoint) == (
        "submit",
        "Completed",
        "us-east-1",
        moto.url,
    )
    assert by_app.arn.endswith("/wf-submit-app") and by_cli.arn.endswith("/wf-submit-cli")
    for path in (tmp_path / "cli" / "history.sqlite3", tmp_path / "app.sqlite3"):
        assert b"s3cret" not in path.read_bytes() and stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_resubmit_goes_to_the_entrys_saved_target_in_both(moto, monkeypatch, tmp_path):
    saved = Target(None, "us-east-1", moto.url)
    (tmp_path / "cli").mkdir()
    with History(tmp_path / "cli" / "history.sqlite3") as h:
        cli_entry = h.record("submit", job("wf-resub-cli"), arn="arn:x", status="Completed", target=saved)
    history = History(tmp_path / "app.sqlite3")
    history.record("submit", job("wf-resub-app"), arn="arn:y", status="Completed", target=saved)

    assert cli(monkeypatch, tmp_path / "cli", "history", "resubmit", cli_entry, "--wait", "--poll-seconds", "0.1") == 0
    # The app itself points somewhere else: the resubmission must still go where the entry went.
    elsewhere = Target(None, "eu-west-1", "http://127.0.0.1:9")
    app = SmjobApp(job("unrelated"), autosave=False, target=elsewhere, history=history)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="the history")
        table = app.screen.query_one(VirtualTable)
        await wait_for(pilot, lambda: table.row_count == 1, what="the entry")
        table.focus()
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, SubmitScreen), what="the submit dialog")
        assert app.screen.current_target() == saved  # shown before it is sent
        app.screen.query_one("#submit", Button).press()
        await watched_to_the_end(pilot)
    history.close()

    names = sent_names(moto)
    fresh_cli = next(n for n in names if n.startswith("wf-resub-cli-"))
    fresh_app = next(n for n in names if n.startswith("wf-resub-app-"))
    assert strip_stamp(fresh_cli) == "wf-resub-cli" and strip_stamp(fresh_app) == "wf-resub-app"
    assert described(moto, fresh_cli) == described(moto, fresh_app)
    by_cli = entries(tmp_path / "cli" / "history.sqlite3")[0]
    by_app = entries(tmp_path / "app.sqlite3")[0]
    assert comparable(by_cli) == comparable(by_app)
    assert (by_app.job_name, by_app.region, by_app.endpoint) == (fresh_app, "us-east-1", moto.url)
    assert app.editor is not None and app.target == Target(None, "us-east-1", moto.url)


async def test_clone_cli_and_app_give_the_same_request(moto, monkeypatch, tmp_path):
    original = job("wf-clone-me")
    raw_client(moto).create_training_job(**original)
    assert (
        cli(
            monkeypatch, tmp_path / "cli", "clone", "wf-clone-me", "-o", tmp_path / "c.json", "--endpoint-url", moto.url
        )
        == 0
    )
    from_cli = json.loads((tmp_path / "c.json").read_text())

    app = SmjobApp(job("unrelated"), autosave=False, target=moto.target())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, JobsScreen), what="the jobs list")
        table = app.screen.query_one(JobsTable)
        await wait_for(pilot, lambda: table.row_count == 1, what="the job")
        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen is app.editor, what="the editor")
        from_app = copy.deepcopy(app.editor.request)

    for request in (from_cli, from_app):
        assert strip_stamp(request.pop("TrainingJobName")) == "wf-clone-me"
    assert from_cli == from_app
    assert {k: from_cli[k] for k in ("RoleArn", "ResourceConfig", "HyperParameters", "Tags")} == {
        k: original[k] for k in ("RoleArn", "ResourceConfig", "HyperParameters", "Tags")
    }
    assert stat.S_IMODE((tmp_path / "c.json").stat().st_mode) == 0o644


async def test_clone_from_history_cli_and_app(monkeypatch, tmp_path):
    (tmp_path / "cli").mkdir()
    with History(tmp_path / "cli" / "history.sqlite3") as h:
        entry_id = h.record("export", job("wf-hist"), path="/tmp/x.json")
    assert cli(monkeypatch, tmp_path / "cli", "history", "clone", entry_id, "-o", tmp_path / "h.json") == 0
    from_cli = json.loads((tmp_path / "h.json").read_text())
    app = SmjobApp(job("unrelated"), autosave=False, history=History(tmp_path / "cli" / "history.sqlite3"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="the history")
        table = app.screen.query_one(VirtualTable)
        await wait_for(pilot, lambda: table.row_count == 1, what="the entry")
        table.focus()
        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen is app.editor, what="the editor")
        from_app = copy.deepcopy(app.editor.request)
    for request in (from_cli, from_app):
        assert strip_stamp(request.pop("TrainingJobName")) == "wf-hist"
    assert from_cli == from_app == {k: v for k, v in job("x").items() if k != "TrainingJobName"}


def big_request() -> dict:
    """Too long for one shell argument: the CLI script runs --cli-input-json on a JSON beside it."""
    request = job("wf-export")
    request["HyperParameters"] = {f"p{i}": "x" * 2000 for i in range(60)}
    return request


async def export_in_app(pilot, fmt: str, path: Path) -> ExportScreen:
    await pilot.press("f10")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), what="the export dialog")
    screen = pilot.app.screen
    screen.query_one(f"#fmt-{fmt}").value = True
    await pilot.pause()
    field = screen.query_one("#path", Input)
    field.value = str(path)
    field.focus()
    await pilot.press("enter")
    return screen


def files_of(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode)) for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("fmt, name", [("cli", "job.sh"), ("json", "job.json"), ("python", "job.py")])
async def test_export_cli_and_app_write_the_same_files(monkeypatch, tmp_path, fmt, name):
    request = big_request() if fmt == "cli" else job("wf-export")
    (tmp_path / "in.json").write_text(json.dumps(request))
    for d in ("by-cli", "by-app"):
        (tmp_path / d).mkdir()
    assert (
        cli(
            monkeypatch, tmp_path / "cli", "render", tmp_path / "in.json", "--to", fmt, "-o", tmp_path / "by-cli" / name
        )
        == 0
    )

    history = History(tmp_path / "app.sqlite3")
    app = SmjobApp(request, autosave=False, history=history)
    async with app.run_test(size=(100, 30)) as pilot:
        await export_in_app(pilot, fmt, tmp_path / "by-app" / name)
        await wait_for(pilot, lambda: app.screen is app.editor, what="the export")
    history.close()

    by_cli, by_app = files_of(tmp_path / "by-cli"), files_of(tmp_path / "by-app")
    assert by_cli == by_app
    if fmt == "cli":
        assert set(by_cli) == {"job.sh", "job.json"}
        assert by_cli["job.sh"][1] == 0o755 and by_cli["job.json"][1] == 0o644
        assert json.loads(by_cli["job.json"][0]) == request
    else:
        assert list(by_cli) == [name] and by_cli[name][1] == 0o644
    [e_cli], [e_app] = entries(tmp_path / "cli" / "history.sqlite3"), entries(tmp_path / "app.sqlite3")
    assert (e_cli.action, e_cli.request) == (e_app.action, e_app.request) == ("export", request)
    assert (e_cli.path, e_app.path) == (str(tmp_path / "by-cli" / name), str(tmp_path / "by-app" / name))


def test_the_script_finds_its_json_next_to_itself(tmp_path):
    request = big_request()
    (tmp_path / "in.json").write_text(json.dumps(request))
    script = tmp_path / "out dir" / "job.sh"
    assert smjob_main(["render", str(tmp_path / "in.json"), "--to", "cli", "-o", str(script)]) == 0
    # A stand-in `aws` that prints the file a file:// argument names, run from another directory.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "aws").write_text('#!/bin/sh\nfor a; do case "$a" in file://*) cat "${a#file://}";; esac; done\n')
    (bin_dir / "aws").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    for argv in ([str(script)], ["sh", str(script)]):
        out = subprocess.run(argv, cwd="/", env=env, capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout) == request


# --- issue 10: files ----------------------------------------------------------------------------


async def test_replacing_a_scripts_json_is_asked_or_forced(monkeypatch, tmp_path):
    request = big_request()
    (tmp_path / "in.json").write_text(json.dumps(request))
    script, beside = tmp_path / "job.sh", tmp_path / "job.json"
    beside.write_text("precious")
    beside.chmod(0o600)

    args = ["render", tmp_path / "in.json", "--to", "cli", "-o", script]
    assert cli(monkeypatch, tmp_path / "cli", *args) == 2  # refused, nothing written
    assert beside.read_text() == "precious" and not script.exists()
    assert cli(monkeypatch, tmp_path / "cli", *args, "--force") == 0
    assert json.loads(beside.read_text()) == request
    assert stat.S_IMODE(beside.stat().st_mode) == 0o600  # an existing file keeps its mode
    assert stat.S_IMODE(script.stat().st_mode) == 0o755  # a new script

    beside.write_text("precious")
    script.chmod(0o640)  # an existing script keeps its mode, plus execute where readable
    app = SmjobApp(request, autosave=False, history=History(tmp_path / "app.sqlite3"))
    async with app.run_test(size=(100, 30)) as pilot:
        await export_in_app(pilot, "cli", script)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        question = str(app.screen.query_one(Static).render())
        assert str(script) in question and str(beside) in question
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="the export dialog")
        assert beside.read_text() == "precious"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is app.editor, what="the export")
    assert json.loads(beside.read_text()) == request
    assert stat.S_IMODE(beside.stat().st_mode) == 0o600 and stat.S_IMODE(script.stat().st_mode) == 0o750


def test_cli_refusal_names_both_files(monkeypatch, tmp_path, capsys):
    (tmp_path / "in.json").write_text(json.dumps(big_request()))
    (tmp_path / "job.json").write_text("x")
    assert (
        cli(monkeypatch, tmp_path / "cli", "render", tmp_path / "in.json", "--to", "cli", "-o", tmp_path / "job.sh")
        == 2
    )
    err = capsys.readouterr().err
    assert str(tmp_path / "job.sh") in err and str(tmp_path / "job.json") in err and "--force" in err
    # A script that needs no JSON does not touch (or ask about) the file beside it.
    plan = plan_export(job("small"), "cli", tmp_path / "job.sh")
    assert [f.path for f in plan.files] == [tmp_path / "job.sh"] and plan.overwrite_question() is None


# --- issue 10: options checked before anything is sent -----------------------------------------


def test_option_checks():
    for bad in ("notaurl", "file:///etc/passwd", "http://[::1", "http://h:99999", "http://:80", "http://h x", ""):
        with pytest.raises(OptionError):
            check_endpoint_url(bad)
    assert (
        check_endpoint_url("https://sagemaker.eu-west-1.amazonaws.com") == "https://sagemaker.eu-west-1.amazonaws.com"
    )
    for bad in ("-1", "nan", "inf", "0", "-inf", "x"):
        with pytest.raises(OptionError):
            poll_seconds(bad)
    assert poll_seconds("0.5") == 0.5
    assert without_userinfo("http://u:p@h:5/x") == "http://h:5/x" and without_userinfo("http://h/") == "http://h/"
    assert without_userinfo("http://u:p@[::1") == "[::1"  # unparsable: still nothing before '@'


@pytest.mark.parametrize(
    "option",
    [
        ("--endpoint-url", "notaurl"),
        ("--endpoint-url", "file:///etc/passwd"),
        ("--endpoint-url", "http://[::1"),
        ("--poll-seconds", "-1"),
        ("--poll-seconds", "nan"),
        ("--poll-seconds", "inf"),
        ("--poll-seconds", "0"),
    ],
)
def test_bad_options_exit_2_before_anything_is_sent(moto, tmp_path, option):
    (tmp_path / "job.json").write_text(json.dumps(job("wf-never")))
    argv = [sys.executable, "-m", "smjob.tui.launch", "submit", str(tmp_path / "job.json"), "--wait", *option]
    if option[0] != "--endpoint-url":
        argv += ["--endpoint-url", moto.url]
    env = {**os.environ, "SMJOB_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"argument {option[0]}" in out.stderr and repr(option[1]) in out.stderr
    assert sent_names(moto) == set() and not (tmp_path / "data" / "history.sqlite3").exists()


async def test_app_refuses_a_malformed_endpoint(moto, tmp_path):
    history = History(tmp_path / "app.sqlite3")
    app = SmjobApp(job("wf-bad-endpoint"), autosave=False, target=moto.target(), history=history)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await confirm_submit(pilot, endpoint="file:///etc/passwd")
        await wait_for(pilot, lambda: "http:// or https://" in str(screen.query_one(".dialog-error").render()))
        assert app.screen is screen and not screen.in_flight
    assert sent_names(moto) == set() and history.list() == []


# --- issue 10: a name in use, at submit in the app -----------------------------------------------


async def test_app_offers_a_fresh_name_when_the_name_is_taken(moto, tmp_path):
    raw_client(moto).create_training_job(**job("wf-taken"))
    history = History(tmp_path / "app.sqlite3")
    app = SmjobApp(job("wf-taken"), autosave=False, target=moto.target(), history=history)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await confirm_submit(pilot)
        fresh = screen.query_one("#fresh", Button)
        await wait_for(pilot, lambda: fresh.display and not fresh.disabled, what="the fresh-name button")
        new_name = screen.fresh_request["TrainingJobName"]
        assert strip_stamp(new_name) == "wf-taken" and new_name != "wf-taken"
        error = str(screen.query_one(".dialog-error").render())
        assert "name-in-use" in error and new_name in error  # the new name is shown before it is sent
        assert not screen.query_one("#submit", Button).display  # no "Try again" with a taken name
        assert str(fresh.label) == "Submit with a fresh name"
        fresh.press()
        await wait_for(pilot, lambda: isinstance(app.screen, JobScreen), what="the job screen")
        assert app.editor.request["TrainingJobName"] == new_name  # the editor follows
    assert sent_names(moto) == {"wf-taken", new_name}
    assert described(moto, new_name) == described(moto, "wf-taken")
    assert [(e.action, e.job_name) for e in history.list()] == [("submit", new_name), ("submit-failed", "wf-taken")]
