"""Maps (HyperParameters, Environment, rule parameters) and Key/Value tag lists as rows of inputs."""

from __future__ import annotations

import json

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from smjob.keyvalue import parse_key_value_lines
from smjob.paths import Path
from smjob.schema import Node
from widgets.base import FieldEditor, literal

DUPLICATE = "duplicate key: the last row with it is used"
NO_KEY = "no key: this row is left out"


def is_key_value_list(node: Node | None) -> bool:
    """A list of structures whose members are exactly Key and Value (Tags)."""
    item = node.item if node is not None and node.kind == "list" else None
    return item is not None and item.kind == "structure" and {m.name for m in item.members} == {"Key", "Value"}


def _as_text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def _length_text(node: Node | None, noun: str) -> str:
    if node is None:
        return ""
    text = f"{noun} "
    low, high = node.min, node.max
    if high is not None and not low:
        text += f"≤{int(high)} chars"
    elif low is not None or high is not None:
        text += f"{'' if low is None else int(low)}..{'' if high is None else int(high)} chars"
    else:
        text += node.constraint_text()
    if node.pattern and node.pattern not in (".*", "[\\S\\s]*"):
        text += f" /{node.pattern}/"
    return text


class KeyValueRow(Vertical):
    """One `key = value [x]` row and its error line. Ids come from a counter, never from the text."""

    DEFAULT_CSS = """
    KeyValueRow { height: auto; }
    KeyValueRow > Horizontal { height: 1; }
    KeyValueRow .kv-key { width: 1fr; }
    KeyValueRow .kv-eq { width: 3; content-align: center middle; color: $text-muted; }
    KeyValueRow .kv-value { width: 2fr; }
    KeyValueRow .kv-remove { width: 3; min-width: 3; margin: 0 0 0 1; }
    KeyValueRow > .kv-error { height: 1; color: $error; display: none; padding: 0 0 0 2; }
    KeyValueRow.-error > .kv-error { display: block; }
    """

    def __init__(self, number: int, key: str = "", value: str = "") -> None:
        super().__init__(id=f"row-{number}", classes="kv-row")
        self.number = number
        self.key_input = Input(key, placeholder="key", compact=True, id=f"k-{number}", classes="kv-key", validate_on=["submitted"])
        self.value_input = Input(value, placeholder="value", compact=True, id=f"v-{number}", classes="kv-value",
                                 validate_on=["submitted"])
        self.remove_button = Button("✕", compact=True, id=f"x-{number}", classes="kv-remove", tooltip="Remove this row")
        self.error_line = Static("", classes="kv-error")
        self._error = ""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield self.key_input
            yield Static("=", classes="kv-eq")
            yield self.value_input
            yield self.remove_button
        yield self.error_line

    @property
    def key(self) -> str:
        return self.key_input.value

    @property
    def value(self) -> str:
        return self.value_input.value

    def set_error(self, text: str) -> None:
        if text != self._error:
            self._error = text
            self.set_class(bool(text), "-error")
            self.error_line.update(literal(text))

    @property
    def error(self) -> str:
        return self._error


class PasteKeyValueScreen(ModalScreen[list[tuple[str, str]] | None]):
    """A TextArea for pasted `key=value` lines; dismisses with the parsed rows, or None."""

    DEFAULT_CSS = """
    PasteKeyValueScreen { align: center middle; }
    PasteKeyValueScreen > #paste {
        width: 72; max-width: 100%; height: 22; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    PasteKeyValueScreen #paste-title { height: auto; }
    PasteKeyValueScreen #paste-text { height: 1fr; }
    PasteKeyValueScreen #paste-status { height: auto; max-height: 4; color: $text-muted; }
    PasteKeyValueScreen #paste-status.-bad { color: $warning; }
    PasteKeyValueScreen #paste-buttons { height: 1; align-horizontal: right; }
    PasteKeyValueScreen #paste-buttons > Button { width: auto; min-width: 8; margin: 0 0 0 2; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("f2", "merge", "Merge")]

    def __init__(self, title: str = "") -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="paste"):
            title = Text("Paste into ", style="bold")
            title.append_text(literal(self.title_text))
            title.append(": one key=value, key: value or export KEY=value per line; "
                         "# comments and blank lines are skipped. Existing keys are updated.", style="")
            yield Static(title, id="paste-title")
            yield TextArea("", soft_wrap=False, tab_behavior="focus", id="paste-text",
                           placeholder="learning_rate=0.01\nexport EPOCHS=10\nbatch_size: 64")
            yield Static("", id="paste-status")
            with Horizontal(id="paste-buttons"):
                yield Button("Merge F2", variant="primary", compact=True, id="paste-merge")
                yield Button("Cancel Esc", compact=True, id="paste-cancel")

    def on_mount(self) -> None:
        self.query_one("#paste-text", TextArea).focus()
        self._update_status()

    def _parse(self) -> tuple[list[tuple[str, str]], list[str]]:
        return parse_key_value_lines(self.query_one("#paste-text", TextArea).text)

    def _update_status(self) -> None:
        rows, errors = self._parse()
        keys = len({key for key, _ in rows})
        status = Text(f"{keys} key{'s' if keys != 1 else ''} to merge")
        if errors:
            status.append(f"; {len(errors)} line{'s' if len(errors) != 1 else ''} skipped:\n")
            status.append_text(literal("\n".join(errors[:3] + (["…"] if len(errors) > 3 else []))))
        line = self.query_one("#paste-status", Static)
        line.update(status)
        line.set_class(bool(errors), "-bad")

    @on(TextArea.Changed, "#paste-text")
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._update_status()

    @on(Button.Pressed, "#paste-merge")
    def _merge_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_merge()

    @on(Button.Pressed, "#paste-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_merge(self) -> None:
        rows, _ = self._parse()
        self.dismiss(rows)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MapEditor(FieldEditor):
    """Rows of key/value inputs. Any edit posts the whole map (row order kept); empty posts None."""

    DEFAULT_CSS = """
    MapEditor > .kv-rows { height: auto; }
    MapEditor > .kv-buttons { height: 1; margin: 0 0 0 0; }
    MapEditor > .kv-buttons > Button { width: auto; min-width: 5; margin: 0 2 0 0; }
    """

    def __init__(self, node: Node, path: Path, value=None, *, label: str | None = None) -> None:
        super().__init__(node, path, value, label=label)
        self._counter = 0
        self._rows: list[KeyValueRow] = [self._new_row(k, v) for k, v in self._rows_from_value(value)]
        if not self._rows:
            self._rows.append(self._new_row())
        self._value = self._value_from_rows(self._pairs())
        self.rows_box = Vertical(*self._rows, classes="kv-rows")
        self.hint_line = Static("", classes="field-hint")

    # --- what subclasses change: the shape of the value ------------------------------------

    def _rows_from_value(self, value) -> list[tuple[str, str]]:
        if not isinstance(value, dict):
            return []
        return [(_as_text(k), _as_text(v)) for k, v in value.items()]

    def _value_from_rows(self, pairs: list[tuple[str, str]]):
        out = {k: v for k, v in pairs if k}
        return out or None

    def _limits(self) -> tuple[Node, Node | None, Node | None]:
        """(node with the entry count limits, key node, value node)."""
        return self.node, self.node.key, self.node.value

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from self.compose_label()
        yield self.rows_box
        with Horizontal(classes="kv-buttons"):
            yield Button("+ Add", compact=True, classes="kv-add", tooltip="Add a row")
            yield Button("Paste key=value lines…", compact=True, classes="kv-paste",
                         tooltip="Paste many key=value lines at once")
        yield self.hint_line
        yield from self.compose_error()

    def on_mount(self) -> None:
        self._check()

    def _new_row(self, key: str = "", value: str = "") -> KeyValueRow:
        self._counter += 1
        return KeyValueRow(self._counter, key, value)

    def _pairs(self) -> list[tuple[str, str]]:
        return [(row.key, row.value) for row in self._rows]

    @property
    def value(self):
        """The value last posted (or loaded)."""
        return self._value

    @property
    def rows(self) -> list[KeyValueRow]:
        return list(self._rows)

    def _hint(self) -> Text:
        count_node, key_node, value_node = self._limits()
        entries = len({row.key for row in self._rows if row.key})
        low = "" if count_node.min is None else int(count_node.min)
        high = "" if count_node.max is None else int(count_node.max)
        parts = [f"{entries} entr{'y' if entries == 1 else 'ies'} (allowed {low}..{high})"]
        for node, noun in ((key_node, "key"), (value_node, "value")):
            if node is not None:
                parts.append(_length_text(node, noun))
        return literal(" · ".join(parts))

    def _check(self) -> None:
        """Mark duplicate and keyless rows and refresh the hint."""
        counts: dict[str, int] = {}
        for row in self._rows:
            if row.key:
                counts[row.key] = counts.get(row.key, 0) + 1
        for row in self._rows:
            if row.key and counts[row.key] > 1:
                row.set_error(DUPLICATE)
            elif not row.key and row.value:
                row.set_error(NO_KEY)
            else:
                row.set_error("")
        self.hint_line.update(self._hint())

    def _sync(self) -> None:
        """After an edit: refresh the marks and post the map if it changed."""
        self._check()
        value = self._value_from_rows(self._pairs())
        if value != self._value:
            self._value = value
            self.changed(value)

    # --- editing ---------------------------------------------------------------------------

    def _row_of(self, widget) -> KeyValueRow | None:
        for node in widget.ancestors_with_self:
            if isinstance(node, KeyValueRow):
                return node if node in self._rows else None
        return None

    @on(Input.Changed, ".kv-key, .kv-value")
    def _edited(self, event: Input.Changed) -> None:
        event.stop()
        if self._row_of(event.input) is not None:
            self._sync()

    @on(Input.Submitted, ".kv-key")
    def _key_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        row = self._row_of(event.input)
        if row is not None:
            row.value_input.focus()

    @on(Input.Submitted, ".kv-value")
    def _value_submitted(self, event: Input.Submitted) -> None:
        """Enter in a value goes to the next row's key, adding a row after the last one."""
        event.stop()
        row = self._row_of(event.input)
        if row is None:
            return
        index = self._rows.index(row)
        if index + 1 < len(self._rows):
            self._rows[index + 1].key_input.focus()
        elif row.key:
            self.add_row(focus=True)

    @on(Button.Pressed, ".kv-remove")
    def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        row = self._row_of(event.button)
        if row is not None:
            self.remove_row(row)

    @on(Button.Pressed, ".kv-add")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        last = self._rows[-1] if self._rows else None
        if last is not None and not last.key and not last.value:
            last.key_input.focus()  # an empty row is already waiting
        else:
            self.add_row(focus=True)

    @on(Button.Pressed, ".kv-paste")
    def _paste_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_paste()

    def add_row(self, key: str = "", value: str = "", *, focus: bool = False) -> KeyValueRow:
        row = self._new_row(key, value)
        self._rows.append(row)
        self.rows_box.mount(row)
        if focus:
            self.call_after_refresh(row.key_input.focus)
        self._sync()
        return row

    def remove_row(self, row: KeyValueRow) -> None:
        index = self._rows.index(row)
        self._rows.remove(row)
        had_focus = row.has_focus_within
        row.remove()
        if not self._rows:
            replacement = self._new_row()
            self._rows.append(replacement)
            self.rows_box.mount(replacement)
        if had_focus:
            target = self._rows[min(index, len(self._rows) - 1)].key_input
            self.call_after_refresh(target.focus)
        self._sync()

    def focus_input(self) -> None:
        # Rows being removed stay in the DOM for a moment; the list of rows is the truth.
        if self._rows:
            self._rows[0].key_input.focus()

    def action_paste(self) -> None:
        self.app.push_screen(PasteKeyValueScreen(self.label_text), self._pasted)

    def _pasted(self, pairs: list[tuple[str, str]] | None) -> None:
        if pairs:
            self.merge(pairs)
        # After the modal is gone: the screen gives focus back to the Paste button first.
        self.call_after_refresh(self.focus_input)

    def merge(self, pairs: list[tuple[str, str]]) -> None:
        """Update rows whose key is given (the last such row) and append the others."""
        for row in [r for r in self._rows if not r.key and not r.value]:
            self._rows.remove(row)
            row.remove()
        by_key = {row.key: row for row in self._rows if row.key}
        new_rows = []
        for key, value in pairs:
            row = by_key.get(key)
            if row is not None:
                with self.prevent(Input.Changed):
                    row.value_input.value = value
            else:
                row = by_key[key] = self._new_row(key, value)
                new_rows.append(row)
                self._rows.append(row)
        if not self._rows:
            new_rows.append(self._new_row())
            self._rows.append(new_rows[-1])
        if new_rows:
            self.rows_box.mount(*new_rows)
        self._sync()

    def load(self, value) -> None:
        old = self._rows
        self._rows = [self._new_row(k, v) for k, v in self._rows_from_value(value)] or [self._new_row()]
        self._value = self._value_from_rows(self._pairs())
        if self.is_mounted:
            for row in old:
                row.remove()
            self.rows_box.mount(*self._rows)
        else:  # not composed yet: compose will yield the new box
            self.rows_box = Vertical(*self._rows, classes="kv-rows")
        self._check()


class TagListEditor(MapEditor):
    """A list of {Key, Value} structures (Tags) edited as rows; posts `[{"Key": k, "Value": v}, ...]`."""

    def _rows_from_value(self, value) -> list[tuple[str, str]]:
        if not isinstance(value, list):
            return []
        return [(_as_text(item.get("Key")), _as_text(item.get("Value"))) for item in value if isinstance(item, dict)]

    def _value_from_rows(self, pairs: list[tuple[str, str]]):
        merged = MapEditor._value_from_rows(self, pairs)
        return [{"Key": k, "Value": v} for k, v in merged.items()] if merged else None

    def _limits(self) -> tuple[Node, Node | None, Node | None]:
        item = self.node.item
        return self.node, item.member("Key") if item else None, item.member("Value") if item else None
