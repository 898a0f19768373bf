"""Where am I: the focused field is marked and fully in view, Tab skips the pick buttons, adding a
list item says where focus went, an opened file names the request (issue 14)."""

import json

from textual.widgets import Input

from smjob.examples import load_example
from smjob.tui.app import SmjobApp
from smjob.tui.screens.dialogs import ConfirmScreen, OpenFileScreen
from smjob.widgets.base import FieldEditor
from smjob.widgets.button_bar import ButtonBar
from smjob.widgets.instance_picker import InstanceTypeField
from tests.support.keyboard import next_section, owner_path, tab_to_input, type_text
from tests.support.screens import plain_lines
from tests.support.waiting import wait_until

JOB = load_example("xgboost-distributed")


def focused_editor(app) -> FieldEditor:
    return next(a for a in app.focused.ancestors if isinstance(a, FieldEditor))


def fully_in_form(app, widget) -> bool:
    form = app.editor.form
    return form.region.contains_region(widget.region)


async def test_focused_field_is_marked_and_its_label_in_view():
    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: not app.editor.validation_pending, what="the first validation")
        await next_section(pilot, "Algorithm")
        await wait_until(pilot, lambda: owner_path(app.focused) == ("AlgorithmSpecification", "TrainingImage"))
        editor = focused_editor(app)
        # The whole field, label first, is in view: Textual's centring had put the label above the edge.
        await wait_until(pilot, lambda: fully_in_form(app, editor), what="the TrainingImage field in view")
        await pilot.pause(0.3)  # an animated scroll (the old bug) would move it within this time
        assert fully_in_form(app, editor)
        # The marker: a bar in the gutter of the focused field only, and its label highlighted.
        others = [e for e in app.editor.query(FieldEditor) if e is not editor and e not in app.focused.ancestors]
        assert editor.styles.border_left[0] == "thick"
        assert others and all(e.styles.border_left[0] != "thick" for e in others)
        label = editor.query_one(".field-label")
        assert label.styles.background.a > 0
        await pilot.press("tab")
        await wait_until(pilot, lambda: focused_editor(app) is not editor, what="Tab to the next field")
        assert editor.styles.border_left[0] != "thick"
        assert focused_editor(app).styles.border_left[0] == "thick"


async def test_tab_from_instance_type_goes_to_the_next_field_and_f4_or_a_click_on_the_label_picks():
    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await next_section(pilot, "Resources")
        await tab_to_input(pilot, ("ResourceConfig", "InstanceType"))
        field = focused_editor(app)
        assert isinstance(field, InstanceTypeField)
        assert "F4 pick" in str(field.query_one(".field-label").render())  # says how, as other pickers do
        await pilot.press("tab")
        assert isinstance(app.focused, Input) and owner_path(app.focused) == ("ResourceConfig", "InstanceCount")
        await tab_to_input(pilot, ("ResourceConfig", "InstanceType"))
        await pilot.press("f4")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "InstancePickerScreen", what="the picker")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.editor, what="the picker closed")
        assert await pilot.click(field.query_one(".field-label"))  # the mouse's way: the label says F4 pick
        await wait_until(pilot, lambda: type(app.screen).__name__ == "InstancePickerScreen", what="the picker")


async def test_add_metric_definition_focuses_the_new_item_and_says_so():
    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await next_section(pilot, "Algorithm")
        bar = app.editor.query_one(".item-tools", ButtonBar)
        bar.focus()
        assert bar.buttons[bar.selected].id == "add"  # the list is empty: Add is the one Enter presses
        await pilot.press("enter")
        path = ("AlgorithmSpecification", "MetricDefinitions", 0, "Name")
        await wait_until(pilot, lambda: owner_path(app.focused) == path, what="focus in the new item's Name")
        assert any(n.message == "Added MetricDefinition [0]: editing Name" for n in app._notifications)
        # Typing an invalid value: the error lines appearing must not push the input off screen.
        await type_text(pilot, "x" * 3)
        await wait_until(pilot, lambda: fully_in_form(app, app.focused), what="the focused input in view")
        assert isinstance(app.focused, Input)


async def test_open_file_names_it_and_quit_does_not_ask(tmp_path):
    target = tmp_path / "job.json"
    target.write_text(json.dumps(JOB))
    app = SmjobApp({}, source="new job", autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, OpenFileScreen), what="the open dialog")
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.request == JOB, what="the file in the editor")
        assert app.editor.source == str(target)
        # The focus in the section's first field, not left on the section list.
        await wait_until(pilot, lambda: owner_path(app.focused) == ("TrainingJobName",), what="the first field")
        # On screen at 80 columns, behind a long job name: the file's name (its folder too when wider).
        await wait_until(pilot, lambda: plain_lines(app)[0].rstrip().endswith("  job.json"), what="the file named")
        assert "xgboost-churn" in plain_lines(app)[0]
        await pilot.resize_terminal(200, 50)
        await wait_until(pilot, lambda: plain_lines(app)[0].rstrip().endswith(str(target)), what="the path")
        assert not app.dirty
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running, what="quit without a question")
        assert not isinstance(app.screen, ConfirmScreen)


def footer_keys(app) -> list[str]:
    footer = app.editor.query_one("QuietFooter")
    return [k.key for k in footer.query("FooterKey") if not k.has_class("-command-palette")]


async def test_footer_keys_keep_their_order_and_the_palette_key_reaches_the_edge():
    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: "f1" in footer_keys(app), what="the footer's keys")
        orders = set()
        for _ in range(6):  # fields with and without a picker (f4), the problems list (i)
            await pilot.press("tab")
            await pilot.pause()
            keys = footer_keys(app)
            common = [k for k in ("ctrl+n", "ctrl+q", "f1", "f2", "f3", "f5", "f10") if k in keys]
            orders.add(tuple(k for k in keys if k in common))
        assert orders == {("ctrl+n", "ctrl+q", "f1", "f2", "f3", "f5", "f10")}
        palette = app.editor.query_one("QuietFooter FooterKey.-command-palette")
        assert palette.region.right == 80  # no column left for a key under it to show through


async def test_footer_hides_keys_that_do_not_fit_and_shows_them_when_wider():
    """A key cut by the palette key showed its first letter (the 'd' of 'del Remove') at 80 columns."""
    from textual.widgets._footer import FooterKey

    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await next_section(pilot, "Input data")  # the channel list has its own keys (del, enter)
        footer = app.editor.query_one("QuietFooter")
        palette = footer.query_one(".-command-palette")

        def shown() -> list:
            return [k for k in footer.query(FooterKey) if k.display and k is not palette]

        await wait_until(pilot, lambda: "delete" not in [k.key for k in shown()], what="the cut keys hidden")
        assert all(k.region.right <= palette.region.x for k in shown())
        await pilot.resize_terminal(200, 50)
        await wait_until(pilot, lambda: "delete" in [k.key for k in shown()], what="the keys shown when wider")
        assert all(k.region.right <= palette.region.x for k in shown())


async def test_the_focus_bar_stays_while_focus_moves_inside_a_map_and_goes_when_it_leaves():
    """The bar is a class set from where the focus is (not :focus-within, which restyled the whole map
    on every focus change); a blur and a focus inside one field arrive in either order."""
    from smjob.widgets.map_editor import MapEditor

    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await next_section(pilot, "Hyperparameters")
        editor = app.editor.form.query_one(MapEditor)
        await wait_until(pilot, lambda: editor.key_input.is_mounted)
        editor.key_input.focus()
        await wait_until(pilot, lambda: editor.has_class("-focused"), what="the bar on the map")
        for _ in range(3):  # key line, value line, entries: all inside the map
            await pilot.press("tab")
            await pilot.pause()
            if editor not in app.focused.ancestors:
                break
            assert editor.has_class("-focused") and editor.styles.border_left[0] == "thick"
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: not editor.has_class("-focused"), what="the bar gone with the focus")
        assert editor.styles.border_left[0] != "thick"


async def _map_key_line(pilot, path):
    from smjob.widgets.map_editor import MapEditor

    label = {"Environment": "Environment", "HyperParameters": "Hyperparameters"}[path[0]]
    await next_section(pilot, label)
    editor = pilot.app.editor.form.query_one(MapEditor)
    assert editor.path == path
    await wait_until(pilot, lambda: editor.key_input.is_mounted)
    editor.key_input.focus()
    await wait_until(pilot, lambda: pilot.app.focused is editor.key_input, what="the key line")
    return editor


async def test_key_equals_value_typed_in_an_environment_key_is_split():
    app = SmjobApp({}, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await _map_key_line(pilot, ("Environment",))
        await type_text(pilot, "WANDB_MODE=offline")
        await wait_until(pilot, lambda: app.request.get("Environment") == {"WANDB_MODE": "offline"})
        assert editor.key_input.value == "WANDB_MODE"
        assert app.focused is editor.value_input
        # A paste of a whole line into the key line of a new entry.
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.focused is editor.key_input, what="the next entry's key")
        app.focused.insert_text_at_cursor("A_B=x=1")
        await wait_until(pilot, lambda: app.request["Environment"] == {"WANDB_MODE": "offline", "A_B": "x=1"})
        assert app.focused is editor.value_input


async def test_hyperparameter_keys_may_hold_equals():
    app = SmjobApp({}, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await _map_key_line(pilot, ("HyperParameters",))
        await type_text(pilot, "a=b")
        await wait_until(pilot, lambda: app.request.get("HyperParameters") == {"a=b": ""})
        assert app.focused is editor.key_input
