"""A row of buttons drawn as one widget: one Tab stop, ←/→ to choose, Enter or Space to press, a
click presses the button under the mouse.

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

GAP = "  "  # between two buttons
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

    @property
    def shown(self) -> str:
        return visible(self.label)


class ButtonBar(Widget, can_focus=True):
    """A row of BarButtons; pressing one posts ButtonBar.Pressed with its id."""

    DEFAULT_CSS = "ButtonBar { height: 1; width: 1fr; }"
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
        button = self.button_at(event.x)
        if button is not None:
            self.press(button.id)

    def on_focus(self) -> None:
        self._keep_selection_enabled()
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # --- geometry and drawing -------------------------------------------------------------------

    def _spans(self) -> list[tuple[int, int, BarButton]]:
        """(first cell, end cell, button) of each button, " label " padded."""
        spans, x = [], 0
        for button in self.buttons:
            width = cell_len(button.shown) + 2
            spans.append((x, x + width, button))
            x += width + len(GAP)
        return spans

    def button_at(self, x: int) -> BarButton | None:
        return next((button for start, end, button in self._spans() if start <= x < end), None)

    def offset_of(self, button_id: str) -> Offset:
        """The offset of `button_id`'s label in the bar (for a click)."""
        start, _, _ = next(span for span in self._spans() if span[2].id == button_id)
        return Offset(start + 1, 0)

    def render(self) -> Content:
        parts: list = []
        for index, button in enumerate(self.buttons):
            if index:
                parts.append(GAP)
            if not self.enabled(button.id):
                style = DISABLED
            elif self.has_focus and index == self.selected:
                style = SELECTED
            else:
                style = STYLES[button.variant]
            parts.append((f" {button.shown} ", style))
        return Content.assemble(*parts)

    def get_content_width(self, container, viewport) -> int:
        return self._spans()[-1][1] if self.buttons else 0
