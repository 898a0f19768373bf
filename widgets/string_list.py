"""Lists of strings (Subnets, SecurityGroupIds, ContainerArguments, ...) as one item per line."""

from __future__ import annotations

import json

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from smjob.paths import FieldPath
from smjob.schema import Node
from smjob.widgets.base import FieldEditor, literal
from smjob.widgets.limit_words import allowed_count, limit_text
from smjob.widgets.line_list import one_line


def lines_to_items(text: str) -> list[str]:
    """One item per line; blank lines are dropped, spaces inside and around items are kept."""
    return [line for line in text.split("\n") if line.strip()]


def _as_text(item) -> str:
    return item if isinstance(item, str) else json.dumps(item)


class ItemsPreview(Static, can_focus=True):
    """The items as lines until the field is focused; then the editor swaps in a TextArea. TextArea
    and its document machinery (~1.5 MiB) load only when a string list is first edited."""

    DEFAULT_CSS = """
    ItemsPreview { height: auto; min-height: 3; max-height: 8; background: $boost; padding: 0 1; }
    ItemsPreview:focus { background-tint: $foreground 5%; }
    """

    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(self._content(text), **kwargs)

    @staticmethod
    def _content(text: str) -> Text:
        if not text:
            return Text("one item per line", style="dim")
        return Text("\n".join(one_line(line) for line in text.split("\n")), no_wrap=True, overflow="ellipsis")

    def show(self, text: str) -> None:
        self.update(self._content(text))

    async def on_focus(self) -> None:
        await self.parent.edit()

    async def on_click(self) -> None:
        await self.parent.edit()


class StringListEditor(FieldEditor):
    """One item per line. Applies the list of non-blank lines; no items applies None. The text shown
    is this editor's (blank lines are kept while typing); the value is the owner's."""

    SHOWS_ENTRIES = True

    DEFAULT_CSS = """
    StringListEditor > TextArea { height: auto; max-height: 8; min-height: 3; }
    """

    def __init__(self, node: Node, path: FieldPath, value=None, *, label: str | None = None) -> None:
        super().__init__(node, path, value, label=label)
        items = [_as_text(v) for v in value] if isinstance(value, list) else []
        self._text = "\n".join(items)
        self.text_area = None  # the TextArea, once the field has been focused
        self.preview = ItemsPreview(self._text, classes="string-list-preview")
        self.hint_line = Static("", classes="field-hint")

    def compose(self) -> ComposeResult:
        yield from self.compose_label()
        yield self.preview
        yield self.hint_line

    def on_mount(self) -> None:
        self.hint_line.update(self._hint())

    async def edit(self):
        """The TextArea (made on first use) with the focus in it."""
        if self.text_area is None:
            from smjob.widgets.text_box import TextBox

            self.text_area = TextBox(
                self._text,
                soft_wrap=False,
                tab_behavior="focus",
                placeholder="one item per line",
                classes="string-list",
            )
            await self.mount(self.text_area, after=self.preview)
            await self.preview.remove()
        self.text_area.focus()
        return self.text_area

    def focus_input(self) -> None:
        (self.text_area or self.preview).focus()

    def _hint(self) -> Text:
        node = self.node
        count = len(lines_to_items(self._text))
        parts = [f"{count} item{'' if count == 1 else 's'} {allowed_count(node)}, one per line"]
        item = node.item
        if item is not None and item.kind == "string" and not item.enum:
            parts.append(limit_text(item, "each"))  # in words, as a map's hint (F1 shows the regex)
        elif item is not None:
            parts.append(f"each {item.constraint_text()}")
        return literal(" · ".join(parts))

    def on_text_area_changed(self, event) -> None:  # by name: TextArea is imported only when used
        if event.text_area is not self.text_area:
            return
        event.stop()
        self._text = self.text_area.text
        value = lines_to_items(self._text) or None
        if value != self.value:
            self.hint_line.update(self._hint())
            self.apply(value, typing=True)

    def load(self, value) -> None:
        items = [_as_text(v) for v in value] if isinstance(value, list) else []
        self._text = "\n".join(items)
        if self.text_area is not None:
            with self.prevent(type(self.text_area).Changed):
                self.text_area.load_text(self._text)
        else:
            self.preview.show(self._text)
        self.hint_line.update(self._hint())
