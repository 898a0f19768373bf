"""botocore documentation is HTML; people read it in a terminal as plain text."""

from __future__ import annotations

import re
from functools import cache

_BLOCK = {"p", "div", "ul", "ol", "note", "important", "br"}


@cache
def _collector_class():
    """Made on first use: the editor's forms need only `summary`, and html.parser costs ~0.7 MiB of
    the editor's memory at start (issue 14's budget) for the F1 help they may never open."""
    from html.parser import HTMLParser

    class TextCollector(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "li":
                self.parts.append("\n- ")
            elif tag in _BLOCK:
                self.parts.append("\n\n")

        def handle_endtag(self, tag):
            if tag in _BLOCK:
                self.parts.append("\n\n")

        def handle_data(self, data):
            self.parts.append(data)

    return TextCollector


def html_to_text(markup: str) -> str:
    if not markup:
        return ""
    import html

    collector = _collector_class()()
    collector.feed(markup)
    collector.close()
    text = html.unescape("".join(collector.parts))
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def summary(doc: str, limit: int = 200) -> str:
    """The first paragraph of `doc` in at most `limit` characters: a longer one is cut after a whole
    word and ends with "…", so that it reads as shortened (F1 shows all of it)."""
    first = doc.strip().split("\n")[0].strip()
    if len(first) <= limit:
        return first
    cut = first[: limit - 1]
    space = cut.rfind(" ")
    if space > 0 and not first[limit - 1].isspace():  # the cut fell inside a word: drop the part
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"
