"""Undo / redo in the app, by keyboard: ctrl+z / ctrl+y over text, number, choice, map and list
edits, typing coalesced per word and pause, whole-request replacement, and where focus lands."""

import copy

from textual.widgets import Input

from smjob.tui.app import SmjobApp
from smjob.widgets.base import FieldEditor
from smjob.widgets.choice import ChoiceBox
from tests.support.keyboard import (
    next_section,
    owner_path,
    press_bar_button,
    tab_to,
    tab_to_input,
    tab_to_widget,
    type_text,
)
from tests.support.waiting import wait_until

START = {
    "TrainingJobName": "job",
    "AlgorithmSpecification": {"TrainingImage": "img", "TrainingInputMode": "File"},
    "InputDataConfig": [{"ChannelName": "first"}],
}
NAME = ("TrainingJobName",)
MODE = ("AlgorithmSpecification", "TrainingInputMode")
COUNT = ("ResourceConfig", "InstanceCount")
HP = ("HyperParameters",)
CHANNELS = ("InputDataConfig",)


class Clock:
    """The undo history's clock, moved by the test: a "pause" without waiting for one."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def focused_path(app):
    return owner_path(app.focused) if app.focused is not None else None


async def quiet(pilot) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: not app.editor.validation_pending, what="the validation")
    await pilot.wait_for_scheduled_animations()


async def press_until(pilot, key: str, request: dict, focus=None) -> None:
    """Press `key` and wait for the request (and the focus) it should give."""
    app = pilot.app
    await pilot.press(key)
    await wait_until(pilot, lambda: app.editor.request == request, what=f"{key} to give {request}")
    if focus is not None:
        await wait_until(pilot, lambda: focused_path(app) == focus, what=f"focus on {focus} after {key}")


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_every_kind_of_edit_undoes_and_redoes_in_order_and_shows_its_field():
    app = SmjobApp(copy.deepcopy(START), autosave=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await quiet(pilot)
        editor = app.editor
        editor.history.clock = Clock()  # a key a second apart on a busy machine is still one word
        states = [copy.deepcopy(editor.request)]  # the request after each step
        focus = []  # the field each step shows when undone or redone

        async def step(where) -> None:
            await quiet(pilot)
            assert editor.request != states[-1], "the step changed nothing"
            states.append(copy.deepcopy(editor.request))
            focus.append(where)

        # text
        await tab_to_input(pilot, NAME)
        await pilot.press("end")
        await type_text(pilot, "abc")
        await step(NAME)
        # a choice, in the next section
        await pilot.press("ctrl+n")
        await tab_to_widget(pilot, ChoiceBox, MODE)
        await pilot.press("enter")
        await type_text(pilot, "Pipe")
        await pilot.press("enter")
        await step(MODE)
        # a list of channels: add one, name it, move it up, remove it
        await next_section(pilot, "Input data")
        await press_bar_button(pilot, "add", CHANNELS)
        await step(CHANNELS)
        await wait_until(pilot, lambda: focused_path(app) == CHANNELS + (1, "ChannelName"), what="the new item's form")
        await type_text(pilot, "train")
        await step(CHANNELS + (1, "ChannelName"))
        assert editor.request["InputDataConfig"] == [{"ChannelName": "first"}, {"ChannelName": "train"}]
        for button_id in ("item-up", "item-del"):
            await press_bar_button(pilot, button_id, CHANNELS)
            await step(CHANNELS)
        assert editor.request["InputDataConfig"] == [{"ChannelName": "first"}]
        # a number, sections further on
        await next_section(pilot, "Resources")
        await tab_to_input(pilot, COUNT)
        await type_text(pilot, "4")
        await step(COUNT)
        assert editor.request["ResourceConfig"] == {"InstanceCount": 4}
        # a map entry (Hyperparameters)
        await editor.go_to_section("HyperParameters")
        await tab_to(pilot, lambda w: isinstance(w, Input) and "kv-key" in w.classes, describe="the key input")
        await type_text(pilot, "lr")
        await pilot.press("tab")
        await type_text(pilot, "0.1")
        await step(HP)
        assert editor.request["HyperParameters"] == {"lr": "0.1"}
        assert len(editor.history) == len(focus) == 8

        # undo all, newest first: each shows its section and focuses its field
        for index in range(len(focus) - 1, -1, -1):
            await press_until(pilot, "ctrl+z", states[index], focus[index])
            assert editor.current.key == focus[index][0]  # the step's section is shown
            assert app.dirty == (index > 0)  # all undone: the request as opened, no edit to ask about
        assert focused_path(app) == NAME and app.focused.value == "job"  # the widget shows the value again
        assert "Undid: TrainingJobName" in notifications(app)
        await pilot.press("ctrl+z")  # nothing left: a notification, no error
        await wait_until(pilot, lambda: "Nothing to undo" in notifications(app), what="the notification")
        assert editor.request == START

        # and redo all, oldest first
        for index in range(len(focus)):
            await press_until(pilot, "ctrl+y", states[index + 1], focus[index])
        assert "Redid: HyperParameters, entry 1" in notifications(app)
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: "Nothing to redo" in notifications(app), what="the notification")
        assert isinstance(app.focused, Input) and app.focused.value == "lr"  # the map entry, shown again


async def test_undo_shows_the_value_in_the_field_and_a_list_item_by_name():
    app = SmjobApp(copy.deepcopy(START), autosave=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await quiet(pilot)
        editor = app.editor
        await editor.jump_to(CHANNELS + (0, "ChannelName"))
        await pilot.press("end")
        await type_text(pilot, "2")
        await quiet(pilot)
        channels = editor.form.query_one("ListEditor")  # the shown form's: others may be kept or built ahead
        assert channels.item_list.rows == ["[0] first2"]
        await editor.go_to_section("TrainingJobName")  # elsewhere: undo comes back here
        await press_until(pilot, "ctrl+z", START, CHANNELS + (0, "ChannelName"))
        channels = editor.form.query_one("ListEditor")
        assert app.focused.value == "first" and channels.item_list.rows == ["[0] first"]


async def test_typing_coalesces_per_word_and_per_pause():
    app = SmjobApp({}, autosave=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await quiet(pilot)
        editor = app.editor
        clock = editor.history.clock = Clock()
        await tab_to_input(pilot, NAME)
        await type_text(pilot, "hello world")
        await quiet(pilot)
        assert editor.request == {"TrainingJobName": "hello world"}
        assert 1 <= len(editor.history) <= 2
        clock.now += 2  # a pause, then more of the same word
        await type_text(pilot, "s")
        await quiet(pilot)
        assert len(editor.history) <= 3
        await press_until(pilot, "ctrl+z", {"TrainingJobName": "hello world"}, NAME)
        assert app.focused.value == "hello world"
        await press_until(pilot, "ctrl+z", {"TrainingJobName": "hello "}, NAME)
        await press_until(pilot, "ctrl+z", {}, NAME)
        assert app.focused.value == ""
        # Input's own ctrl+y / ctrl+z never ran: redo brings back what undo took
        await press_until(pilot, "ctrl+y", {"TrainingJobName": "hello "}, NAME)


async def test_replacing_the_request_is_one_step():
    app = SmjobApp(copy.deepcopy(START), autosave=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await quiet(pilot)
        editor = app.editor
        new = {"TrainingJobName": "other", "RoleArn": "arn:aws:iam::123456789012:role/R"}
        editor.replace_request(new, source="paste")
        await wait_until(pilot, lambda: editor.query_one(f"#{_id(NAME)}").query_one(Input).value == "other")
        await press_until(pilot, "ctrl+z", START)
        await wait_until(pilot, lambda: editor.query_one(f"#{_id(NAME)}").query_one(Input).value == "job")
        assert "Undid: load paste" in notifications(app)
        assert editor.source is None and "paste" not in str(editor.query_one("#status").render())
        await press_until(pilot, "ctrl+y", new)
        assert editor.source == "paste"
        await wait_until(pilot, lambda: editor.query_one(f"#{_id(NAME)}").query_one(Input).value == "other")


async def test_hundreds_of_steps_are_kept():
    app = SmjobApp({}, autosave=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await quiet(pilot)
        editor = app.editor
        field = editor.query_one(f"#{_id(NAME)}", FieldEditor)
        for i in range(250):
            field.apply(f"name-{i}")  # what a choice or a paste does: one step each
        assert editor.request == {"TrainingJobName": "name-249"}
        assert len(editor.history) == 250
        for _ in range(250):
            await editor.action_undo()
        assert editor.request == {}
        await pilot.pause()
        assert field.query_one(Input).value == ""


def _id(path):
    from smjob.widgets.base import field_id

    return field_id(path)


async def test_palette_undo_and_redo():
    from textual.command import CommandPalette

    app = SmjobApp(copy.deepcopy(START), autosave=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await quiet(pilot)
        editor = app.editor
        await tab_to_input(pilot, NAME)
        await pilot.press("end")
        await type_text(pilot, "2")
        await quiet(pilot)
        for command, request in (("Undo", START), ("Redo", dict(START, TrainingJobName="job2"))):
            await pilot.press("ctrl+p")
            await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
            await type_text(pilot, command)
            await wait_until(
                pilot,
                lambda c=command: str(app.screen.query_one("CommandList").get_option_at_index(0).prompt).startswith(c),
                what=f"{command} listed first",
            )
            await pilot.press("enter")
            await wait_until(pilot, lambda r=request: editor.request == r, what=f"the palette's {command}")


async def test_undo_toasts_replace_each_other():
    """Ten ctrl+z stacked ten toasts over the screen, the status line included; one is shown now."""
    app = SmjobApp(copy.deepcopy(START), autosave=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await quiet(pilot)
        await tab_to_input(pilot, NAME)
        await pilot.press("end")
        await type_text(pilot, "a b c")  # a step per word
        await quiet(pilot)
        for _ in range(6):  # three undone, then nothing to undo
            await pilot.press("ctrl+z")
            await pilot.pause()
        await wait_until(pilot, lambda: "Nothing to undo" in notifications(app), what="the last toast")
        undo_toasts = [m for m in notifications(app) if m.startswith(("Undid", "Redid", "Nothing to"))]
        assert undo_toasts == ["Nothing to undo"]
        app.notify("Exported job.json")  # other notifications are left alone
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: any(m.startswith("Redid") for m in notifications(app)), what="the redo")
        assert "Exported job.json" in notifications(app) and "Nothing to undo" not in notifications(app)
