"""End to end through the real app and a real local endpoint (moto over HTTP): author, submit,
watch, open history, clone, change the instance count, resubmit: two jobs with the right requests."""

from textual.widgets import Input

from smjob.aws import Target
from smjob.examples import load_example
from smjob.history import History
from smjob.tui.app import SmjobApp
from smjob.tui.screens.history import HistoryScreen
from smjob.tui.screens.job import JobScreen
from smjob.tui.screens.submit import SubmitScreen
from smjob.widgets.virtual_table import VirtualTable
from tests.support.keyboard import owner_path, tab_to_input, type_text
from tests.support.moto_server import raw_client
from tests.support.waiting import wait_until


async def submit(pilot):
    await pilot.press("f5")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SubmitScreen))
    # Submit, pressed: a failed preflight check (no such role in moto) moves the focus to Cancel.
    pilot.app.screen.query_one("#submit").press()
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, JobScreen))
    job_screen = pilot.app.screen
    await wait_until(pilot, lambda: job_screen.status is not None and job_screen.status.status == "Completed")


async def test_submit_watch_clone_and_resubmit(moto, tmp_path):
    request = dict(load_example("pytorch-gpu"), TrainingJobName="e2e-first")
    history = History(tmp_path / "history.sqlite3")
    app = SmjobApp(request, autosave=False, target=Target(None, moto.region, moto.url), history=history)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        await submit(pilot)
        assert any("Submitted: arn:aws:sagemaker:" in n.message for n in app._notifications)

        await pilot.press("escape")  # back to the editor
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        table = app.screen.query_one(VirtualTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        table.focus()
        await pilot.press("c")  # clone into the editor with a fresh name
        await wait_until(pilot, lambda: app.screen is app.editor)
        clone_name = app.editor.request["TrainingJobName"]
        assert clone_name.startswith("e2e-first-") and clone_name != "e2e-first"

        await app.editor.go_to_section("ResourceConfig")
        await tab_to_input(pilot, ("ResourceConfig", "InstanceCount"))
        field = app.focused
        assert isinstance(field, Input) and owner_path(field) == ("ResourceConfig", "InstanceCount")
        await pilot.press("backspace")
        await type_text(pilot, "2")
        await wait_until(
            pilot, lambda: app.editor.request["ResourceConfig"]["InstanceCount"] == 2, what="the new count"
        )
        await submit(pilot)

    sm = raw_client(moto)
    names = sorted(j["TrainingJobName"] for j in sm.list_training_jobs()["TrainingJobSummaries"])
    assert names == sorted(["e2e-first", clone_name])
    first = sm.describe_training_job(TrainingJobName="e2e-first")
    second = sm.describe_training_job(TrainingJobName=clone_name)
    assert first["ResourceConfig"]["InstanceCount"] == 1
    assert second["ResourceConfig"]["InstanceCount"] == 2
    for key in ("RoleArn", "InputDataConfig", "OutputDataConfig", "HyperParameters", "StoppingCondition"):
        assert second[key] == first[key] == request[key], key
    entries = history.list()
    assert [e.action for e in entries] == ["submit", "submit"]
    assert {e.job_name for e in entries} == {"e2e-first", clone_name}
