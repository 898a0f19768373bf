"""A training job's log lines: all hosts interleaved or one host, follow mode, search, errors in colour.

Renders only the rows in view (like CodeView, with its text_row), so 100,000 lines cost the same to show as 100:
`append` stores each line once, made safe for the terminal (smjob.terminal_text), and a host
filter is a list of indexes rebuilt only when the host changes. Follow mode keeps the last line in
view as lines arrive; any move up leaves it, End (or the screen's `f`) comes back to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from smjob.terminal_text import visible
from smjob.widgets.code_view import text_row

ERROR_WORDS = re.compile(r"Error|Traceback|Exception")
HOST_STYLES = ("cyan", "magenta", "green", "yellow", "blue", "bright_cyan", "bright_magenta", "bright_green")


@dataclass(frozen=True, slots=True)
class Row:
    timestamp: int  # ms since the epoch
    host: str
    text: str  # already visible(): no control characters
    error: bool


def clock_ms(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp / 1000, UTC).astimezone().strftime("%H:%M:%S")


class LogView(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("up", "scroll_by(-1)", "Up", show=False),
        Binding("down", "scroll_by(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "top", "Top", show=False),
        Binding("end", "follow", "Follow", show=False),
        Binding("left", "scroll_left", "Left", show=False),
        Binding("right", "scroll_right", "Right", show=False),
    ]
    DEFAULT_CSS = """
    LogView { height: 1fr; background: $surface; }
    LogView:focus { background-tint: $foreground 5%; }
    """

    class Moved(Message):
        """Follow mode or the shown host changed: the screen's status line follows."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[Row] = []
        self.hosts: list[str] = []  # in the order they first wrote
        self.host: str | None = None  # None: every host interleaved
        self._shown: list[int] | None = None  # indexes of rows of `host`; None: all rows
        self.following = True
        self.search_text: str | None = None
        self.match: int | None = None  # position (in the shown rows) of the current match
        self._width = 0

    # --- content -----------------------------------------------------------------------------
    @property
    def shown_count(self) -> int:
        return len(self.rows) if self._shown is None else len(self._shown)

    def shown_row(self, position: int) -> Row:
        return self.rows[position if self._shown is None else self._shown[position]]

    def shown_rows(self):
        for position in range(self.shown_count):
            yield self.shown_row(position)

    def append(self, lines) -> None:
        """LogLine-like items (timestamp, host, message), oldest first."""
        if not lines:
            return
        start = len(self.rows)
        for line in lines:
            text = visible(line.message.rstrip("\n"))
            host = line.host
            if host not in self.hosts:
                self.hosts.append(host)
            self.rows.append(Row(line.timestamp, host, text, bool(ERROR_WORDS.search(text))))
            self._width = max(self._width, len(text) + len(host) + 12)
        if self._shown is not None:
            self._shown += [i for i in range(start, len(self.rows)) if self.rows[i].host == self.host]
        self._resize()
        if self.following:
            self._to_end()

    def _to_end(self) -> None:
        self.scroll_end(animate=False, immediate=True, x_axis=False)
        self.call_after_refresh(self.scroll_end, animate=False, x_axis=False)  # once the size is known

    def _resize(self) -> None:
        self.virtual_size = Size(self._width, self.shown_count)
        self.refresh()

    def show_host(self, host: str | None) -> None:
        self.host = host
        self._shown = None if host is None else [i for i, r in enumerate(self.rows) if r.host == host]
        self.match = None
        self._resize()
        if self.following:
            self._to_end()
        self.post_message(self.Moved())

    def cycle_host(self) -> str | None:
        """All hosts -> each host in turn -> all hosts."""
        order = [None, *self.hosts]
        self.show_host(order[(order.index(self.host) + 1) % len(order)] if self.host in order else None)
        return self.host

    # --- moving ------------------------------------------------------------------------------
    def set_following(self, following: bool) -> None:
        if following != self.following:
            self.following = following
            self.post_message(self.Moved())
        if following:
            self._to_end()

    def action_follow(self) -> None:
        self.set_following(True)

    def action_top(self) -> None:
        self.set_following(False)
        self.scroll_home(animate=False)

    def action_scroll_by(self, rows: int) -> None:
        if rows < 0:
            self.set_following(False)
        self.scroll_to(y=self.scroll_y + rows, animate=False)

    def action_page(self, direction: int) -> None:
        if direction < 0:
            self.set_following(False)
        self.scroll_to(y=self.scroll_y + direction * max(1, self.size.height - 1), animate=False)

    def on_mouse_scroll_up(self, event) -> None:
        self.set_following(False)

    # --- search ------------------------------------------------------------------------------
    def search(self, text: str | None, *, forward: bool = True, again: bool = False) -> bool:
        """Go to the next line (after the current match, or the top line in view) holding `text`,
        case-insensitively; wraps around. False when no shown line has it."""
        self.search_text = text or None
        if not self.search_text or not self.shown_count:
            self.match = None
            self.refresh()
            return False
        needle = self.search_text.casefold()
        count = self.shown_count
        if self.match is not None:
            start = self.match + (1 if forward else -1) if again else self.match
        else:
            start = round(self.scroll_y)
        step = 1 if forward else -1
        for k in range(count):
            position = (start + step * k) % count
            if needle in self.shown_row(position).text.casefold():
                self.match = position
                self.set_following(False)
                top = round(self.scroll_y)
                if not top <= position < top + self.size.height:
                    self.scroll_to(y=max(0, position - self.size.height // 3), animate=False)
                self.refresh()
                return True
        self.match = None
        self.refresh()
        return False

    # --- rendering ---------------------------------------------------------------------------
    def _host_style(self, host: str) -> str:
        return HOST_STYLES[self.hosts.index(host) % len(HOST_STYLES)] if host in self.hosts else ""

    def line_text(self, row: Row) -> Text:
        text = Text(no_wrap=True, end="")
        text.append(clock_ms(row.timestamp) + " ", style="dim")
        if self.host is None:
            text.append(f"{row.host} ", style=self._host_style(row.host))
        text.append(row.text, style="red" if row.error else "")
        if self.search_text:
            text.highlight_words([self.search_text], style="reverse", case_sensitive=False)
        return text

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        position = scroll_y + y
        if position >= self.shown_count:
            return text_row(None, self.app.console, base, scroll_x, width)
        style = base + Style(bgcolor="grey30") if position == self.match else base
        return text_row(self.line_text(self.shown_row(position)), self.app.console, style, scroll_x, width)

    # --- saving ------------------------------------------------------------------------------
    def plain_lines(self) -> list[str]:
        """The shown lines as saved to a file: time (UTC), host, message (escaped as shown)."""
        out = []
        for row in self.shown_rows():
            when = datetime.fromtimestamp(row.timestamp / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            out.append(f"{when} {row.host} {row.text}")
        return out
