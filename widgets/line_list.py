"""A list with a cursor that renders only its visible lines: one widget however many rows.

Map entries and list items (20 channels, 40 metric definitions) are shown as one line each; the
editors keep a form for the selected row only. Subclasses say how a row is drawn.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from smjob.terminal_text import visible


def one_line(text: str) -> str:
    """User text as one line of plain text: control characters and newlines become visible, never act."""
    return visible(text)


def fit_row(strip: Strip, width: int, style: Style) -> Strip:
    """`strip` padded to `width` cells with `style`, or cut with "…" in its last cell, in the style
    of the text it cuts: a row wider than the list says it goes on."""
    if strip.cell_length <= width or width < 1:
        return strip.crop_extend(0, width, style)
    kept = strip.crop(0, width - 1)
    last = next((segment.style for segment in reversed(list(kept)) if segment.text), None) or style
    return Strip([*kept, Segment("\u2026", last)]).crop_extend(0, width, style)


class LineList(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    LineList { height: 1; background: $boost; overflow-x: hidden; scrollbar-size-vertical: 1; }
    LineList:focus { background-tint: $foreground 5%; }
    """

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "move(-8)", show=False),
        Binding("pagedown", "move(8)", show=False),
        Binding("home", "move(-1000000)", show=False),
        Binding("end", "move(1000000)", show=False),
        Binding("enter", "edit", "Edit", id="list.edit"),
        Binding("delete", "remove", "Remove", id="list.remove"),
    ]

    MAX_VISIBLE = 8  # rows shown before the list scrolls

    class _Message(Message):
        def __init__(self, line_list: LineList) -> None:
            super().__init__()
            self.line_list = line_list

        @property
        def control(self) -> LineList:
            return self.line_list

    class Moved(_Message):
        """The cursor moved to `index` (keys or a click)."""

        def __init__(self, line_list: LineList, index: int) -> None:
            super().__init__(line_list)
            self.index = index

    class EditRequested(_Message):
        """Enter: edit the selected row."""

    class RemoveRequested(_Message):
        """Delete: remove the selected row."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list = []
        self.cursor = 0

    def set_rows(self, rows: list, cursor: int) -> None:
        self.rows = rows
        self.cursor = max(0, min(cursor, len(rows) - 1))
        self.virtual_size = Size(self.size.width, len(rows))
        self.styles.height = max(1, min(self.MAX_VISIBLE, len(rows)))
        self.scroll_to_cursor()
        self.refresh()

    def scroll_to_cursor(self) -> None:
        height = max(1, min(self.MAX_VISIBLE, len(self.rows)))
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def row_segments(self, row, style: Style, current: bool) -> list[Segment]:
        """How one row is drawn; `style` already holds the cursor highlight. The marker shows the
        selected row even when the list is not focused (the highlight is then only bold)."""
        return [Segment("▸ " if current else "  ", style), Segment(one_line(str(row)), style)]

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(width, base)
        current = index == self.cursor
        style = base + Style(reverse=self.has_focus, bold=True) if current else base
        return fit_row(Strip(self.row_segments(self.rows[index], style, current)), width, style)

    def _go(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        if index != self.cursor:
            self.cursor = index
            self.scroll_to_cursor()
            self.refresh()
            self.post_message(self.Moved(self, index))

    def action_move(self, step: int) -> None:
        self._go(self.cursor + step)

    def action_edit(self) -> None:
        self.post_message(self.EditRequested(self))

    def action_remove(self) -> None:
        self.post_message(self.RemoveRequested(self))

    def on_click(self, event: events.Click) -> None:
        self._go(event.y + self.scroll_offset.y)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
