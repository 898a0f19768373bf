"""Forms generated from the schema tree: one editor per field kind, nested structures and lists.

A member added to botocore appears here with no UI code. Nested structures and list items are
collapsible and build their contents only when expanded, so a 20-channel job mounts fast.
"""

from __future__ import annotations

import copy

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Collapsible, Static

from smjob.editing import set_at
from smjob.paths import Path
from smjob.schema import Node
from widgets.base import FieldEditor, field_id, literal
from widgets.fields import ChoiceField, NumberField, TextField
from widgets.messages import FieldChanged


def is_instance_type(node: Node) -> bool:
    # The instance-type enums are the big ones whose values all look like `ml.<family>.<size>`.
    return len(node.enum) > 50 and all(v.startswith("ml.") for v in node.enum)


def is_key_value_list(node: Node) -> bool:
    return node.kind == "list" and node.item is not None and node.item.kind == "structure" and \
        {m.name for m in node.item.members} == {"Key", "Value"}


def editor_for(node: Node, path: Path, value, *, label: str | None = None):
    """The widget that edits `node` at `path`, showing `value`."""
    if node.kind == "structure":
        return StructureCollapsible(node, path, value, label=label)
    if node.kind == "list":
        if is_key_value_list(node):
            from widgets.map_editor import TagListEditor

            return TagListEditor(node, path, value, label=label)
        if node.item is not None and node.item.kind == "structure":
            return ListEditor(node, path, value, label=label)
        from widgets.string_list import StringListEditor

        return StringListEditor(node, path, value, label=label)
    if node.kind == "map":
        from widgets.map_editor import MapEditor

        return MapEditor(node, path, value, label=label)
    if node.kind == "string" and is_instance_type(node):
        from widgets.instance_picker import InstanceTypeField

        return InstanceTypeField(node, path, value, label=label)
    if node.kind == "boolean" or node.enum:
        return ChoiceField(node, path, value, label=label)
    if node.kind in ("integer", "long", "float", "double"):
        return NumberField(node, path, value, label=label)
    return TextField(node, path, value, label=label)


def member_editors(node: Node, path: Path, value) -> list:
    value = value if isinstance(value, dict) else {}
    return [editor_for(m, path + (m.name,), value.get(m.name)) for m in node.members]


class StructureCollapsible(Collapsible):
    """A nested structure; its members are mounted the first time it is expanded."""

    DEFAULT_CSS = """
    StructureCollapsible { height: auto; padding: 0; margin: 0 0 1 0; border-top: none; }
    StructureCollapsible > Contents { padding: 0 0 0 2; }
    """

    def __init__(self, node: Node, path: Path, value, *, label: str | None = None,
                 collapsed: bool | None = None) -> None:
        # A Text title: list item titles hold user strings, which must never be read as markup.
        title = Text((label or node.name) + (" *" if node.required else ""))
        collapsed = not value if collapsed is None else collapsed
        # Expanded ones are built now, in the same mount as their parent (one layout pass);
        # collapsed ones build on first expand, so 20 channels cost 20 title rows, not 2,000 widgets.
        children = [] if collapsed else self._contents(node, path, value)
        super().__init__(*children, title=title, collapsed=collapsed, id=field_id(path))
        self.node, self.path, self.value = node, path, value
        self.built = not collapsed

    def _contents(self, node: Node, path: Path, value) -> list:
        doc = node.doc.split("\n")[0] if node.doc else ""
        widgets = [Static(literal(doc[:200]), classes="structure-doc")] if doc else []
        return widgets + member_editors(node, path, value)

    @on(Collapsible.Expanded)
    async def _expanded(self, event: Collapsible.Expanded) -> None:
        if event.collapsible is self:
            await self.ensure_built()

    async def ensure_built(self) -> None:
        if self.built:
            return
        self.built = True
        await self.query_one(Collapsible.Contents).mount_all(self._contents(self.node, self.path, self.value))

    @on(FieldChanged)
    def _track(self, event: FieldChanged) -> None:
        # Keep a local mirror so a rebuild shows current values; the event keeps bubbling.
        rel = event.path[len(self.path):]
        if event.path[: len(self.path)] == self.path and rel:
            self.value = set_at(copy.deepcopy(self.value) if isinstance(self.value, dict) else {}, rel, event.value)


class ListItem(StructureCollapsible):
    """One item of a ListEditor. Its move/duplicate/remove buttons are inside, built with the form,
    so a collapsed item costs three widgets (40 metric definitions were 320 widgets with them outside).
    """

    def _contents(self, node: Node, path: Path, value) -> list:
        index = path[-1]
        tools = Horizontal(Button("↑", id=f"up-{index}", tooltip="Move up", compact=True),
                           Button("↓", id=f"down-{index}", tooltip="Move down", compact=True),
                           Button("Duplicate", id=f"dup-{index}", compact=True),
                           Button("Remove", id=f"del-{index}", variant="error", compact=True), classes="item-tools")
        return [tools, *super()._contents(node, path, value)]


class ListEditor(Vertical):
    """A list of structures (channels, metric definitions, rules, instance groups...).

    Add, remove, duplicate and reorder post the whole list; edits inside an item post their own
    paths. The editor mirrors its list from those messages, so it never reads app state.
    """

    DEFAULT_CSS = """
    ListEditor { height: auto; margin: 0 0 1 0; }
    ListEditor > .list-title { height: 1; text-style: bold; }
    ListEditor .item-tools { height: 1; margin: 0 0 1 0; }
    ListEditor .item-tools Button { min-width: 5; margin: 0 2 0 0; }
    ListEditor > .list-add { height: 1; border: none; min-width: 12; }
    """

    def __init__(self, node: Node, path: Path, value, *, label: str | None = None) -> None:
        super().__init__(id=field_id(path), classes="list-editor")
        self.node, self.path = node, path
        self.items: list = copy.deepcopy(value) if isinstance(value, list) else []
        self.label_text = label or node.name

    def title_of(self, index: int) -> str:
        item = self.items[index]
        item_node = self.node.item
        name = ""
        if isinstance(item, dict):
            for member in item_node.members:
                if member.required and isinstance(item.get(member.name), str):
                    name = item[member.name]
                    break
        return f"[{index}] {name}".rstrip()

    def compose(self) -> ComposeResult:
        title = Text(self.label_text, style="bold")
        if self.node.required:
            title.append(" *", style="bold red")
        title.append(f"  {self.node.constraint_text()}", style="dim")
        yield Static(title, classes="list-title")
        for index in range(len(self.items)):
            item_path = self.path + (index,)
            yield ListItem(self.node.item, item_path, self.items[index], label=self.title_of(index),
                           collapsed=len(self.items) > 3 and index > 0)
        yield Button(f"+ Add {self.node.item.shape}", classes="list-add", id="add")

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if next(a for a in event.button.ancestors if isinstance(a, ListEditor)) is not self:
            return  # a button of a list inside one of the items
        event.stop()
        if button_id == "add":
            self.items.append({})
        else:
            action, _, index_text = button_id.partition("-")
            index = int(index_text)
            if action == "del":
                self.items.pop(index)
            elif action == "dup":
                self.items.insert(index + 1, copy.deepcopy(self.items[index]))
            elif action == "up" and index > 0:
                self.items[index - 1], self.items[index] = self.items[index], self.items[index - 1]
            elif action == "down" and index < len(self.items) - 1:
                self.items[index + 1], self.items[index] = self.items[index], self.items[index + 1]
        self.post_message(FieldChanged(self.path, copy.deepcopy(self.items) if self.items else None))
        await self.recompose()
        if button_id == "add" and self.items:
            last = self.query_one(f"#{field_id(self.path + (len(self.items) - 1,))}", StructureCollapsible)
            last.collapsed = False
            last.focus()

    @on(FieldChanged)
    def _track(self, event: FieldChanged) -> None:
        rel = event.path[len(self.path):]
        if event.path[: len(self.path)] != self.path or not rel or not isinstance(rel[0], int):
            return
        index = rel[0]
        if index < len(self.items):
            if len(rel) == 1:
                self.items[index] = event.value if event.value is not None else {}
            else:
                if not isinstance(self.items[index], dict):
                    self.items[index] = {}
                set_at(self.items[index], rel[1:], event.value)
            if len(rel) == 2:
                self._retitle(index)

    def _retitle(self, index: int) -> None:
        try:
            collapsible = self.query_one(f"#{field_id(self.path + (index,))}", StructureCollapsible)
        except Exception:
            return
        collapsible.title = Text(self.title_of(index))

    def load(self, value) -> None:
        self.items = copy.deepcopy(value) if isinstance(value, list) else []
        self.call_later(self.recompose)

    def show_problems(self, messages) -> None:
        pass  # list-level problems appear in the problems panel and on the section badge


__all__ = ["editor_for", "member_editors", "StructureCollapsible", "ListEditor", "FieldEditor"]
