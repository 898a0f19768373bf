"""What every field editor shares: its path, its schema node, a label, a hint and an error line."""

from __future__ import annotations

import contextlib
import hashlib

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.widget import Widget
from textual.widgets import Static

from smjob.paths import FieldPath, format_path
from smjob.schema import Node
from smjob.terminal_text import visible
from smjob.widgets.field_sources import source_note
from smjob.widgets.messages import ShowHelp
from smjob.widgets.owner import OwnedWidget


def field_id(path: FieldPath) -> str:
    """A stable, CSS-safe widget id for a request path (map keys may hold any character)."""
    return "f-" + hashlib.blake2s(format_path(path).encode(), digest_size=6).hexdigest()


def literal(text: str) -> Text:
    """User strings are shown as plain text: `[red]` and control characters stay visible, never applied."""
    return Text(visible(text, multiline=True))


def update_if_changed(static: Static, text: Text) -> None:
    """Static.update asks for a layout of the whole screen (about 90 ms with a large form on this
    machine): per keystroke, update only when the text really changed."""
    if getattr(static, "_smjob_text", None) != text:
        static._smjob_text = text
        static.update(text)


def wrap_shape(plain: str) -> tuple:
    """What decides how a text wraps at a given width: its length and where its spaces and breaks are."""
    return len(plain), tuple(i for i, c in enumerate(plain) if c in " \n")


class MessageLine(Static):
    """A field's problem line. Static.update lays the screen out again; a message that wraps as the
    shown one does (a count that changes on each key: "at most 255 characters (is 1000001)") takes the
    same room, so it is only repainted: the relayout and full repaint cost ~10 ms a key."""

    _keep_layout = False
    _shape: tuple | None = None

    def show_text(self, text: Text) -> None:
        shape = wrap_shape(text.plain)
        self._keep_layout = shape == self._shape and self.is_mounted
        self._shape = shape
        try:
            self.update(text)
        finally:
            self._keep_layout = False

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        return super().refresh(*regions, repaint=repaint, layout=layout and not self._keep_layout, recompose=recompose)


class FieldEditor(OwnedWidget, Vertical):
    """Base for editors. Subclasses compose the input widget and hand edits to `apply(value)`."""

    DEFAULT_CSS = """
    FieldEditor { height: auto; margin: 0 0 1 0; border-left: blank; }
    FieldEditor > .field-label { height: auto; }
    /* Focus must be obvious in every theme, not a one-shade change: a bar in the gutter and a
       highlighted label on the field holding the focus (the innermost one's bar is also shown).
       A class set on focus, not :focus-within: for that, Textual restyles the whole subtree of the
       outermost field on every focus change (a map's, about 10 ms a Tab or a section switch). */
    FieldEditor.-focused { border-left: thick $accent; }
    FieldEditor.-focused > .field-label { background: $accent 25%; }
    FieldEditor > .field-error { height: auto; color: $error; display: none; }
    FieldEditor.-invalid > .field-error { display: block; }
    FieldEditor.-warning > .field-error { color: $warning; display: block; }
    """

    BINDINGS = [Binding("f1", "field_help", "Help", id="field.help")]
    _shown_problems: list | None = None
    SHOWS_ENTRIES = False  # a map or a list of strings: its keys and items have no field of their own
    _error_line: MessageLine | None = None

    def __init__(self, node: Node, path: FieldPath, value=None, *, label: str | None = None) -> None:
        super().__init__(id=field_id(path), classes="field-editor")
        self.node = node
        self.path = path
        self.initial = value
        self.label_text = label or node.name

    # A field is its header (label and constraints on one line), its input, and an error line
    # mounted on the first problem: three widgets, not five, because every widget costs memory
    # and time on each section switch (a channel's form has about 25 fields).
    def header(self, hint: str | Text = "") -> Text:
        text = Text(self.label_text, style="bold")
        if self.node.required:
            text.append(" *", style="bold red")
        if note := source_note(self):  # a new job's value from config.yaml or smjob defaults
            text.append("  ")
            text.append(literal(note).plain, style="italic green")
        if hint:
            text.append("  ")
            start = len(text)
            text.append_text(hint if isinstance(hint, Text) else literal(hint))
            text.stylize("dim", start)
        return text

    def constraint_hint(self, extra: str = "") -> str:
        hint = self.node.constraint_text(max_pattern=40)
        return f"{hint}  {extra}" if hint and extra else hint or extra

    def compose_label(self, hint: str | Text = "") -> ComposeResult:
        yield Static(self.header(hint), classes="field-label field-hint")

    def set_hint(self, hint: str | Text) -> None:
        with contextlib.suppress(Exception):  # not composed yet
            update_if_changed(self.query_one(".field-label", Static), self.header(hint))

    def apply(self, value, *, typing: bool = False) -> None:
        """The user set this field to `value` (None: not set): the owner applies it, once.
        `typing`: from a keystroke (TextInput's `edited`), coalesced into one undo step per word."""
        self.owner.apply_edit(self.path, value, typing=typing)

    @property
    def value(self):
        """The value in the request (the owner's), not a copy kept here."""
        return self.owner.value_at(self.path)

    def show_own_problems(self, owner) -> None:
        """The owner's problems for this field (and its entries, for an editor that shows them)."""
        self.show_problems(owner.problems_at(self.path, inner=self.SHOWS_ENTRIES))

    def show_problems(self, messages: list[tuple[str, str]]) -> None:
        """`messages` are (severity, text) pairs for this field; empty clears the error line."""
        if messages == self._shown_problems:
            return  # re-validation after every keystroke: touch the DOM only on a change
        self._shown_problems = list(messages)
        errors = [m for s, m in messages if s == "error"]
        warnings = [m for s, m in messages if s != "error"]
        self.set_class(bool(errors), "-invalid")
        self.set_class(not errors and bool(warnings), "-warning")
        if self._error_line is None:
            if not messages or not self.is_mounted:
                return
            self._error_line = MessageLine("", classes="field-error")
            self.mount(self._error_line)
        self._error_line.show_text(literal("\n".join(short(m) for m in errors or warnings)))
        keep_focus_in_view(self.screen)

    def load(self, value) -> None:
        """Show `value` (the owner's, after an undo) without handing it back as an edit."""

    def on_descendant_focus(self, event) -> None:
        self._mark_focused()
        # Textual scrolls only the focused input into view, which can leave its label above the
        # top edge; after that scroll, show the whole field (label, input, error) when it fits.
        if next((a for a in event.widget.ancestors if isinstance(a, FieldEditor)), None) is self:
            show_focused_field_later(self.screen)

    def on_descendant_blur(self, event) -> None:
        self._mark_focused()

    def _mark_focused(self) -> None:
        # From where the focus is now, not from the event: a blur and a focus inside this field come
        # from two widgets' queues, in either order.
        focused = self.screen.focused if self.is_attached else None
        set_focus_mark(self, focused is not None and self in focused.ancestors, ".field-label")

    def show_whole(self) -> None:
        """Scroll the whole field into view if it fits, else keep the focused input in view."""
        focused = self.screen.focused if self.is_attached else None
        if focused is None or self not in focused.ancestors or not self.region or not focused.region:
            return  # not laid out: Textual would defer the scroll, holding the widget until a refresh
        scroller = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        if self.screen.can_view_entire(self):
            return
        if scroller is not None and self.outer_size.height <= scroller.scrollable_content_region.height:
            self.scroll_visible(animate=False, immediate=True)
        else:
            focused.scroll_visible(animate=False, immediate=True)

    def focus_input(self) -> None:
        for child in self.query("Input, ChoiceBox, TextArea, Checkbox, Button"):
            if child.focusable:
                child.focus()
                return

    def action_field_help(self) -> None:
        self.post_message(ShowHelp(self.path))


class MarksFocus:
    """Mixin for a widget that marks where the focus is among its children (`_mark_focused`, from
    `focused_now()`) each time the focus moves inside it."""

    def on_descendant_focus(self, _event) -> None:
        self._mark_focused()

    def on_descendant_blur(self, _event) -> None:
        self._mark_focused()

    def focused_now(self) -> Widget | None:
        return self.screen.focused if self.is_attached else None


def set_focus_mark(widget: Widget, focused: bool, label: str) -> None:
    """The `-focused` class (gutter bar, highlighted label) on `widget`, restyling only it and its
    `label` children: the nodes the -focused rules style, not the whole subtree."""
    if widget.has_class("-focused") == focused:
        return
    widget.set_class(focused, "-focused", update=False)
    widget.app.stylesheet.update_nodes([widget, *widget.query_children(label)], animate=False)


MESSAGE_CHARS = 400  # under a field: a message quoting a 1 MB value wrapped to 20,000 lines (seconds a key)


def short(message: str) -> str:
    """A message cut to a few lines' worth; the whole one stays in the problems list and F1."""
    return (
        message
        if len(message) <= MESSAGE_CHARS
        else message[:MESSAGE_CHARS] + f"… (+{len(message) - MESSAGE_CHARS:,} chars)"
    )


def show_problems_in(container, owner) -> None:
    """Inline problems for editors just mounted in `container` (a list item's form, an expanded
    structure): the last validation ran before they existed."""
    for editor in container.query(FieldEditor):
        editor.show_own_problems(owner)


def keep_focus_in_view(screen) -> None:
    """An error line appearing or growing above the field being typed in pushes it down: once the
    new layout is there, scroll the focused widget back into view (once per validation)."""
    if getattr(screen, "_focus_check_pending", False):
        return
    screen._focus_check_pending = True

    def check() -> None:
        screen._focus_check_pending = False
        focused = screen.focused
        if focused is not None and screen.is_active and focused.region and not screen.can_view_entire(focused):
            focused.scroll_visible(animate=False, immediate=True)

    screen.call_after_refresh(check)


def show_focused_field_later(screen) -> None:
    """After the next refresh, show the whole field holding the focus then (FieldEditor.show_whole).
    The callback holds the screen only: a field removed meanwhile (a section switch) is not kept alive."""

    def show() -> None:
        focused = screen.focused
        editor = next((a for a in focused.ancestors if isinstance(a, FieldEditor)), None) if focused else None
        if editor is not None:
            editor.show_whole()

    screen.call_after_refresh(show)
