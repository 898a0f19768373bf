"""One line per map entry (`key = value`), rendering only the visible lines.

A map editor with a row of Inputs per entry cost about 700 widgets and 18 MiB for 100
hyperparameters; this list is one widget whatever the size, and the editor keeps one pair of
Inputs for the selected entry.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

MAX_VISIBLE = 8  # rows shown before the list scrolls
MAX_KEY_COLUMN = 30
_CONTROL = {code: f"\\x{code:02x}" for code in range(32)} | {9: " ", 10: "\\n", 13: "\\r", 0x7F: "\\x7f"}


def one_line(text: str) -> str:
    """A value as one line of plain text: escape codes and newlines become visible, never act."""
    return text.translate(_CONTROL)


class KeyValueList(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    KeyValueList { height: 1; background: $boost; overflow-x: hidden; scrollbar-size-vertical: 1; }
    KeyValueList:focus { background-tint: $foreground 5%; }
    """

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "move(-8)", show=False),
        Binding("pagedown", "move(8)", show=False),
        Binding("home", "move(-1000000)", show=False),
        Binding("end", "move(1000000)", show=False),
        Binding("enter", "edit", "Edit", id="kv.edit"),
        Binding("delete", "remove", "Remove", id="kv.remove"),
    ]

    class Moved(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class EditRequested(Message):
        pass

    class RemoveRequested(Message):
        pass

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[tuple[str, str, bool]] = []  # key, value, flagged (duplicate / no key)
        self.cursor = 0
        self._key_width = 3

    def set_rows(self, rows: list[tuple[str, str, bool]], cursor: int) -> None:
        self.rows = rows
        self.cursor = max(0, min(cursor, len(rows) - 1))
        self._key_width = min(MAX_KEY_COLUMN, max([3, *(cell_len(one_line(k)) for k, _, _ in rows)]))
        self.virtual_size = Size(self.size.width, len(rows))
        self.styles.height = max(1, min(MAX_VISIBLE, len(rows)))
        self.scroll_to_cursor()
        self.refresh()

    def scroll_to_cursor(self) -> None:
        height = max(1, min(MAX_VISIBLE, len(self.rows)))
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(width, base)
        key, value, flagged = self.rows[index]
        key_text = one_line(key) if key else "(no key)"
        pad = max(0, self._key_width - cell_len(key_text))
        marker = "! " if flagged else "  "
        style = base
        if flagged:
            style = style + Style(color="yellow")
        if index == self.cursor:
            style = style + Style(reverse=self.has_focus, bold=True)
        key_style = style + Style(dim=True) if not key else style
        segments = [Segment(marker, style), Segment(key_text + " " * pad, key_style),
                    Segment(" = ", style + Style(dim=True)), Segment(one_line(value), style)]
        return Strip(segments).crop_extend(0, width, style if index == self.cursor else base)

    def _go(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        if index != self.cursor:
            self.cursor = index
            self.scroll_to_cursor()
            self.refresh()
            self.post_message(self.Moved(index))

    def action_move(self, step: int) -> None:
        self._go(self.cursor + step)

    def action_edit(self) -> None:
        self.post_message(self.EditRequested())

    def action_remove(self) -> None:
        self.post_message(self.RemoveRequested())

    def on_click(self, event: events.Click) -> None:
        self._go(event.y + self.scroll_offset.y)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
