"""Map entries as `key = value` lines, with duplicate and keyless entries marked.

A map editor with a row of Inputs per entry cost about 700 widgets and 18 MiB for 100
hyperparameters; this list is one widget, and the editor keeps one pair of Inputs for the
selected entry.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from smjob.terminal_text import fit_middle
from smjob.widgets.line_list import LineList, one_line

MAX_KEY_COLUMN = 30


class KeyValueList(LineList):
    """Rows are (key, value, flagged); flagged rows (duplicate key, no key) are marked `!`."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._key_width = 3

    def set_rows(self, rows: list[tuple[str, str, bool]], cursor: int) -> None:
        self._key_width = min(MAX_KEY_COLUMN, max([3, *(cell_len(one_line(k)) for k, _, _ in rows)]))
        super().set_rows(rows, cursor)

    @property
    def key_width(self) -> int:
        """The key column's width in cells (the longest key, at most MAX_KEY_COLUMN)."""
        return self._key_width

    def row_segments(self, row, style: Style, current: bool) -> list[Segment]:
        key, value, flagged = row
        # A key wider than the column is cut in the middle (both ends tell keys apart): "=" stays in line.
        key_text = fit_middle(key, self._key_width) if key else "(no key)"
        pad = max(0, self._key_width - cell_len(key_text))
        if flagged:
            style = style + Style(color="yellow")
        key_style = style + Style(dim=True) if not key else style
        marker = "! " if flagged else "▸ " if current else "  "
        return [
            Segment(marker, style),
            Segment(key_text + " " * pad, key_style),
            Segment(" = ", style + Style(dim=True)),
            Segment(one_line(value), style),
        ]
