"""Export, open, paste, copy, autosave and quit: the app's file handling, driven through the UI."""

import json
import os
import stat

from textual.widgets import Input, TextArea

from smjob.drafts import new_draft_id, save_draft, scan
from smjob.examples import load_example
from smjob.tui.app import SmjobApp
from smjob.tui.screens.dialogs import ConfirmScreen, OpenFileScreen, PasteRequestScreen
from smjob.tui.screens.export import ExportScreen
from tests.support.keyboard import fill, type_text
from tests.support.waiting import wait_until

JOB = load_example("pytorch-gpu")


async def _export_to(pilot, path):
    await pilot.press("f10")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), what="the export dialog")
    screen = pilot.app.screen
    field = screen.query_one("#path", Input)
    field.value = str(path)
    field.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: pilot.app.screen is not screen, what="the export dialog to close or ask")


async def test_export_asks_before_overwriting(tmp_path):
    target = tmp_path / "job.json"
    target.write_text("precious")
    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _export_to(pilot, target)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text() == "precious"
        assert isinstance(app.screen, ExportScreen)  # still there to pick another path
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the overwrite question")
        await pilot.press("y")
        await wait_until(pilot, lambda: target.read_text() != "precious", what="the export")
    assert json.loads(target.read_text()) == JOB
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # atomic: no leftovers


async def test_export_cli_script_is_executable_and_exact(tmp_path):
    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        app.screen.query_one("#fmt-cli").value = True
        await pilot.pause()
        field = app.screen.query_one("#path", Input)
        assert field.value.endswith(".sh")
        field.value = str(tmp_path / "job.sh")
        field.focus()
        await pilot.press("enter")
        await wait_until(pilot, (tmp_path / "job.sh").exists, what="the exported script")
    script = tmp_path / "job.sh"
    assert script.read_text().startswith("#!/bin/sh\naws sagemaker create-training-job")
    assert os.stat(script).st_mode & stat.S_IXUSR


async def test_open_reports_errors_and_keeps_the_draft(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"TrainingJobName": "x",\n "RoleArn": }')
    good = tmp_path / "good.yaml"
    good.write_text("TrainingJobName: from-yaml\nHyperParameters:\n  lr: 0.1\n")
    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, OpenFileScreen)
        await type_text(pilot, str(bad))
        await pilot.press("enter")
        await pilot.pause()
        error = str(app.screen.query_one(".dialog-error").render())
        assert "bad.json:2:" in error
        assert app.editor.request == JOB
        field = app.screen.query_one("#path", Input)
        field.value = str(good)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is app.editor, what="the opened file in the editor")
        assert app.editor.request == {"TrainingJobName": "from-yaml", "HyperParameters": {"lr": "0.1"}}
        assert any("HyperParameters" in n.message for n in app._notifications)  # the conversion is reported


async def test_paste_a_request():
    app = SmjobApp({}, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.run_action("paste_request")
        await pilot.pause()
        assert isinstance(app.screen, PasteRequestScreen)
        app.screen.query_one(TextArea).text = json.dumps(JOB)
        await pilot.press("f10")
        await wait_until(pilot, lambda: app.screen is app.editor, what="the pasted request in the editor")
        assert app.editor.request == JOB


async def test_copy_sends_the_command_and_says_so():
    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert app.clipboard.startswith("aws sagemaker create-training-job")
        assert any("OSC 52" in n.message for n in app._notifications)


async def test_autosave_writes_a_private_draft_and_quit_asks(tmp_path):
    app = SmjobApp(JOB)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await fill(pilot, ("TrainingJobName",), "-2")
        # The job's own draft on the shelf (smjob.drafts), autosaved AUTOSAVE_DELAY after the edit.
        await wait_until(pilot, lambda: [d for d in scan()[0] if d.id == app.draft_id], what="the autosave")
        [draft] = [d for d in scan()[0] if d.id == app.draft_id]
        assert draft.request["TrainingJobName"] == JOB["TrainingJobName"] + "-2"
        assert stat.S_IMODE(os.stat(draft.path).st_mode) == 0o600
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert not app.is_running


async def test_browsing_sections_is_not_an_edit():
    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(len(app.editor.all_sections)):
            await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.editor.request == JOB
        assert not app.dirty
        await pilot.press("ctrl+q")  # nothing changed: no question asked
        await pilot.pause()
    assert not app.is_running


async def test_opening_a_job_does_not_replace_the_saved_draft():
    mine = save_draft({"TrainingJobName": "unsaved-work"}, new_draft_id())
    app = SmjobApp(JOB)  # autosave on, as `smjob demo` / `smjob edit FILE` run it
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: not app.editor.validation_pending, what="the first validation")
        assert app._autosave_timer is None and app.draft_id is None  # not edited: nothing to write
    assert json.loads(mine.read_text()) == {"TrainingJobName": "unsaved-work"}
