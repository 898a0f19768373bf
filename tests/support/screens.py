"""Pilot helpers for one screen at a time: a host app that pushes it, and what the terminal shows."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App
from textual.widgets import Static


class Host(App):
    """Pushes one screen and keeps what it dismisses with."""

    def __init__(self, make_screen) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)


def text_of(static: Static) -> str:
    """A Static's content as plain text (200 columns, no colour)."""
    console = Console(width=200, record=True, color_system=None, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


def screen_text(app) -> str:
    """The SVG screenshot's text, non-breaking spaces as spaces."""
    return app.export_screenshot().replace("&#160;", " ")


def plain_lines(app) -> list[str]:
    """The screen as a terminal shows it, without colour: one string per line."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]
