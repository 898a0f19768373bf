"""ChoiceBox (widgets/choice.py): Select's keys in one widget, its drop-down mounted only while open."""

from __future__ import annotations

from textual.app import App

from smjob.widgets.choice import ChoiceBox, ChoiceList
from tests.support.waiting import wait_until

MODES = [("Pipe", "Pipe"), ("File", "File"), ("FastFile", "FastFile")]


class Host(App):
    def __init__(self, options=MODES, value="File") -> None:
        super().__init__()
        self.options, self.initial = options, value
        self.changes: list = []

    def compose(self):
        yield ChoiceBox(self.options, value=self.initial)

    def on_choice_box_changed(self, event: ChoiceBox.Changed) -> None:
        self.changes.append(event.value)


async def _open(pilot) -> ChoiceList:
    box = pilot.app.query_one(ChoiceBox)
    box.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: box.query(ChoiceList), what="the drop-down")
    return box.query_one(ChoiceList)


async def test_enter_opens_typing_jumps_and_enter_picks():
    app = Host()
    async with app.run_test() as pilot:
        menu = await _open(pilot)
        assert menu.has_focus and menu.highlighted == 2  # the current value, after "(not set)"
        await pilot.press("f", "a")
        assert menu.get_option_at_index(menu.highlighted).id == "FastFile"
        await pilot.press("enter")
        box = app.query_one(ChoiceBox)
        await wait_until(pilot, lambda: not box.query(ChoiceList), what="the drop-down closed")
        assert app.changes == ["FastFile"] and box.value == "FastFile" and box.has_focus
        assert "FastFile" in box.render().plain


async def test_escape_closes_without_a_change_and_blank_means_not_set():
    app = Host()
    async with app.run_test() as pilot:
        box = app.query_one(ChoiceBox)
        await _open(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not box.query(ChoiceList), what="the drop-down closed")
        assert app.changes == [] and box.value == "File" and box.has_focus
        await _open(pilot)
        await pilot.press("home", "enter")  # "(not set)" is first
        await wait_until(pilot, lambda: app.changes, what="the change")
        assert app.changes == [None] and box.value is None and box.has_class("-blank")
        assert box.render().plain.startswith("(not set)")


async def test_focus_leaving_closes_it_and_a_load_posts_nothing():
    app = Host()
    async with app.run_test() as pilot:
        box = app.query_one(ChoiceBox)
        await _open(pilot)
        app.set_focus(None)
        await wait_until(pilot, lambda: not box.query(ChoiceList), what="closed on blur")
        box.value = "Pipe"  # an undo or a load: shown, not announced
        box.value = "not an option"  # an invalid value shows as not set
        await pilot.pause()
        assert app.changes == [] and box.value is None


async def test_hostile_labels_are_shown_escaped():
    app = Host(options=[("a\x1b]52;c;aGk=\x07b", "x")], value="x")
    async with app.run_test() as pilot:
        box = app.query_one(ChoiceBox)
        assert "\x1b" not in box.render().plain and "\\x1b" in box.render().plain
        menu = await _open(pilot)
        assert all("\x1b" not in str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count))


async def test_labels_are_never_markup():
    app = Host(options=[("[bold]x[/bold]", "x")], value="x")
    async with app.run_test() as pilot:
        box = app.query_one(ChoiceBox)
        assert box.render().plain.startswith("[bold]x[/bold]")
        menu = await _open(pilot)
        await pilot.pause()
        shown = ["".join(s.text for s in menu.render_line(y)) for y in range(menu.size.height)]
        assert any("[bold]x[/bold]" in line for line in shown), shown


async def test_an_enum_field_is_three_widgets_until_opened():
    """The reason ChoiceBox exists: Select made an enum field eight widgets (README, make bench)."""
    from smjob.schema import request_schema
    from smjob.widgets.fields import ChoiceField

    node = request_schema().at(("AlgorithmSpecification", "TrainingInputMode"))

    class FieldHost(App):
        def compose(self):
            yield ChoiceField(node, ("AlgorithmSpecification", "TrainingInputMode"), "File")

        def apply_edit(self, *args, **kwargs):  # the RequestOwner (widgets/owner.py)
            pass

        def value_at(self, path):
            return "File"

        def problems_at(self, path):
            return []

    async with FieldHost().run_test() as pilot:
        field = pilot.app.query_one(ChoiceField)
        assert len(list(field.walk_children(with_self=True))) == 3
