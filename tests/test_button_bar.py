"""ButtonBar: a row of buttons as one widget and one Tab stop."""

from textual.app import App, ComposeResult
from textual.widgets import Input

from smjob.widgets.button_bar import BarButton, ButtonBar
from tests.support.waiting import wait_until


class BarApp(App):
    def __init__(self, *buttons: BarButton) -> None:
        super().__init__()
        self.bar = ButtonBar(*buttons)
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(id="before")
        yield self.bar
        yield Input(id="after")

    def on_button_bar_pressed(self, event: ButtonBar.Pressed) -> None:
        self.pressed.append(event.button_id)


BUTTONS = (BarButton("add", "+ Add"), BarButton("dup", "Duplicate"), BarButton("del", "Remove", variant="error"))


def line(app) -> str:
    return "".join(segment.text for segment in app.bar.render_line(0))


async def test_one_tab_stop_arrows_choose_enabled_buttons_and_enter_or_space_press():
    app = BarApp(*BUTTONS)
    async with app.run_test(size=(60, 5)) as pilot:
        app.bar.set_disabled("dup", True)
        await pilot.press("tab")
        assert app.focused is app.bar
        await pilot.press("right")  # Duplicate is disabled: skipped
        assert app.bar.buttons[app.bar.selected].id == "del"
        await pilot.press("enter")
        await pilot.press("right", "space")  # wraps to + Add
        await wait_until(pilot, lambda: app.pressed == ["del", "add"], what="two presses")
        await pilot.press("tab")
        assert app.focused.id == "after"  # the three buttons were one stop


async def test_a_click_presses_the_button_under_the_mouse_and_not_a_disabled_one():
    app = BarApp(*BUTTONS)
    async with app.run_test(size=(60, 5)) as pilot:
        assert await pilot.click(app.bar, offset=app.bar.offset_of("dup"))
        await wait_until(pilot, lambda: app.pressed == ["dup"], what="the click")
        app.bar.set_disabled("del", True)
        assert await pilot.click(app.bar, offset=app.bar.offset_of("del"))
        assert await pilot.click(app.bar, offset=(len(" + Add ") + 1, 0))  # the gap between two buttons
        await pilot.pause()
        assert app.pressed == ["dup"]
        assert not app.bar.press("del")


async def test_the_selected_button_is_kept_on_an_enabled_one_and_shown_only_with_focus():
    app = BarApp(*BUTTONS)
    async with app.run_test(size=(60, 5)) as pilot:
        app.bar.select("dup")
        app.bar.set_disabled("dup", True)
        assert app.bar.buttons[app.bar.selected].id == "add"
        styles = {}
        for focused in (False, True):
            (app.bar.focus if focused else app.query_one("#before").focus)()
            await pilot.pause()
            styles[focused] = next(iter(app.bar.render_line(0))).style  # " + Add "
        assert styles[True] != styles[False]


async def test_labels_are_drawn_as_text_never_markup():
    app = BarApp(BarButton("x", "[bold]Add[/bold] \x1b]52;c;aGk=\x07"))
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        assert "[bold]Add[/bold]" in line(app)
        assert "\x1b" not in line(app)
