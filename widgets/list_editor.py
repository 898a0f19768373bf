"""Lists of structures (channels, metric definitions, rules, instance groups): one line per item,
and the form of the selected item below.

With a collapsible per item, 40 metric definitions were 200 widgets and 20 channels took over a
second to show; here the list is one widget and only the selected item has a form. Add, duplicate,
move and remove act on the selected item and apply the whole list. The items are read from the
request's owner, never copied here; fields in the item's form reach the owner through this editor
(it is their nearest RequestOwner), which lets it retitle the item when its name is typed.
"""

from __future__ import annotations

import copy

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from smjob.paths import FieldPath, format_path
from smjob.schema import Node
from smjob.widgets.base import MarksFocus, field_id, literal, set_focus_mark, show_problems_in, update_if_changed
from smjob.widgets.button_bar import BarButton, ButtonBar
from smjob.widgets.line_list import LineList
from smjob.widgets.owner import OwnedWidget

ACTION_LABELS = {
    "add": "add to",
    "item-dup": "duplicate in",
    "item-up": "move up in",
    "item-down": "move down in",
    "item-del": "remove from",
}


class ListEditor(MarksFocus, OwnedWidget, Vertical):
    DEFAULT_CSS = """
    ListEditor { height: auto; margin: 0 0 1 0; border-left: blank; }
    ListEditor > .list-title { height: 1; text-style: bold; }
    /* The focus on the list itself (its lines or buttons) is shown as a field's is (FieldEditor). */
    ListEditor.-focused { border-left: thick $accent; }
    ListEditor.-focused > .list-title { background: $accent 25%; }
    ListEditor > .item-tools { margin: 0 0 1 0; }
    ListEditor > .item-form { height: auto; padding: 0 0 0 2; border-left: solid $primary-darken-2; }
    ListEditor > .item-form > .item-heading { height: 1; text-style: bold; color: $text-muted; }
    """

    def __init__(self, node: Node, path: FieldPath, value=None, *, label: str | None = None) -> None:
        # `value` is not kept: the items are the owner's (see `items`).
        super().__init__(id=field_id(path), classes="list-editor")
        self.node, self.path = node, path
        self.cursor = 0
        self.label_text = label or node.name
        self.item_list = LineList(classes="item-list")
        self.form: Vertical  # the selected item's form, made in compose

    # --- the items: the owner's ------------------------------------------------------------

    @property
    def items(self) -> list:
        value = self.owner.value_at(self.path)
        return value if isinstance(value, list) else []

    # The item form's fields find this editor as their owner: it passes everything on.
    def value_at(self, path: FieldPath):
        return self.owner.value_at(path)

    def apply_edit(self, path: FieldPath, value, *, typing: bool = False, label: str | None = None) -> None:
        self.owner.apply_edit(path, value, typing=typing, label=label)
        rel = path[len(self.path) :]
        if len(rel) == 2 and rel[0] == self.cursor:  # a member of the shown item: its name may have changed
            self.refresh_titles()

    def problems_at(self, path: FieldPath, *, inner: bool = False) -> list[tuple[str, str]]:
        return self.owner.problems_at(path, inner=inner)

    # --- what is shown ---------------------------------------------------------------------

    def title_of(self, index: int) -> str:
        """`[i] name`: the first required string member names the item (ChannelName, Name...)."""
        item = self.items[index]
        name = ""
        if isinstance(item, dict):
            for member in self.node.item.members:
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
        yield self.item_list
        self.tools = ButtonBar(
            BarButton("add", f"+ Add {self.node.item.shape}", short="+ Add"),
            BarButton("item-dup", "Duplicate"),
            BarButton("item-up", "↑"),
            BarButton("item-down", "↓"),
            BarButton("item-del", "Remove", variant="error"),
            classes="item-tools",
        )
        yield self.tools
        # The first item's form is composed with the list, not mounted from on_mount: on a slow machine
        # on_mount came before the (empty) form was mounted, and mounting into it raised MountError.
        self.form = Vertical(*self._item_widgets(), classes="item-form")
        yield self.form

    def on_mount(self) -> None:
        self._refresh_list()
        show_problems_in(self.form, self.owner)

    def _refresh_list(self) -> None:
        count = len(self.items)
        self.cursor = max(0, min(self.cursor, count - 1))
        self.item_list.set_rows([self.title_of(i) for i in range(count)], self.cursor)
        self.item_list.display = bool(count)
        tools = self.tools
        tools.set_disabled("item-dup", not count)
        tools.set_disabled("item-del", not count)
        tools.set_disabled("item-up", self.cursor == 0)
        tools.set_disabled("item-down", self.cursor >= count - 1)

    def refresh_titles(self) -> None:
        self._refresh_list()
        self._update_heading()

    async def _show(self) -> None:
        """The list, and the form of the selected item (rebuilt: its paths hold the index)."""
        self._refresh_list()
        with self.app.batch_update():  # one repaint for the swap, not one per step
            await self.form.remove_children()
            widgets = self._item_widgets()
            if widgets:
                await self.form.mount_all(widgets)
                show_problems_in(self.form, self.owner)

    def _item_widgets(self) -> list:
        """The selected item's heading and fields (none when the list is empty)."""
        from smjob.widgets.form import member_editors  # form imports this module

        items = self.items
        if not items:
            return []
        return [  # the cursor is in range: 0 when composed, kept so by _refresh_list after
            Static(self._heading(), classes="item-heading"),
            *member_editors(self.node.item, self.path + (self.cursor,), items[self.cursor]),
        ]

    def _heading(self) -> Text:
        heading = Text(f"{self.node.item.shape} ")
        heading.append_text(literal(self.title_of(self.cursor)))
        return heading

    def _update_heading(self) -> None:
        for heading in self.form.query(".item-heading"):
            if heading.parent is self.form:
                update_if_changed(heading, self._heading())

    async def select_item(self, index: int) -> None:
        if 0 <= index < len(self.items) and (index != self.cursor or not self.form.children):
            self.cursor = index
            await self._show()

    def focus_input(self) -> None:
        if not self.items:
            self.tools.select("add")
        (self.item_list if self.items else self.tools).focus()

    def _mark_focused(self) -> None:
        # Only for the list's own lines and buttons: a field of the item's form shows its own mark.
        focused = self.focused_now()
        set_focus_mark(self, focused is not None and focused in (self.item_list, self.tools), ".list-title")

    def focus_form(self) -> None:
        from smjob.widgets.form import focus_first_editor  # form imports this module

        focus_first_editor(self.form)

    # --- editing ---------------------------------------------------------------------------

    @on(LineList.Moved, ".item-list")
    async def _moved(self, event: LineList.Moved) -> None:
        if event.line_list is not self.item_list:
            return
        event.stop()
        await self.select_item(event.index)

    @on(LineList.EditRequested, ".item-list")
    def _edit(self, event: LineList.EditRequested) -> None:
        if event.line_list is self.item_list:
            event.stop()
            self.focus_form()

    @on(LineList.RemoveRequested, ".item-list")
    async def _remove_key(self, event: LineList.RemoveRequested) -> None:
        if event.line_list is self.item_list:
            event.stop()
            await self.apply("item-del")
            if self.items:
                self.item_list.focus()

    @on(ButtonBar.Pressed)
    async def _pressed(self, event: ButtonBar.Pressed) -> None:
        if event.bar is not self.tools:
            return  # a bar inside the item's form
        event.stop()
        await self.apply(event.button_id)
        if event.button_id == "add":
            self.focus_form()
            self._say_editing("Added")

    def _say_editing(self, verb: str) -> None:
        """Focus moved into the new item's form: say where, so the move is never silent."""
        first = next(iter(self.form.query(".field-editor, StructureCollapsible, ListEditor")), None)
        name = getattr(first, "label_text", None) or getattr(getattr(first, "node", None), "name", "")
        where = f": editing {name}" if name else ""
        self.notify(f"{verb} {self.node.item.shape} [{self.cursor}]{where}", timeout=4, markup=False)

    async def apply(self, action: str) -> None:
        """`add`, `item-dup`, `item-up`, `item-down` or `item-del` on the selected item."""
        items = copy.deepcopy(self.items)  # changed in place, the owner would see no change to apply
        index = self.cursor
        if action == "add":
            items.append({})
            index = len(items) - 1
        elif not items:
            return
        elif action == "item-del":
            items.pop(index)
        elif action == "item-dup":
            items.insert(index + 1, copy.deepcopy(items[index]))
            index += 1
        elif action == "item-up" and index > 0:
            items[index - 1], items[index] = items[index], items[index - 1]
            index -= 1
        elif action == "item-down" and index < len(items) - 1:
            items[index + 1], items[index] = items[index], items[index + 1]
            index += 1
        else:
            return
        label = f"{ACTION_LABELS[action]} {format_path(self.path)}"
        self.owner.apply_edit(self.path, items or None, label=label)
        self.cursor = index
        await self._show()

    async def reload(self) -> None:
        """Show the owner's items again (after an undo), keeping the selection where it still exists."""
        await self._show()

    def show_problems(self, messages) -> None:
        pass  # list-level problems appear in the problems panel and on the section badge
