"""Changes between two requests (smjob.diff), one per line: path, old -> new, colored by kind.

    ~ HyperParameters.epochs: "3" -> "50"        (changed: yellow mark, old red, new green)
    + Tags[2] (added): {...}                     (green)
    - CheckpointConfig (removed): {...}          (red)

Values are shown as JSON and cut to a readable length; every user string goes in as plain
text (a key or value holding `[red]` shows the brackets).
"""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual.widgets import Static

from smjob.diff import ADDED, CHANGED, REMOVED, Change
from smjob.terminal_text import visible

STYLES = {ADDED: "green", REMOVED: "red", CHANGED: "yellow"}
MARKS = {ADDED: "+", REMOVED: "-", CHANGED: "~"}
VALUE_LIMIT = 120


def show_value(value: Any, limit: int = VALUE_LIMIT) -> str:
    text = json.dumps(value, ensure_ascii=False)
    text = visible(text, multiline=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def changes_text(changes: list[Change]) -> Text:
    """The changes as one rich Text, one line per change (long values wrap)."""
    out = Text()
    if not changes:
        out.append("no differences", style="dim")
        return out
    for index, change in enumerate(changes):
        if index:
            out.append("\n")
        style = STYLES.get(change.kind, "")
        out.append(f"{MARKS.get(change.kind, '?')} ", style=f"bold {style}")
        out.append(visible(change.where), style="bold")
        if change.kind == ADDED:
            out.append(" (added): ", style=style)
            out.append(show_value(change.new), style=style)
        elif change.kind == REMOVED:
            out.append(" (removed): ", style=style)
            out.append(show_value(change.old), style=style)
        else:
            out.append(": ")
            out.append(show_value(change.old), style="red")
            out.append(" \u2192 ", style="bold")
            out.append(show_value(change.new), style="green")
    return out


def summary(changes: list[Change]) -> str:
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in (CHANGED, ADDED, REMOVED)}
    if not changes:
        return "no differences"
    return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)


class DiffView(Static):
    """A read-only list of changes. Put it in a scrolling container for long diffs."""

    DEFAULT_CSS = "DiffView { height: auto; }"

    def __init__(self, changes: list[Change], **kwargs) -> None:
        super().__init__(changes_text(changes), **kwargs)
        self.changes = list(changes)

    def show(self, changes: list[Change]) -> None:
        self.changes = list(changes)
        self.update(changes_text(self.changes))
