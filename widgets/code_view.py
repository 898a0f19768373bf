"""A read-only, syntax-highlighted code view that renders only the visible lines.

A 300 KB request rendered through one rich Syntax in a Static is measured and re-lexed in full on
every keystroke (~300 ms). Here each line is highlighted on its own when it scrolls into view,
and cached by its text, so an edit re-lexes only the lines that changed and are visible.
JSON, YAML, the CLI command and the Python literal have no tokens spanning lines that matter
for colour, so per-line lexing looks the same.

With `wrap=True` long lines continue on the next rows (cut at the width, not at words: finding
word breaks would read every long line up front, where cutting needs only their lengths).
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from smjob.terminal_text import visible

THEME = "ansi_dark"
# Characters of a line that are highlighted; the rest of a longer line (a 1 MB value) is plain:
# lexing it cost ~6 ms a keystroke, for colours no one scrolls a megabyte sideways to see.
HIGHLIGHTED = 4096
ROWS_KEPT = 400  # drawn rows kept (a 200x50 view shows 50)


def highlight_line(lexer: str, line: str) -> Text:
    """`line` highlighted: its first HIGHLIGHTED characters, the rest plain."""
    if len(line) <= HIGHLIGHTED:
        return _highlight(lexer, line)
    # Not cached whole: typing into a 1 MB value makes a new line each key, and 50,000 of them were
    # kept (the cache's size), a megabyte each.
    text = _highlight(lexer, line[:HIGHLIGHTED]).copy()
    text.append(line[len(text.plain) :])  # what rstrip took off the head, and the rest, plain
    return text


@lru_cache(maxsize=50_000)
def _highlight(lexer: str, line: str) -> Text:
    from rich.syntax import Syntax  # pygments: loaded when a preview is first shown

    text = Syntax(line, lexer, theme=THEME).highlight(line)
    text.rstrip()
    return text


def text_row(text: Text | None, console, style: Style, scroll_x: int, width: int) -> Strip:
    """One row of a view that draws only its rows in view (CodeView, LogView): `text` (already made
    safe by smjob.terminal_text.visible; None past the last line) over `style`, cut to the columns
    in view."""
    if text is None:
        return Strip.blank(width, style)
    if len(text) > HIGHLIGHTED and text.plain.isascii():  # one cell a character: cut before rendering
        text, scroll_x = text[scroll_x : scroll_x + width], 0
    segments = [Segment(s.text, style + s.style if s.style else style) for s in text.render(console) if s.text != "\n"]
    return Strip(segments).crop_extend(scroll_x, scroll_x + width, style)


class Wrap:
    """The rows of `lines` cut every `width` cells: row n -> (line index, start, end). Building it
    reads only the lines' lengths (a 300 KB request: well under a millisecond)."""

    def __init__(self, lines: list[str], width: int) -> None:
        self.lines, self.width = lines, max(1, width)
        self.cuts: dict[int, list[tuple[int, int]]] = {}  # lines with wide characters, cut by cells
        counts = []
        for index, line in enumerate(lines):
            if line.isascii():
                counts.append(max(1, -(-len(line) // self.width)))
            elif cell_len(line) <= self.width:
                counts.append(1)
            else:
                cuts, start = [], 0
                for chunk in chop_cells(line, self.width):
                    cuts.append((start, start + len(chunk)))
                    start += len(chunk)
                self.cuts[index] = cuts
                counts.append(len(cuts))
        self.starts = list(accumulate(counts, initial=0))  # the first row of each line

    def __len__(self) -> int:
        return self.starts[-1]

    def row(self, n: int) -> tuple[int, int, int]:
        line = bisect_right(self.starts, n) - 1
        k = n - self.starts[line]
        if line in self.cuts:
            return (line, *self.cuts[line][k])
        start = k * self.width
        return line, start, min(start + self.width, len(self.lines[line]))


class CodeView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    CodeView { height: 1fr; }
    CodeView.-wrap { overflow-x: hidden; scrollbar-gutter: stable; }
    """

    def __init__(self, lexer: str, *, wrap: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lexer = lexer
        self.wrap = wrap
        self.set_class(wrap, "-wrap")
        self.lines: list[str] = []  # made safe to show (smjob.terminal_text.visible)
        self._raw: list[str] = []  # as given, to find the lines that changed
        self._rows: dict[tuple, Strip] = {}  # drawn rows, by what they show
        self._wrap = Wrap([], 1)  # the wrapped rows, for _wrap_width
        self._wrap_width = -1

    def set_wrap(self, wrap: bool) -> None:
        """Wrap long lines (or not) from now on, keeping the top line in view."""
        if wrap == self.wrap:
            return
        top = self._top_line()
        self.wrap = wrap
        self.set_class(wrap, "-wrap")
        if wrap:
            self._wrap_width = -1
            self._rewrap()
        else:
            self.virtual_size = Size(self._scroll_width(), len(self.lines))
        self.scroll_to(x=0, animate=False)
        self.refresh()
        self.call_after_refresh(self._scroll_line_to_top, top)

    def _top_line(self) -> int:
        y = self.scroll_offset.y
        if self.wrap and len(self._wrap):
            return self._wrap.row(min(y, len(self._wrap) - 1))[0]
        return y

    def _scroll_line_to_top(self, line: int) -> None:
        if self.wrap and 0 <= line < len(self._wrap.starts) - 1:
            line = self._wrap.starts[line]
        self.scroll_to(y=line, animate=False)

    @property
    def code(self) -> str:
        """The text shown (made safe to show)."""
        return "\n".join(self.lines)

    def set_code(self, code: str) -> None:
        # Escape codes in values stay visible as text, never reach the terminal. Line by line, and
        # only the lines that changed (the one edited): a 1 MB preview was scanned whole each key.
        raw = code.split("\n")
        if raw[-1] == "":
            raw.pop()  # as splitlines: no line after a final newline
        previous, previous_raw = self.lines, self._raw
        self._raw = raw
        self.lines = [
            previous[i] if i < len(previous_raw) and previous_raw[i] == line else visible(line)
            for i, line in enumerate(raw)
        ]
        if not self.wrap and len(previous) == len(self.lines):
            self._refresh_changed(previous)  # an edit usually changes one line: repaint only that
            return
        if self.wrap:
            self._wrap_width = -1
            self._rewrap()
        else:
            self.virtual_size = Size(self._scroll_width(), len(self.lines))
        self.refresh()

    def _refresh_changed(self, previous: list[str]) -> None:
        width = self._scroll_width()
        if width != self.virtual_size.width:
            self.virtual_size = Size(width, len(self.lines))
        top = self.scroll_offset.y
        for y in range(top, min(len(self.lines), top + self.size.height)):
            if previous[y] != self.lines[y]:
                self.refresh_line(y)

    def _scroll_width(self) -> int:
        """How far the view scrolls sideways: the longest line, rounded up past HIGHLIGHTED characters,
        so typing into a 1 MB value does not resize the scroll area (a relayout and a full repaint,
        ~20 ms) on every key."""
        width = max((len(line) for line in self.lines), default=0)
        return width if width <= HIGHLIGHTED else -(-width // HIGHLIGHTED) * HIGHLIGHTED

    def _rewrap(self) -> None:
        """Rows for the current width (none before the first layout: the width is unknown)."""
        width = self.scrollable_content_region.width
        if width == self._wrap_width:
            return
        self._wrap_width = width
        self._wrap = Wrap(self.lines if width > 0 else [], width)
        self.virtual_size = Size(width, len(self._wrap))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        # rich_style is a property that walks the ancestors: once per line
        style = self.rich_style
        row = self._row(y + scroll_y)
        if row is None:
            return Strip.blank(width, style)
        line, start, end = row
        key = (line, start, end, scroll_x, width, style)
        # Rows are kept by what they show: a relayout repaints the whole view (a problem's text
        # changing on each key does that), and drawing a row from its Text costs ~0.2 ms. Not a
        # long line's: each key would keep another copy of it (and it is cut before drawing).
        kept = len(line) <= HIGHLIGHTED
        strip = self._rows.get(key) if kept else None
        if strip is None:
            text = highlight_line(self.lexer, line)
            strip = text_row(text if end is None else text[start:end], self.app.console, style, scroll_x, width)
            if kept:
                if len(self._rows) >= ROWS_KEPT:
                    self._rows.clear()
                self._rows[key] = strip
        return strip

    def _row(self, index: int) -> tuple[str, int, int | None] | None:
        """Row `index`: (its line, and where the row starts and ends in it when wrapped)."""
        if self.wrap:
            self._rewrap()  # the width is known here first; a later resize lands here too
            if index >= len(self._wrap):
                return None
            line, start, end = self._wrap.row(index)
            return self.lines[line], start, end
        return (self.lines[index], 0, None) if index < len(self.lines) else None

    def scroll_to_line(self, line: int) -> None:
        if self.wrap and 0 <= line < len(self._wrap.starts) - 1:
            line = self._wrap.starts[line]
        self.scroll_to(y=max(0, line - 3), animate=False)
