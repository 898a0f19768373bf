"""Text with a hanging indent, as a Textual Visual: rows of `head body` where a body too long for its
line continues under itself, not under its head (a label column, an icon), so a long message or URI
is shown whole instead of cut with an ellipsis. It wraps at whatever width it is rendered, so a
widget holding it needs no resize handler; str() is the plain text, unwrapped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import NamedTuple

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

MIN_ROOM = 12  # narrower than this beside its head, a body starts under the head instead


class Row(NamedTuple):
    head: Text
    body: Text
    # Offsets that cut body.plain into lines of at most the given width; None: wrap at spaces.
    breaks: Callable[[str, int], list[int]] | None = None


def labelled(label: str, width: int, body: Text, breaks=None) -> Row:
    """A row of a `Label       value` table: the label bold, padded to `width` cells."""
    return Row(Text(f"{label:<{width}}", style="bold"), body, breaks)


class Hanging(Visual):
    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows = [Row(*row) for row in rows]
        self._lines: tuple[int, list[Content]] = (-1, [])

    def __str__(self) -> str:
        return "\n".join(head.plain + body.plain for head, body, _ in self.rows)

    def lines(self, width: int) -> list[Content]:
        if self._lines[0] == width:
            return self._lines[1]
        out: list[Content] = []
        for head, body, breaks in self.rows:
            indent = head.cell_len
            content = Content.from_rich_text(body)
            if width - indent < MIN_ROOM:
                out += (Content.from_rich_text(head) + content).wrap(max(width, 1))
                continue
            room = width - indent
            parts = content.divide(breaks(body.plain, room)) if breaks else content.wrap(room)
            pad = Content(" " * indent)
            out += [(Content.from_rich_text(head) if n == 0 else pad) + part for n, part in enumerate(parts)]
        self._lines = (width, out)
        return out

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return Content("\n").join(self.lines(width)).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(
            (head.cell_len + max(map(cell_len, body.plain.split("\n"))) for head, body, _ in self.rows), default=0
        )

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))


def path_breaks(text: str, width: int) -> list[int]:
    """Where to cut a URI, an ARN or a container image into lines of at most `width` cells: after a
    `/` (not those of `s3://`) or the `:`/`@` before an image's tag or digest, before a URL's
    `#anchor`, so that a part that fits a line (the repository, the tag) is never cut; a part
    longer than a line is folded. When two lines do, the first ends after the host."""
    if width < 1 or cell_len(text) <= width:
        return []
    stops = {i + 1 for i, c in enumerate(text) if c == "/" and "/" not in (text[i - 1 : i], text[i + 1 : i + 2])}
    if "#" in text:
        stops.add(text.index("#"))
    slash = text.rfind("/")
    tag = text.find("@") if "@" in text else text.rfind(":")
    if tag > slash:
        stops.add(tag + 1)
    stops = sorted(s for s in stops if 0 < s < len(text))
    if stops and cell_len(text[: stops[0]]) <= width and cell_len(text[stops[0] :]) <= width:
        return stops[:1]
    breaks: list[int] = []
    start = 0
    for a, b in pairwise([0, *stops, len(text)]):
        if cell_len(text[start:b]) <= width:
            continue
        if a > start:  # this part starts a line of its own
            breaks.append(a)
            start = a
        while cell_len(text[start:b]) > width:  # longer than a line: folded
            start += _fitting(text[start:b], width)
            breaks.append(start)
    return breaks


def _fitting(text: str, width: int) -> int:
    """How many characters of `text` fit in `width` cells (at least one)."""
    used = 0
    for n, char in enumerate(text):
        used += get_character_cell_size(char)
        if used > width:
            return max(n, 1)
    return len(text)
