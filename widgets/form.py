"""Forms generated from the schema tree: one editor per field kind, nested structures and lists.

A member added to botocore appears here with no UI code. Nested structures are collapsible and
build their contents only when expanded; lists of structures show one item's form at a time
(widgets/list_editor.py).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.widgets import Collapsible, Static
from textual.widgets._collapsible import CollapsibleTitle

from smjob.doctext import summary
from smjob.paths import FieldPath
from smjob.schema import Node
from smjob.widgets.base import FieldEditor, field_id, literal, show_problems_in
from smjob.widgets.fields import ChoiceField, NumberField, TextField
from smjob.widgets.owner import OwnedWidget


def is_instance_type(node: Node) -> bool:
    # The instance-type enums are the big ones whose values all look like `ml.<family>.<size>`.
    return len(node.enum) > 50 and all(v.startswith("ml.") for v in node.enum)


def is_key_value_list(node: Node | None) -> bool:
    """A list of structures whose members are exactly Key and Value (Tags)."""
    item = node.item if node is not None and node.kind == "list" else None
    return item is not None and item.kind == "structure" and {m.name for m in item.members} == {"Key", "Value"}


def editor_for(node: Node, path: FieldPath, value, *, label: str | None = None):
    """The widget that edits `node` at `path`, showing `value`."""
    if node.kind == "structure":
        return StructureCollapsible(node, path, value, label=label)
    from smjob.widgets.pickers import PickerTextField, picker_kind

    kind = picker_kind(node)  # roles, S3 URIs, images, KMS keys, subnets / groups: F4 picks from the account
    if kind == "vpc":
        from smjob.widgets.pickers.list_field import PickerListField

        return PickerListField(node, path, value, label=label)
    if kind is not None:
        return PickerTextField(node, path, value, label=label)
    if node.kind == "list":
        if is_key_value_list(node):
            from smjob.widgets.map_editor import TagListEditor

            return TagListEditor(node, path, value, label=label)
        if node.item is not None and node.item.kind == "structure":
            from smjob.widgets.list_editor import ListEditor

            return ListEditor(node, path, value, label=label)
        from smjob.widgets.string_list import StringListEditor

        return StringListEditor(node, path, value, label=label)
    if node.kind == "map":
        from smjob.widgets.map_editor import MapEditor

        return MapEditor(node, path, value, label=label)
    if node.kind == "string" and is_instance_type(node):
        from smjob.widgets.instance_picker import InstanceTypeField

        return InstanceTypeField(node, path, value, label=label)
    if node.kind == "boolean" or node.enum:
        return ChoiceField(node, path, value, label=label)
    if node.kind in ("integer", "long", "float", "double"):
        return NumberField(node, path, value, label=label)
    return TextField(node, path, value, label=label)


def focus_first_editor(container) -> None:
    """Focus the first field, structure or list inside `container` (a form)."""
    for editor in container.query(".field-editor, StructureCollapsible, ListEditor"):
        if hasattr(editor, "focus_input"):  # field editors and list editors
            editor.focus_input()
        else:  # a Collapsible cannot take the focus: its title (Enter expands it) can
            editor.query_children(CollapsibleTitle).first().focus()
        return


def member_editors(node: Node, path: FieldPath, value) -> list:
    value = value if isinstance(value, dict) else {}
    return [editor_for(m, path + (m.name,), value.get(m.name)) for m in node.members]


class StructureCollapsible(OwnedWidget, Collapsible):
    """A nested structure; its members are mounted the first time it is expanded, with the owner's
    values at that time (the `value` given is used only to build an expanded one at once)."""

    DEFAULT_CSS = """
    StructureCollapsible { height: auto; padding: 0; margin: 0 0 1 0; border-top: none; }
    StructureCollapsible > Contents { padding: 0 0 0 2; }
    /* Focused, a structure's title has the fields' bar in the gutter (FieldEditor), its text unmoved. */
    StructureCollapsible > CollapsibleTitle:focus { border-left: thick $accent; padding-left: 0; }
    """

    def __init__(
        self, node: Node, path: FieldPath, value, *, label: str | None = None, collapsed: bool | None = None
    ) -> None:
        # A Text title: list item titles hold user strings, which must never be read as markup.
        title = Text((label or node.name) + (" *" if node.required else ""))
        collapsed = not value if collapsed is None else collapsed
        # Expanded ones are built now, in the same mount as their parent (one layout pass);
        # collapsed ones build on first expand, so 20 channels cost 20 title rows, not 2,000 widgets.
        children = [] if collapsed else self._contents(node, path, value)
        super().__init__(*children, title=title, collapsed=collapsed, id=field_id(path))
        self.node, self.path = node, path
        self.built = not collapsed

    def _contents(self, node: Node, path: FieldPath, value) -> list:
        doc = summary(node.doc) if node.doc else ""
        widgets = [Static(literal(doc), classes="structure-doc")] if doc else []
        return widgets + member_editors(node, path, value)

    @on(Collapsible.Expanded)
    async def _expanded(self, event: Collapsible.Expanded) -> None:
        if event.collapsible is self:
            await self.ensure_built()

    async def ensure_built(self) -> None:
        if self.built:
            return
        self.built = True
        await self._build()

    async def _build(self) -> None:
        contents = self.query_one(Collapsible.Contents)
        await contents.mount_all(self._contents(self.node, self.path, self.owner.value_at(self.path)))
        show_problems_in(contents, self.owner)

    async def reload(self) -> None:
        """Show the owner's values again (after an undo); a structure never expanded builds on expand."""
        if self.built:
            await self.query_one(Collapsible.Contents).remove_children()
            await self._build()


__all__ = ["FieldEditor", "StructureCollapsible", "editor_for", "member_editors"]
