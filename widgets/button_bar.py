"""A row of buttons drawn as one widget: one Tab stop, ←/→ to choose, Enter or Space to press, a
click presses the button under the mouse.

Every button is always shown (the selected one is the one Enter presses, so it must be seen): when
the full labels do not fit the bar's width, it draws them a cell closer, then the short labels, and
when even those do not fit it wraps them onto more lines.

Lists and maps each had a row of Buttons (a container and two to five Buttons, every one a Tab stop
and ~22 KB with its own message queue and styles). Four of those rows on the largest forms were 30
widgets; the bar is one.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Offset
from textual.message import Message
from textual.widget import Widget

from smjob.terminal_text import visible

GAP = 2  # cells between two buttons, when they fit
STYLES = {  # Textual's theme variables, resolved when drawn
    "default": "bold $foreground on $panel",
    "error": "bold $text-error on $error-muted",
}
SELECTED = "bold $block-cursor-foreground on $block-cursor-background"  # the one Enter presses, when focused
DISABLED = "dim $foreground on $panel"


@dataclass(frozen=True)
class BarButton:
    id: str
    label: str  # drawn as text, control characters escaped: a list's label holds a name from the API model
    variant: str = "default"  # or "error"
    short: str = ""  # for a narrow bar ("+ Add" for "+ Add MetricDefinition"); "" keeps the label

    @property
    def shown(self) -> str:
        return visible(self.label)

    @property
    def shown_short(self) -> str:
        return visible(self.short or self.label)


@dataclass(frozen=True)
class Place:
    """Where a button is drawn: " label " from cell x to end (excluded) on line y."""

    x: int
    y: int
    end: int
    text: str
    button: BarButton


class ButtonBar(Widget, can_focus=True):
    """A row of BarButtons; pressing one posts ButtonBar.Pressed with its id."""

    DEFAULT_CSS = "ButtonBar { height: auto; width: 1fr; text-wrap: nowrap; text-overflow: clip; }"
    BINDINGS = [
        Binding("left", "move(-1)", "Previous button", show=False),
        Binding("right", "move(1)", "Next button", show=False),
        Binding("enter,space", "press_selected", "Press", show=False),
    ]

    class Pressed(Message):
        def __init__(self, bar: ButtonBar, button_id: str) -> None:
            super().__init__()
            self.bar = bar
            self.button_id = button_id

        @property
        def control(self) -> ButtonBar:
            return self.bar

    def __init__(self, *buttons: BarButton, **kwargs) -> None:
        super().__init__(**kwargs)
        self.buttons = buttons
        self.disabled_ids: set[str] = set()
        self.selected = 0
        self._arranged: tuple[int, list[Place]] = (-1, [])  # (width, places) last arranged

    # --- state --------------------------------------------------------------------------------

    def enabled(self, button_id: str) -> bool:
        return button_id not in self.disabled_ids

    def set_disabled(self, button_id: str, disabled: bool) -> None:
        if disabled == (button_id in self.disabled_ids):
            return
        (self.disabled_ids.add if disabled else self.disabled_ids.discard)(button_id)
        self._keep_selection_enabled()
        self.refresh()

    def _keep_selection_enabled(self) -> None:
        if not self.enabled(self.buttons[self.selected].id):
            self.selected = next((i for i, b in enumerate(self.buttons) if self.enabled(b.id)), self.selected)

    def select(self, button_id: str) -> None:
        self.selected = next(i for i, b in enumerate(self.buttons) if b.id == button_id)
        self.refresh()

    def press(self, button_id: str) -> bool:
        """Press `button_id` (as a click would): False, and nothing sent, if it is disabled."""
        if not self.enabled(button_id):
            return False
        self.select(button_id)
        self.post_message(self.Pressed(self, button_id))
        return True

    # --- keys and mouse -------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        index = self.selected
        for _ in self.buttons:
            index = (index + step) % len(self.buttons)
            if self.enabled(self.buttons[index].id):
                self.selected = index
                self.refresh()
                return

    def action_press_selected(self) -> None:
        self.press(self.buttons[self.selected].id)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        button = self.button_at(event.x, event.y)
        if button is not None:
            self.press(button.id)

    def on_focus(self) -> None:
        self._keep_selection_enabled()
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # --- geometry and drawing -------------------------------------------------------------------

    def _flow(self, short: bool, gap: int, width: int | None = None) -> list[Place]:
        """The buttons in a row `gap` cells apart; a button that would pass `width` starts a line."""
        places, x, y = [], 0, 0
        for button in self.buttons:
            text = f" {button.shown_short if short else button.shown} "
            cells = cell_len(text)
            if width is not None and x and x + cells > width:
                x, y = 0, y + 1
            places.append(Place(x, y, x + cells, text, button))
            x += cells + gap
        return places

    def places_in(self, width: int) -> list[Place]:
        """The places of the buttons in `width` cells: on one line, the full labels if they fit, two
        cells apart or one; else the short labels; else the short labels one cell apart, wrapped."""
        if self._arranged[0] != width:
            for short, gap in ((False, GAP), (False, 1), (True, GAP), (True, 1)):
                places = self._flow(short, gap)
                if not places or places[-1].end <= width:
                    break
            else:
                places = self._flow(True, 1, width)
            self._arranged = (width, places)
        return self._arranged[1]

    @property
    def places(self) -> list[Place]:
        """As drawn now, in the bar's width."""
        return self.places_in(self.size.width)

    def button_at(self, x: int, y: int = 0) -> BarButton | None:
        return next((p.button for p in self.places if p.y == y and p.x <= x < p.end), None)

    def offset_of(self, button_id: str) -> Offset:
        """The offset of `button_id`'s label in the bar (for a click)."""
        place = next(p for p in self.places if p.button.id == button_id)
        return Offset(place.x + 1, place.y)

    def render(self) -> Content:
        parts: list = []
        x = y = 0
        for index, place in enumerate(self.places):
            button = place.button
            if place.y != y:
                parts.append("\n")
                x, y = 0, place.y
            parts.append(" " * (place.x - x))
            if not self.enabled(button.id):
                style = DISABLED
            elif self.has_focus and index == self.selected:
                style = SELECTED
            else:
                style = STYLES[button.variant]
            parts.append((place.text, style))
            x = place.end
        return Content.assemble(*parts)

    def get_content_width(self, container, viewport) -> int:
        return self._flow(False, GAP)[-1].end if self.buttons else 0  # all on one line, the full labels

    def get_content_height(self, container, viewport, width: int) -> int:
        places = self.places_in(width)
        return places[-1].y + 1 if places else 1
