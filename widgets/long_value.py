"""Mixin for Input: a long plain value costs what the visible part costs.

Textual's Input measures and renders its whole value on every keystroke and cursor move (the cell
offset of the cursor, the content width, one Text of the value cropped to the window): ~70 ms a
key for a 1 MB value. For a long value of printable ASCII (one cell per character, the common
case for pasted data) the cell offset is the index, and only the window is rendered.
"""

from __future__ import annotations

from rich.text import Text
from textual.strip import Strip

LONG = 2048  # characters: below this Textual's own code is fast enough and is used as is
MARGIN = 2  # extra characters rendered either side of the window


def _printable_ascii(value: str, before: str | None, before_printable: bool) -> bool:
    """Whether `value` is all printable ASCII. Checking 1 MB takes ~1 ms, so a value typed or deleted
    at its end (the common case with a long value) checks only what was added to `before`."""
    if not value.isascii():  # O(1): CPython knows a string's widest character
        return False
    if before is not None and before_printable:
        if len(value) >= len(before) and value.startswith(before):
            return value[len(before) :].isprintable()
        if len(value) < len(before) and before.startswith(value):
            return True
    return value.isprintable()


class LongValueFastPath:
    _plain_for: str | None = None
    _printable: bool = False  # _plain_for is all printable ASCII

    def _plain_long(self) -> bool:
        value = self.value
        if value is not self._plain_for:  # once per value, not per call
            self._printable = _printable_ascii(value, self._plain_for, self._printable)
            self._plain_for = value
        return self._printable and len(value) > LONG and not self.password

    def _position_to_cell(self, position: int) -> int:
        if self._plain_long():
            return max(0, min(position, len(self.value)))
        return super()._position_to_cell(position)

    @property
    def content_width(self) -> int:
        if self._plain_long():
            return len(self.value) + 1
        return super().content_width

    def render_line(self, y: int) -> Strip:
        if y != 0 or not self._plain_long() or self._suggestion:
            return super().render_line(y)
        # Textual's rendering of the part in view: the same styles, offsets moved to the window.
        value = self.value
        width = self.scrollable_content_region.width
        scroll_x = int(self.scroll_offset.x)
        start = max(0, scroll_x - MARGIN)
        end = min(len(value), scroll_x + width + 1 + MARGIN)
        text = Text(value[start:end], no_wrap=True, overflow="ignore", end="")
        if self.has_focus:
            if not self.selection.is_empty:
                low, high = sorted(self.selection)
                text.stylize_before(self.get_component_rich_style("input--selection"), low - start, high - start)
            if self._cursor_visible:
                cursor = self.cursor_position - start
                if self.cursor_at_end:
                    text.pad_right(1)
                text.stylize(self.get_component_rich_style("input--cursor"), cursor, cursor + 1)
        console = self.app.console
        options = self.app.console_options.update_width(text.cell_len + 1)
        strip = Strip(list(console.render(text, options)))
        strip = strip.crop(scroll_x - start, scroll_x - start + width + 1)
        strip = strip.extend_cell_length(width + 1)
        return strip.apply_style(self.rich_style)
