"""ButtonBar: a row of buttons as one widget and one Tab stop."""

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
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


LIST_BUTTONS = (  # as a ListEditor makes them: 57 cells on one line with the full labels
    BarButton("add", "+ Add ProfilerRuleConfiguration", short="+ Add"),
    BarButton("item-dup", "Duplicate"),
    BarButton("item-up", "↑"),
    BarButton("item-down", "↓"),
    BarButton("item-del", "Remove", variant="error"),
)


class NarrowApp(App):
    """The bar in a container `width` cells wide, as in a form at 80x24 or narrower."""

    CSS = "#box { height: auto; } Input { width: 10; }"

    def __init__(self, width: int) -> None:
        super().__init__()
        self.width = width
        self.bar = ButtonBar(*LIST_BUTTONS)
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="box") as box:
            box.styles.width = self.width
            yield self.bar
            yield Input(id="after")

    def on_button_bar_pressed(self, event: ButtonBar.Pressed) -> None:
        self.pressed.append(event.button_id)


def lines(bar: ButtonBar) -> list[str]:
    return [bar.render_line(y).text for y in range(bar.size.height)]


@pytest.mark.parametrize(
    "width, expected",
    [
        (120, [" + Add ProfilerRuleConfiguration    Duplicate    ↑    ↓    Remove "]),  # 66 cells
        (64, [" + Add ProfilerRuleConfiguration   Duplicate   ↑   ↓   Remove "]),  # a cell closer: 62
        (60, [" + Add    Duplicate    ↑    ↓    Remove "]),  # the short labels: 40
        (40, [" + Add    Duplicate    ↑    ↓    Remove "]),
        (38, [" + Add   Duplicate   ↑   ↓   Remove "]),  # a cell closer: 36
        (30, [" + Add   Duplicate   ↑   ↓ ", " Remove "]),  # wrapped: the bar is two lines high
        (12, [" + Add ", " Duplicate ", " ↑   ↓ ", " Remove "]),
    ],
)
async def test_every_button_is_shown_at_any_width(width, expected):
    app = NarrowApp(width)
    async with app.run_test(size=(130, 12)) as pilot:
        await wait_until(pilot, lambda: app.bar.size.width == width, what="the bar laid out")
        assert [line.rstrip() for line in lines(app.bar)] == [line.rstrip() for line in expected]
        assert app.bar.size.height == len(expected)
        assert app.query_one("#after").region.y == app.bar.region.bottom  # the next widget is below, not over it


@pytest.mark.parametrize("width", [120, 64, 60, 40, 38, 30, 12])
async def test_arrows_enter_and_clicks_press_each_button_at_any_width(width):
    app = NarrowApp(width)
    ids = [button.id for button in LIST_BUTTONS]
    async with app.run_test(size=(130, 12)) as pilot:
        await wait_until(pilot, lambda: app.bar.size.width == width, what="the bar laid out")
        app.bar.focus()
        for step, button_id in enumerate(ids):
            if step:
                await pilot.press("right")
            await pilot.press("enter")
            await wait_until(pilot, lambda n=step + 1: len(app.pressed) == n, what=f"{button_id} pressed")
            place = next(p for p in app.bar.places if p.button.id == button_id)
            assert place.text in lines(app.bar)[place.y], f"the selected {button_id} is drawn"
        assert app.pressed == ids
        app.pressed.clear()
        for button_id in ids:
            assert await pilot.click(app.bar, offset=app.bar.offset_of(button_id))
        await wait_until(pilot, lambda: len(app.pressed) == len(ids), what="the clicks")
        assert app.pressed == ids
        for place in app.bar.places:  # the click lands where the label is drawn
            x, y = app.bar.offset_of(place.button.id)
            assert lines(app.bar)[y][x - 1 : x - 1 + len(place.text)] == place.text
