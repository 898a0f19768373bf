"""A read-only, syntax-highlighted code view that renders only the visible lines.

A 300 KB request rendered through one rich Syntax in a Static is measured and re-lexed in full on
every keystroke (~300 ms). Here each line is highlighted on its own when it scrolls into view,
and cached by its text, so an edit re-lexes only the lines that changed and are visible.
JSON, YAML, the CLI command and the Python literal have no tokens spanning lines that matter
for colour, so per-line lexing looks the same.
"""

from __future__ import annotations

from functools import lru_cache

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


class CodeView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    CodeView { height: 1fr; }
    """

    def __init__(self, lexer: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lexer = lexer
        self.code = ""
        self.lines: list[str] = []

    def set_code(self, code: str) -> None:
        # Escape codes in values stay visible as text, never reach the terminal.
        self.code = code.replace("\x1b", "\\x1b")
        self.lines = self.code.splitlines()
        width = max((len(line) for line in self.lines), default=0)
        self.virtual_size = Size(width, len(self.lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        text = highlight_line(self.lexer, self.lines[index])
        segments = [Segment(s.text, self.rich_style + s.style if s.style else self.rich_style)
                    for s in text.render(self.app.console) if s.text != "\n"]
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def scroll_to_line(self, line: int) -> None:
        self.scroll_to(y=max(0, line - 3), animate=False)
