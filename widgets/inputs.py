"""TextInput: the app's Input. The Textual workarounds it carries live in widgets/textual_fixes.py."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.widgets import Input

from smjob.widgets.long_value import LongValueFastPath  # a 1 MB value: cost of the visible part only
from smjob.widgets.textual_fixes import (
    KeepsTheCursorInView,
    LeavesTheSelectionSignal,
    ShowsControlCharacters,
    TypesWithoutRelayout,
)


class TextInput(
    LongValueFastPath,
    LeavesTheSelectionSignal,
    KeepsTheCursorInView,
    TypesWithoutRelayout,
    ShowsControlCharacters,
    Input,
):
    """`edited(text)`, if given, is called inside the keystroke's own handler (unless Changed is
    prevented), before Textual can paint: the editor validates and updates the preview in the same
    frame as the typed character. Input.Changed is still posted as usual."""

    edited: Callable[[str], None] | None = None

    def __init__(self, *args, edited: Callable[[str], None] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.edited = edited

    def post_message(self, message: Message) -> bool:
        # Input posts Changed from inside the value change; False means prevented (or closing).
        posted = super().post_message(message)
        if posted and self.edited is not None and isinstance(message, Input.Changed) and self.is_mounted:
            self.edited(message.value)
        return posted
