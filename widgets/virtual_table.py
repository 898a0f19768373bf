"""A read-only table with a row cursor that renders only the rows in view.

DataTable measures and stores every cell when a row is added (~40 ms for 500 rows, again on every
refill). Here `set_rows` stores keys and a function that gives a row's cells, and `render_line`
asks for the cells of the visible rows only, so a refill costs the same for 10 rows or 10,000.
Columns have fixed widths (a longer cell is cut with "…"); cells are rich Text, shown as given.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

CELL_PADDING = 1  # blank cells on each side of a column, as DataTable's default
LOOKS = {"header": "header", "cursor": "cursor", "even": "even-row"}  # row kinds -> component classes


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int


def _cut(cell: Text, width: int) -> Text:
    if cell.cell_len <= width:
        return cell
    cut = cell.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut


class VirtualTable(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("enter", "select", "Select", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
    ]
    COMPONENT_CLASSES = {"virtual-table--header", "virtual-table--cursor", "virtual-table--even-row"}
    DEFAULT_CSS = """
    VirtualTable { background: $surface; color: $foreground; height: 1fr; }
    VirtualTable:focus { background-tint: $foreground 5%; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; color: $foreground; }
    VirtualTable:ansi > .virtual-table--header { background: ansi_bright_blue; color: ansi_default; }
    VirtualTable > .virtual-table--even-row { background: $surface-lighten-1 50%; }
    VirtualTable:dark > .virtual-table--even-row { background: $surface-darken-1 40%; }
    VirtualTable > .virtual-table--cursor {
        background: $block-cursor-blurred-background; color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    VirtualTable:focus > .virtual-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    class RowSelected(Message):
        """Enter on a row, or a click on the row under the cursor."""

        def __init__(self, table: VirtualTable, row: int, key: Hashable) -> None:
            super().__init__()
            self.table, self.row, self.key = table, row, key

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(self, columns: Sequence[Column] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self.columns: tuple[Column, ...] = tuple(columns)
        self.keys: list[Hashable] = []
        self.virtual_size = Size(self._width(), 1)
        self.cursor_row = 0
        self._cells_of: Callable[[Hashable], Sequence[Text]] = lambda key: ()
        self._strips: dict[tuple, Strip] = {}  # full-width rows by (key, look); cleared on any change
        self._looks: dict[str, Style] = {}  # rich_style walks the ancestors: once per style change

    # --- content -----------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.keys)

    @property
    def cursor_key(self) -> Hashable | None:
        return self.keys[self.cursor_row] if 0 <= self.cursor_row < len(self.keys) else None

    def set_columns(self, columns: Sequence[Column]) -> None:
        if tuple(columns) != self.columns:
            self.columns = tuple(columns)
            self._changed()

    def set_rows(
        self, keys: Sequence[Hashable], cells: Callable[[Hashable], Sequence[Text]], cursor_key: Hashable | None = None
    ) -> None:
        """Show `keys` in order; `cells(key)` is called only when the row comes into view. The
        cursor stays on `cursor_key` if it is still there, else goes to the first row."""
        self.keys = list(keys)
        self._cells_of = cells
        self._changed()
        row = self.keys.index(cursor_key) if cursor_key is not None and cursor_key in self.keys else 0
        self.cursor_row = -1
        self.move_cursor(row)
        if row == 0:
            self.scroll_to(y=0, animate=False)

    def refresh_row(self, key: Hashable) -> None:
        """Ask for the cells of `key` again (e.g. after a mark changed)."""
        self._strips = {k: v for k, v in self._strips.items() if k[0] != key}
        with contextlib.suppress(ValueError):  # not shown: nothing to repaint
            self._refresh_index(self.keys.index(key))

    def _width(self) -> int:
        return sum(c.width + 2 * CELL_PADDING for c in self.columns)

    def _changed(self) -> None:
        self._strips.clear()
        self.virtual_size = Size(self._width(), len(self.keys) + 1)  # + the header line
        self.refresh()

    def notify_style_update(self) -> None:
        self._strips.clear()  # focus, theme: the cached rows' colours are stale
        self._looks.clear()
        super().notify_style_update()

    # --- the cursor --------------------------------------------------------------------------
    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, row: int, *, scroll: bool = True) -> None:
        row = max(0, min(row, len(self.keys) - 1))
        old, self.cursor_row = self.cursor_row, row
        if old != row:
            self._refresh_index(old)
            self._refresh_index(row)
        if scroll and self.keys:
            top = round(self.scroll_y)
            if row < top:
                self.scroll_to(y=row, animate=False)
            elif row >= top + self._page:
                self.scroll_to(y=row - self._page + 1, animate=False)

    def _refresh_index(self, index: int) -> None:
        if 0 <= index < len(self.keys):
            self.refresh_line(index + 1)  # virtual line: the header is line 0

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.scroll_to(y=self.scroll_y - self._page, animate=False)
        self.move_cursor(self.cursor_row - self._page)

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + self._page, animate=False)
        self.move_cursor(self.cursor_row + self._page)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self.keys) - 1)

    def action_select(self) -> None:
        if self.cursor_key is not None:
            self.post_message(self.RowSelected(self, self.cursor_row, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return  # the header, or a scrollbar
        row = offset.y - 1 + round(self.scroll_y)
        if row >= len(self.keys):
            return
        event.stop()
        if row == self.cursor_row or event.chain > 1:
            self.move_cursor(row)
            self.action_select()
        else:
            self.move_cursor(row)

    # --- rendering ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            strip = self._row_strip(None, "header")
            style = self.get_component_rich_style("virtual-table--header")
        else:
            index = scroll_y + y - 1
            if index >= len(self.keys):
                return Strip.blank(width, self._look_style("odd"))
            look = "cursor" if index == self.cursor_row else ("even" if index % 2 else "odd")
            strip = self._row_strip(index, look)
            style = self._look_style(look)
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    def _look_style(self, look: str) -> Style:
        style = self._looks.get(look)
        if style is None:
            style = self.rich_style if look == "odd" else self.get_component_rich_style(f"virtual-table--{LOOKS[look]}")
            self._looks[look] = style
        return style

    def _row_strip(self, index: int | None, look: str) -> Strip:
        key = None if index is None else self.keys[index]
        cache_key = (key, look)
        strip = self._strips.get(cache_key)
        if strip is not None:
            return strip
        if index is None:
            cells: Sequence[Text] = [Text(c.label) for c in self.columns]
        else:
            cells = self._cells_of(key)
        line = Text(no_wrap=True, end="")
        pad = " " * CELL_PADDING
        for column, cell in zip(self.columns, cells, strict=False):  # a row may have fewer cells than columns
            shown = _cut(cell, column.width)
            line.append(pad)
            line.append_text(shown)
            line.append(" " * (column.width - shown.cell_len) + pad)
        style = self._look_style(look)
        post = style if look == "cursor" else None  # the cursor's colours win over a cell's
        segments = Segment.apply_style(line.render(self.app.console), style, post)
        strip = Strip(list(segments), line.cell_len)
        if len(self._strips) > 128:  # a few screens' worth: each Strip is a dozen objects for the GC
            self._strips.clear()
        self._strips[cache_key] = strip
        return strip
