"""The open dialog (ctrl+o): Tab completes the path like a shell, and tabbing back into the path
does not select it (the next key would replace it)."""

from __future__ import annotations

from textual.widgets import Button, Input, Static

from smjob.tui.screens.dialogs import OpenFileScreen, complete_path
from tests.support.keyboard import type_text
from tests.support.screens import Host, text_of
from tests.support.waiting import wait_until as until


def _tree(tmp_path):
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "resnet.json").write_text('{"TrainingJobName": "resnet"}')
    (tmp_path / "jobs" / "resnet-spot.yaml").write_text("TrainingJobName: resnet-spot\n")
    (tmp_path / "jobs" / "bert.json").write_text('{"TrainingJobName": "bert"}')
    (tmp_path / "jobs" / ".hidden.json").write_text("{}")


def test_complete_path(tmp_path, monkeypatch):
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert complete_path("jo") == ("jobs/", ["jobs/"])  # a lone directory gets its slash
    assert complete_path("jobs/re") == ("jobs/resnet", ["resnet-spot.yaml", "resnet.json"])
    assert complete_path("jobs/b") == ("jobs/bert.json", ["bert.json"])
    assert complete_path("jobs/") == ("jobs/", ["bert.json", "resnet-spot.yaml", "resnet.json"])  # no dot files
    assert complete_path("jobs/.h") == ("jobs/.hidden.json", [".hidden.json"])
    assert complete_path("nothing/x") == ("nothing/x", [])
    monkeypatch.setenv("HOME", str(tmp_path))
    assert complete_path("~/jobs/be") == ("~/jobs/bert.json", ["bert.json"])  # ~ stays as typed


async def test_tab_completes_and_tabbing_back_keeps_the_text(tmp_path):
    _tree(tmp_path)
    app = Host(OpenFileScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        field = app.screen.query_one("#path", Input)
        await until(pilot, lambda: app.focused is field)
        await type_text(pilot, f"{tmp_path}/jo")
        await pilot.press("tab")
        assert field.value == f"{tmp_path}/jobs/" and field.cursor_position == len(field.value)
        await type_text(pilot, "r")
        await pilot.press("tab")
        assert field.value == f"{tmp_path}/jobs/resnet"
        await pilot.press("tab")  # nothing more to add: the candidates are listed
        hint = text_of(app.screen.query_one("#path-hint", Static))
        assert "resnet-spot.yaml" in hint and "resnet.json" in hint and app.focused is field
        await type_text(pilot, ".")
        await pilot.press("tab")
        assert field.value == f"{tmp_path}/jobs/resnet.json"
        await pilot.press("tab")  # complete: Tab moves on, as everywhere
        assert isinstance(app.focused, Button)
        await pilot.press("shift+tab")
        assert app.focused is field and field.selected_text == ""
        await type_text(pilot, "x")  # typed at the end, not over a selection
        assert field.value == f"{tmp_path}/jobs/resnet.jsonx"
        await pilot.press("backspace", "enter")
        await until(pilot, lambda: app.results, what="the file opened")
    assert app.results[0].request == {"TrainingJobName": "resnet"}
