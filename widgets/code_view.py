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

from functools import lru_cache

from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

THEME = "ansi_dark"


@lru_cache(maxsize=50_000)
def highlight_line(lexer: str, line: str) -> Text:
    from rich.syntax import Syntax  # pygments: loaded when a preview is first shown

    text = Syntax(line, lexer, theme=THEME).highlight(line)
    text.rstrip()
    return text


def wrap_rows(lines: list[str], width: int) -> list[tuple[int, int, int]]:
    """(line index, start, end) of each row when `lines` are cut every `width` cells."""
    rows = []
    width = max(1, width)
    for index, line in enumerate(lines):
        if len(line) <= width and (line.isascii() or cell_len(line) <= width):
            rows.append((index, 0, len(line)))
        elif line.isascii():
            rows.extend((index, start, start + width) for start in range(0, len(line), width))
        else:
            start = 0
            for chunk in chop_cells(line, width):
                rows.append((index, start, start + len(chunk)))
                start += len(chunk)
    return rows


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
        self.code = ""
        self.lines: list[str] = []
        self._rows: list[tuple[int, int, int]] | None = None  # wrapped rows, for _rows_width
        self._rows_width = -1

    def set_code(self, code: str) -> None:
        # Escape codes in values stay visible as text, never reach the terminal.
        self.code = code.replace("\x1b", "\\x1b")
        self.lines = self.code.splitlines()
        if self.wrap:
            self._rows_width = -1
            self._rewrap()
        else:
            width = max((len(line) for line in self.lines), default=0)
            self.virtual_size = Size(width, len(self.lines))
        self.refresh()

    def _rewrap(self) -> None:
        """Rows for the current width (none before the first layout: the width is unknown)."""
        width = self.scrollable_content_region.width
        if width == self._rows_width:
            return
        self._rows_width = width
        self._rows = wrap_rows(self.lines, width) if width > 0 else []
        self.virtual_size = Size(width, len(self._rows))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        if self.wrap:
            self._rewrap()  # the width is known here first; a later resize lands here too
            if index >= len(self._rows):
                return Strip.blank(width, self.rich_style)
            line, start, end = self._rows[index]
            text = highlight_line(self.lexer, self.lines[line])[start:end]
        elif index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        else:
            text = highlight_line(self.lexer, self.lines[index])
        base = self.rich_style  # a property that walks the ancestors: once per line
        segments = [Segment(s.text, base + s.style if s.style else base)
                    for s in text.render(self.app.console) if s.text != "\n"]
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, base)

    def scroll_to_line(self, line: int) -> None:
        if self.wrap and self._rows:
            line = next((n for n, row in enumerate(self._rows) if row[0] >= line), line)
        self.scroll_to(y=max(0, line - 3), animate=False)
