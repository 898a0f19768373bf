"""Lists of strings (Subnets, SecurityGroupIds, ContainerArguments, ...) as one item per line."""

from __future__ import annotations

import json

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Static, TextArea

from smjob.paths import Path
from smjob.schema import Node
from widgets.base import FieldEditor, literal
from widgets.inputs import LeavesTheSelectionSignal


def is_string_list(node: Node | None) -> bool:
    return node is not None and node.kind == "list" and node.item is not None and node.item.kind == "string"


def lines_to_items(text: str) -> list[str]:
    """One item per line; blank lines are dropped, spaces inside and around items are kept."""
    return [line for line in text.split("\n") if line.strip()]


def _as_text(item) -> str:
    return item if isinstance(item, str) else json.dumps(item)


class TextBox(LeavesTheSelectionSignal, TextArea):
    """A TextArea that is freed once removed (see widgets/inputs.py)."""


class StringListEditor(FieldEditor):
    """A TextArea with one item per line. Posts the list of non-blank lines; no items posts None."""

    DEFAULT_CSS = """
    StringListEditor > TextArea { height: auto; max-height: 8; min-height: 3; }
    """

    def __init__(self, node: Node, path: Path, value=None, *, label: str | None = None) -> None:
        super().__init__(node, path, value, label=label)
        items = [_as_text(v) for v in value] if isinstance(value, list) else []
        self.text_area = TextBox("\n".join(items), soft_wrap=False, tab_behavior="focus",
                                  placeholder="one item per line", classes="string-list")
        self._value = lines_to_items(self.text_area.text) or None
        self.hint_line = Static("", classes="field-hint")

    def compose(self) -> ComposeResult:
        yield from self.compose_label()
        yield self.text_area
        yield self.hint_line

    def on_mount(self) -> None:
        self.hint_line.update(self._hint())

    @property
    def value(self) -> list[str] | None:
        return self._value

    def _hint(self) -> Text:
        node = self.node
        count = len(self._value or ())
        low = "" if node.min is None else int(node.min)
        high = "" if node.max is None else int(node.max)
        parts = [f"{count} item{'' if count == 1 else 's'} (allowed {low}..{high}), one per line"]
        if node.item is not None:
            parts.append(f"each {node.item.constraint_text()}")
        return literal(" · ".join(parts))

    @on(TextArea.Changed, ".string-list")
    def _edited(self, event: TextArea.Changed) -> None:
        event.stop()
        value = lines_to_items(self.text_area.text) or None
        if value != self._value:
            self._value = value
            self.hint_line.update(self._hint())
            self.changed(value)

    def load(self, value) -> None:
        items = [_as_text(v) for v in value] if isinstance(value, list) else []
        with self.prevent(TextArea.Changed):
            self.text_area.load_text("\n".join(items))
        self._value = lines_to_items(self.text_area.text) or None
        self.hint_line.update(self._hint())
