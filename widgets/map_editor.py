"""Maps (HyperParameters, Environment, rule parameters) and Key/Value tag lists: a list and one edit line."""

from __future__ import annotations

import json

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from smjob.paths import FieldPath, format_path
from smjob.schema import Node
from smjob.secrets import MASK, looks_secret
from smjob.widgets.base import FieldEditor, literal, update_if_changed
from smjob.widgets.button_bar import BarButton, ButtonBar
from smjob.widgets.inputs import TextInput
from smjob.widgets.kv_list import KeyValueList
from smjob.widgets.limit_words import allowed_count, length_text, limit_text, pattern_text
from smjob.widgets.textual_fixes import hand_over_keys

DUPLICATE = "duplicate key: the last row with it is used"
NO_KEY = "no key: this row is left out"


def _as_text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def limits_text(entries: int, count_node: Node, key_node: Node | None, value_node: Node | None) -> str:
    """`3 entries (allowed 0..50) · key 1..128, value ≤256 chars: letters, ...`: a pattern both
    share is said once (Tags' keys and values: four lines at 80 columns when said twice)."""
    parts = [f"{entries} entr{'y' if entries == 1 else 'ies'} {allowed_count(count_node)}"]
    key_words = pattern_text(key_node)
    if key_words and key_words == pattern_text(value_node):
        both = ", ".join(t for t in (length_text(key_node, "key"), length_text(value_node, "value")) if t)
        return " · ".join([*parts, f"{both}: {key_words}"])
    parts += [limit_text(node, noun) for node, noun in ((key_node, "key"), (value_node, "value")) if node is not None]
    return " · ".join(parts)


def _editor_of(widget) -> MapEditor | None:
    return next((a for a in widget.ancestors if isinstance(a, MapEditor)), None)


class _EntryInput(TextInput):
    """The key or the value edit line: ↑/↓ select the entry above or below, as they do in the list."""

    BINDINGS = [
        Binding("up", "entry(-1)", "Previous entry", show=False),
        Binding("down", "entry(1)", "Next entry", show=False),
    ]

    def action_entry(self, step: int) -> None:
        editor = _editor_of(self)
        if editor is not None and 0 <= editor.cursor + step < len(editor.pairs):
            editor.select(editor.cursor + step)  # the focus stays on this line, its caret at the end


class _ValueInput(_EntryInput):
    """The value's edit line; tells its editor when it gains or loses focus (a secret shows only then)."""

    def on_focus(self) -> None:
        self._focus_moved()

    def on_blur(self) -> None:
        self._focus_moved()

    def _focus_moved(self) -> None:
        if (editor := _editor_of(self)) is not None:
            editor.update_masking()


class MapEditor(FieldEditor):
    """A map as a list of `key = value` lines plus one key/value pair of Inputs for the selected line.

    Typing edits the selected entry; Enter in the value moves to the next entry (adding one after
    the last). Any edit applies the whole map (entry order kept); an empty map applies None. However
    many entries, the editor has a dozen widgets. The rows shown are this editor's (they may hold
    blank, keyless and duplicate entries the value leaves out); the value is the owner's.
    """

    SHOWS_ENTRIES = True

    DEFAULT_CSS = """
    MapEditor > .kv-edit { height: 1; }
    MapEditor .kv-key { width: 1fr; max-width: 60%; }
    MapEditor .kv-eq { width: 3; content-align: center middle; color: $text-muted; }
    MapEditor .kv-value { width: 2fr; }
    MapEditor > .kv-row-error { height: 1; color: $warning; display: none; padding: 0 0 0 2; }
    MapEditor.-row-error > .kv-row-error { display: block; }
    """

    def __init__(self, node: Node, path: FieldPath, value=None, *, label: str | None = None) -> None:
        super().__init__(node, path, value, label=label)
        self._pairs: list[list[str]] = [[k, v] for k, v in self._rows_from_value(value)] or [["", ""]]
        self.cursor = 0
        self._key_column = 0
        self.list_view = KeyValueList(classes="kv-list")
        first_key, first_value = self._pairs[0]
        self.key_input = _EntryInput(
            first_key,
            placeholder="key",
            compact=True,
            classes="kv-key",
            select_on_focus=False,
            validate_on=["submitted"],
            edited=self._typed,
        )
        self.value_input = _ValueInput(
            first_value,
            placeholder="value",
            compact=True,
            classes="kv-value",
            select_on_focus=False,
            validate_on=["submitted"],
            edited=self._typed,
        )
        self.buttons = ButtonBar(
            BarButton("kv-add", "+ Add"),
            BarButton("kv-remove", "Remove", variant="error"),
            BarButton("kv-paste", "Paste key=value lines…", short="Paste…"),
            classes="kv-buttons",
        )
        self.row_error_line = Static("", classes="kv-row-error")
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
        yield self.list_view
        with Horizontal(classes="kv-edit"):
            yield self.key_input
            yield Static("=", classes="kv-eq")
            yield self.value_input
        yield self.row_error_line
        yield self.buttons
        yield self.hint_line

    def on_mount(self) -> None:
        self._check()
        self.update_masking()

    # --- secret-looking Environment values (smjob.secrets): masked on screen but while edited -------

    @property
    def masks_secrets(self) -> bool:
        return self.path == ("Environment",)

    def _masked(self, key: str, value: str) -> bool:
        return self.masks_secrets and bool(value) and looks_secret(key)

    def update_masking(self) -> None:
        """The edit line shows the selected value in clear only while it has the focus."""
        key, value = self._pairs[self.cursor]
        # The screen's focus, not has_focus: that is set after this input's on_focus has run.
        editing = self.is_attached and self.screen.focused is self.value_input
        self.value_input.password = self._masked(key, value) and not editing

    # --- state ----------------------------------------------------------------------------

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Every entry shown, in order, including blank and keyless ones."""
        return [(k, v) for k, v in self._pairs]

    def row_errors(self) -> list[str]:
        """Per entry: DUPLICATE, NO_KEY or ""."""
        counts: dict[str, int] = {}
        for key, _ in self._pairs:
            if key:
                counts[key] = counts.get(key, 0) + 1
        return [
            DUPLICATE if key and counts[key] > 1 else NO_KEY if not key and value else "" for key, value in self._pairs
        ]

    def _hint(self) -> Text:
        count_node, key_node, value_node = self._limits()
        entries = len({key for key, _ in self._pairs if key})
        return literal(limits_text(entries, count_node, key_node, value_node))

    def _check(self) -> None:
        """Refresh the list (with duplicate / keyless marks), the selected entry's error and the hint."""
        errors = self.row_errors()
        rows = [(k, MASK if self._masked(k, v) else v, bool(e)) for (k, v), e in zip(self._pairs, errors, strict=True)]
        self.list_view.set_rows(rows, self.cursor)
        # The key input as wide as the list's key column (and its marker): the "=" lines up, and a
        # key is not cut at 16 columns while the list shows it whole. A layout only when it changes.
        if (width := self.list_view.key_width + 2) != self._key_column:
            self._key_column = self.key_input.styles.width = width
        self.list_view.display = len(self._pairs) > 1 or self._pairs[0] != ["", ""]
        self.buttons.set_disabled("kv-remove", not self.list_view.display)  # one empty entry: nothing to remove
        error = errors[self.cursor]
        self.update_masking()  # the selected entry, or its key, changed
        self.set_class(bool(error), "-row-error")
        update_if_changed(self.row_error_line, literal(error))  # per keystroke: lay out only on a change
        update_if_changed(self.hint_line, self._hint())

    def _sync(self, *, typing: bool = False) -> None:
        """After an edit: refresh the marks and apply the map if it changed."""
        self._check()
        value = self._value_from_rows(self.pairs)
        if value != self.value:
            # Typing coalesces per entry: the label names the entry ("Undid: HyperParameters, entry 2").
            label = f"{format_path(self.path)}, entry {self.cursor + 1}" if typing else None
            self.owner.apply_edit(self.path, value, typing=typing, label=label)

    def _show_selected(self) -> None:
        key, value = self._pairs[self.cursor]
        with self.prevent(Input.Changed):
            self.key_input.value, self.value_input.value = key, value
        self.key_input.cursor_position, self.value_input.cursor_position = len(key), len(value)

    # --- editing ---------------------------------------------------------------------------

    def select(self, index: int) -> None:
        self.cursor = max(0, min(index, len(self._pairs) - 1))
        self._show_selected()
        self._check()

    @on(KeyValueList.Moved, ".kv-list")
    def _moved(self, event: KeyValueList.Moved) -> None:
        event.stop()
        self.select(event.index)

    @on(KeyValueList.EditRequested, ".kv-list")
    def _edit_requested(self, event: KeyValueList.EditRequested) -> None:
        event.stop()
        self.value_input.focus()

    @on(KeyValueList.RemoveRequested, ".kv-list")
    def _remove_requested(self, event: KeyValueList.RemoveRequested) -> None:
        event.stop()
        self.remove_row(self.cursor, refocus=False)

    def _typed(self, _text: str) -> None:
        """A keystroke in the key or the value (TextInput's `edited`, inside the key's handler)."""
        if "=" in self.key_input.value and self._keys_refuse_equals():
            self._split_key()
        self._pairs[self.cursor] = [self.key_input.value, self.value_input.value]
        self._sync(typing=True)

    def _keys_refuse_equals(self) -> bool:
        """Keys whose pattern allows no '=' (Environment): `KEY=value` typed or pasted in the key is
        split. HyperParameters and tag keys may hold '=', so those are left as typed."""
        key_node = self._limits()[1]
        if not key_node or not key_node.pattern:
            return False
        from smjob.javaregex import compile_java

        regex = compile_java(key_node.pattern)
        return regex.fullmatch("A") is not None and regex.fullmatch("A=") is None

    def _split_key(self) -> None:
        """`KEY=value` in the key line: KEY stays, the rest goes before the value, typing goes on there."""
        key, _, rest = self.key_input.value.partition("=")
        with self.prevent(Input.Changed):
            self.key_input.value = key
            self.value_input.value = rest + self.value_input.value
        self.value_input.cursor_position = len(rest)
        self.screen.set_focus(self.value_input)  # now, not deferred: the next key typed goes to the value
        # Keys typed after '=' but already queued on the key line (a burst: fast typing, SSH) follow,
        # in order. Outside the prevent block: they would carry it, and their edits would not apply.
        hand_over_keys(self.key_input, self.value_input)

    @on(Input.Changed, ".kv-key, .kv-value")
    def _edited(self, event: Input.Changed) -> None:
        event.stop()  # already applied by `_typed`

    @on(Input.Submitted, ".kv-key")
    def _key_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.value_input.focus()

    @on(Input.Submitted, ".kv-value")
    def _value_submitted(self, event: Input.Submitted) -> None:
        """Enter in a value goes to the next entry's key, adding an entry after the last one."""
        event.stop()
        if self.cursor + 1 < len(self._pairs):
            self.select(self.cursor + 1)
            self.key_input.focus()
        elif self._pairs[self.cursor][0]:
            self.add_row(focus=True)

    @on(ButtonBar.Pressed, ".kv-buttons")
    def _pressed(self, event: ButtonBar.Pressed) -> None:
        event.stop()
        if event.button_id == "kv-remove":
            self.remove_row(self.cursor)
        elif event.button_id == "kv-paste":
            self.action_paste()
        elif self._pairs[-1] == ["", ""]:
            self.select(len(self._pairs) - 1)  # an empty entry is already waiting
            self.key_input.focus()
        else:
            self.add_row(focus=True)

    def add_row(self, key: str = "", value: str = "", *, focus: bool = False) -> None:
        self._pairs.append([key, value])
        self.select(len(self._pairs) - 1)
        if focus:
            self.key_input.focus()
        self._sync()

    def remove_row(self, index: int, *, refocus: bool = True) -> None:
        del self._pairs[index]
        if not self._pairs:
            self._pairs.append(["", ""])
        self.select(min(index, len(self._pairs) - 1))
        if refocus and self.buttons.has_focus:  # Remove pressed in the bar: the next key edits the entry shown
            self.key_input.focus()
        self._sync()

    def focus_input(self) -> None:
        self.key_input.focus()

    def action_paste(self) -> None:
        from smjob.widgets.paste_lines import PasteKeyValueScreen  # TextArea: loaded when first pasting

        self.app.push_screen(PasteKeyValueScreen(self.label_text), self._pasted)

    def _pasted(self, pairs: list[tuple[str, str]] | None) -> None:
        if pairs:
            self.merge(pairs)
        # After the modal is gone: the screen gives focus back to the Paste button first.
        self.call_after_refresh(self.focus_input)

    def merge(self, pairs: list[tuple[str, str]]) -> None:
        """Update entries whose key is given (the last such entry) and append the others."""
        self._pairs = [p for p in self._pairs if p != ["", ""]]
        by_key = {pair[0]: pair for pair in self._pairs if pair[0]}
        for key, value in pairs:
            if key in by_key:
                by_key[key][1] = value
            else:
                by_key[key] = [key, value]
                self._pairs.append(by_key[key])
        if not self._pairs:
            self._pairs.append(["", ""])
        self.select(0)
        self._sync()

    def load(self, value) -> None:
        """Show `value` (after an undo); the selected entry stays selected if it still exists."""
        self._pairs = [[k, v] for k, v in self._rows_from_value(value)] or [["", ""]]
        self.cursor = min(self.cursor, len(self._pairs) - 1)
        self._show_selected()
        if self.is_mounted:
            self._check()


class TagListEditor(MapEditor):
    """A list of {Key, Value} structures (Tags) edited as rows; applies `[{"Key": k, "Value": v}, ...]`."""

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
