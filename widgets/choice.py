"""A one-line choice (enums and booleans) that is one widget until it is opened.

Textual's Select is six widgets (its current line, label, two arrows and an always-mounted option
list) and was the costliest part of a form: a channel's five enums doubled the time to show Input
data. ChoiceBox draws its own line and mounts its drop-down only while the user chooses.
Keys as in Select: Enter, Space, Up or Down open it; typing jumps to the first option starting
with what was typed; Enter picks; Escape closes without a change.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from smjob.terminal_text import visible

BLANK = "\0blank"  # the "(not set)" option's id: cannot collide with an enum value shown as text
SEARCH_RESET = 1.0  # seconds after which typing starts a new search


class ChoiceList(OptionList):
    """The drop-down: type-to-search, and closing hands focus back to the box."""

    BINDINGS = [Binding("escape", "close", "Close", id="choice.close", show=False)]

    def __init__(self, *options: Option) -> None:
        super().__init__(*options, markup=False)  # labels are text: "[bold]" is shown, not applied
        self._typed, self._typed_at = "", 0.0

    def on_key(self, event: events.Key) -> None:
        if not event.is_printable or not event.character:
            return
        event.stop()
        now = time.monotonic()
        self._typed = (self._typed if now - self._typed_at < SEARCH_RESET else "") + event.character
        self._typed_at = now
        wanted = self._typed.casefold()
        for index in range(self.option_count):
            option = self.get_option_at_index(index)
            if option.id != BLANK and str(option.id).casefold().startswith(wanted):
                self.highlighted = index
                return

    def action_close(self) -> None:
        self.parent.close()

    def on_blur(self) -> None:
        if self.parent is not None and self.parent.is_open:
            self.parent.close(refocus=False)


class ChoiceBox(Widget, can_focus=True):
    """`options` are (label, value) pairs; `value` is one of the values or None (not set)."""

    DEFAULT_CSS = """
    ChoiceBox { height: 1; width: auto; min-width: 12; padding: 0 1 0 0; background: $surface; }
    ChoiceBox:focus { background-tint: $foreground 5%; text-style: bold; }
    ChoiceBox.-blank { color: $foreground 50%; }
    ChoiceBox > ChoiceList {
        overlay: screen; constrain: none inside; width: auto; min-width: 20; height: auto;
        max-height: 12; border: tall $border; background: $surface; offset: 0 1;
    }
    """
    BINDINGS = [Binding("enter,space,down,up", "open", "Choose", id="choice.open", show=False)]

    class Changed(Message):
        def __init__(self, box: ChoiceBox, value) -> None:
            super().__init__()
            self.box, self.value = box, value

        @property
        def control(self) -> ChoiceBox:
            return self.box

    def __init__(self, options: list[tuple[str, object]], value=None, *, prompt: str = "(not set)") -> None:
        super().__init__()
        self.options = list(options)
        self.prompt = prompt
        self._value = self._known(value)
        self.set_class(self._value is None, "-blank")

    @property
    def value(self):
        return self._value

    @value.setter
    def value(self, value) -> None:
        """Set without a Changed message (a load or an undo, not a choice)."""
        self._set(value, announce=False)

    def _known(self, value):
        """`value` if it is one of the options, else None (shown as not set)."""
        return value if any(v == value for _, v in self.options) else None

    @property
    def is_open(self) -> bool:
        return bool(self.children)

    def render(self) -> Text:
        label = next((label for label, v in self.options if v == self._value), None)
        text = Text(visible(label) if label is not None else self.prompt)
        text.append(" ▲" if self.is_open else " ▼", style="dim")
        return text

    def action_open(self) -> None:
        if self.is_open:
            return
        options = [Option(self.prompt, id=BLANK)] + [Option(visible(label), id=str(v)) for label, v in self.options]
        menu = ChoiceList(*options)
        self.mount(menu)
        current = next((i + 1 for i, (_, v) in enumerate(self.options) if v == self._value), 0)
        menu.highlighted = current
        menu.focus()
        self.refresh()

    def close(self, *, refocus: bool = True) -> None:
        for menu in self.query(ChoiceList):
            menu.remove()
        if refocus:
            self.focus()
        self.refresh()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        picked = event.option.id
        value = None if picked == BLANK else next(v for _, v in self.options if str(v) == picked)
        self.close()
        self._set(value, announce=True)

    def _set(self, value, *, announce: bool) -> None:
        value = self._known(value)
        changed = value != self._value
        self._value = value
        self.set_class(value is None, "-blank")
        self.refresh(layout=True)  # width: auto follows the label
        if changed and announce:
            self.post_message(self.Changed(self, value))
