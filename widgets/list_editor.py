"""Lists of structures (channels, metric definitions, rules, instance groups): one line per item,
and the form of the selected item below.

With a collapsible per item, 40 metric definitions were 200 widgets and 20 channels took over a
second to show; here the list is one widget and only the selected item has a form. Add, duplicate,
move and remove act on the selected item and post the whole list; edits inside the form post
their own paths, which the editor mirrors, so it never reads app state.
"""

from __future__ import annotations

import copy

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from smjob.editing import set_at
from smjob.paths import FieldPath
from smjob.schema import Node
from smjob.widgets.base import field_id, literal
from smjob.widgets.line_list import LineList
from smjob.widgets.messages import FieldChanged


class ListEditor(Vertical):
    DEFAULT_CSS = """
    ListEditor { height: auto; margin: 0 0 1 0; }
    ListEditor > .list-title { height: 1; text-style: bold; }
    ListEditor > .item-tools { height: 1; margin: 0 0 1 0; }
    ListEditor > .item-tools Button { min-width: 5; margin: 0 2 0 0; }
    ListEditor > .item-form { height: auto; padding: 0 0 0 2; border-left: solid $primary-darken-2; }
    ListEditor > .item-form > .item-heading { height: 1; text-style: bold; color: $text-muted; }
    """

    def __init__(self, node: Node, path: FieldPath, value, *, label: str | None = None) -> None:
        super().__init__(id=field_id(path), classes="list-editor")
        self.node, self.path = node, path
        self.items: list = copy.deepcopy(value) if isinstance(value, list) else []
        self.cursor = 0
        self.label_text = label or node.name
        self.item_list = LineList(classes="item-list")
        self.form = Vertical(classes="item-form")

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
        with Horizontal(classes="item-tools"):
            yield Button(f"+ Add {self.node.item.shape}", id="add", classes="list-add", compact=True)
            yield Button("Duplicate", id="item-dup", compact=True)
            yield Button("↑", id="item-up", tooltip="Move up", compact=True)
            yield Button("↓", id="item-down", tooltip="Move down", compact=True)
            yield Button("Remove", id="item-del", variant="error", compact=True)
        yield self.form

    async def on_mount(self) -> None:
        await self._show()

    def _refresh_list(self) -> None:
        self.cursor = max(0, min(self.cursor, len(self.items) - 1))
        self.item_list.set_rows([self.title_of(i) for i in range(len(self.items))], self.cursor)
        self.item_list.display = bool(self.items)
        for button_id in ("item-dup", "item-up", "item-down", "item-del"):
            self.query_one(f"#{button_id}", Button).disabled = not self.items
        self.query_one("#item-up", Button).disabled = self.cursor == 0
        self.query_one("#item-down", Button).disabled = self.cursor >= len(self.items) - 1

    async def _show(self) -> None:
        """The list, and the form of the selected item (rebuilt: its paths hold the index)."""
        from smjob.widgets.form import member_editors  # form imports this module

        self._refresh_list()
        with self.app.batch_update():  # one repaint for the swap, not one per step
            await self.form.remove_children()
            if not self.items:
                return
            index = self.cursor
            widgets = [Static(self._heading(), classes="item-heading")]
            widgets += member_editors(self.node.item, self.path + (index,), self.items[index])
            await self.form.mount_all(widgets)

    def _heading(self) -> Text:
        heading = Text(f"{self.node.item.shape} ")
        heading.append_text(literal(self.title_of(self.cursor)))
        return heading

    def _update_heading(self) -> None:
        for heading in self.form.query(".item-heading"):
            if heading.parent is self.form:
                heading.update(self._heading())

    async def select_item(self, index: int) -> None:
        if 0 <= index < len(self.items) and (index != self.cursor or not self.form.children):
            self.cursor = index
            await self._show()

    def focus_input(self) -> None:
        (self.item_list if self.items else self.query_one("#add", Button)).focus()

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

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        if event.button.parent is None or event.button.parent.parent is not self:
            return  # a button inside the item's form
        event.stop()
        await self.apply(event.button.id or "")
        if event.button.id == "add":
            self.focus_form()

    async def apply(self, action: str) -> None:
        """`add`, `item-dup`, `item-up`, `item-down` or `item-del` on the selected item."""
        index = self.cursor
        if action == "add":
            self.items.append({})
            self.cursor = len(self.items) - 1
        elif not self.items:
            return
        elif action == "item-del":
            self.items.pop(index)
        elif action == "item-dup":
            self.items.insert(index + 1, copy.deepcopy(self.items[index]))
            self.cursor = index + 1
        elif action == "item-up" and index > 0:
            self.items[index - 1], self.items[index] = self.items[index], self.items[index - 1]
            self.cursor = index - 1
        elif action == "item-down" and index < len(self.items) - 1:
            self.items[index + 1], self.items[index] = self.items[index], self.items[index + 1]
            self.cursor = index + 1
        else:
            return
        self.post_message(FieldChanged(self.path, copy.deepcopy(self.items) if self.items else None))
        await self._show()

    @on(FieldChanged)
    def _track(self, event: FieldChanged) -> None:
        rel = event.path[len(self.path) :]
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
            if len(rel) == 2 and index == self.cursor:  # the item's name may have changed
                self._refresh_list()
                self._update_heading()

    def load(self, value) -> None:
        self.items = copy.deepcopy(value) if isinstance(value, list) else []
        self.cursor = 0
        self.call_later(self._show)

    def show_problems(self, messages) -> None:
        pass  # list-level problems appear in the problems panel and on the section badge
