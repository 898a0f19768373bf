"""Small modal dialogs: a question with keyed answers (confirm is one), open a file, paste a request."""

from __future__ import annotations

import os
from typing import NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from smjob.load import LoadError, LoadResult, load_file, load_text
from smjob.widgets.base import literal
from smjob.widgets.inputs import TextInput
from smjob.widgets.text_box import TextBox

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 100; height: auto; max-height: 90%; border: round $primary; padding: 0 1;
    background: $surface;
}}
{name} .dialog-title {{ text-style: bold; }}
{name} .dialog-error {{ color: $error; height: auto; }}
{name} .buttons {{ height: auto; align-horizontal: right; }}
{name} .buttons Button {{ margin: 0 0 0 1; }}
"""


class Choice(NamedTuple):
    answer: str  # what the dialog returns, and its button's id
    label: str
    key: str  # answers at once; shown on the button
    variant: str = "default"


class ChoiceScreen(ModalScreen):
    """A question with a few answers, each a button with its own key; escape answers `escape`."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ChoiceScreen")
    BINDINGS = [Binding("escape", "answer_escape", "Cancel", id="choice.cancel")]

    def __init__(self, question: str, choices, *, focus: str, disabled=(), escape: str = "cancel") -> None:
        """`choices`: (answer, label, key[, variant]); `disabled`: answers shown but not offered."""
        super().__init__()
        self.question, self.choices = question, [Choice(*choice) for choice in choices]
        self.first, self.disabled, self.escape = focus, set(disabled), escape

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.question))
            with Horizontal(classes="buttons"):
                for answer, label, key, variant in self.choices:
                    yield Button(f"{label} ({key})", id=answer, variant=variant, disabled=answer in self.disabled)

    def on_mount(self) -> None:
        self.query_one(f"#{self.first}").focus()

    def on_key(self, event) -> None:
        for choice in self.choices:
            if event.key == choice.key and choice.answer not in self.disabled:
                event.stop()
                self.answer(choice.answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.answer(event.button.id)

    def action_answer_escape(self) -> None:
        self.answer(self.escape)

    def answer(self, answer: str) -> None:
        self.dismiss(answer)


class ConfirmScreen(ChoiceScreen):
    """Yes (y) or no (n, escape; focused first): dismisses with a bool."""

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(question, [("no", no, "n"), ("yes", yes, "y", "warning")], focus="no", escape="no")

    def answer(self, answer: str) -> None:
        self.dismiss(answer == "yes")


MAX_SHOWN = 8  # candidates listed under the path when Tab cannot decide


def complete_path(typed: str) -> tuple[str, list[str]]:
    """Tab completion of `typed`: (the new text, the matching names). The text grows by the
    common prefix of the matching entries; a lone directory gets a trailing `/`. `~` is kept as
    typed; hidden entries match only a name starting with a dot."""
    head, name = os.path.split(typed)
    folder = os.path.expanduser(head) or "."
    try:
        with os.scandir(folder) as entries:
            found = sorted(
                (e.name + ("/" if e.is_dir() else "") for e in entries if e.name.startswith(name)),
                key=str.lower,
            )
    except OSError:
        return typed, []
    if not name.startswith("."):
        found = [f for f in found if not f.startswith(".")]
    if not found:
        return typed, []
    common = os.path.commonprefix(found)  # noqa: RUF071 (by character: a name's prefix, as a shell completes)
    return os.path.join(head, common) if head else common, found


class OpenFileScreen(ModalScreen[LoadResult | None]):
    """Ask for a path, load it; on error say why (file:line:col) and stay open. Tab completes."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="open.cancel"),
        Binding("tab", "complete", "Complete", id="open.complete", priority=True),
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="OpenFileScreen") + "OpenFileScreen #path-hint { color: $text-muted; }"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Open a JSON or YAML request (Tab completes the path)", classes="dialog-title")
            # Tabbing back in keeps the cursor at the end: a selected path would go at the next key.
            yield TextInput(placeholder="path/to/job.json", id="path", select_on_focus=False)
            yield Static("", id="path-hint")
            yield Static("", classes="dialog-error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Open", id="open", variant="primary")

    def action_complete(self) -> None:
        """Tab in the path: complete it; when nothing can be added, Tab moves on as usual."""
        field = self.query_one("#path", Input)
        if self.focused is not field:
            self.focus_next()
            return
        text, found = complete_path(field.value)
        hint = self.query_one("#path-hint", Static)
        if text != field.value:
            field.value = text
            field.cursor_position = len(text)
        elif len(found) > 1:
            more = f"  (+{len(found) - MAX_SHOWN} more)" if len(found) > MAX_SHOWN else ""
            hint.update(literal("  ".join(found[:MAX_SHOWN]) + more))
            return
        else:
            self.focus_next()
            return
        hint.update(literal("  ".join(found[:MAX_SHOWN])) if len(found) > 1 else "")

    @on(Input.Submitted)
    @on(Button.Pressed, "#open")
    def _open(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        if not path:
            return
        try:
            result = load_file(path)
        except LoadError as exc:
            self.query_one(".dialog-error", Static).update(literal(str(exc)))
            return
        self.dismiss(result)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class PasteRequestScreen(ModalScreen[LoadResult | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="paste.cancel"),
        Binding("f10", "load", "Load", id="paste.load"),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="PasteRequestScreen")
        + """
    PasteRequestScreen TextArea { height: 12; }
    """
    )

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Paste a JSON or YAML request (F10 loads it)", classes="dialog-title")
            yield TextBox(id="text", soft_wrap=False, show_line_numbers=True)
            yield Static("", classes="dialog-error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Load (F10)", id="load", variant="primary")

    @on(Button.Pressed, "#load")
    def action_load(self) -> None:
        text = self.query_one(TextArea).text
        try:
            result = load_text(text, source="pasted text")
        except LoadError as exc:
            self.query_one(".dialog-error", Static).update(literal(str(exc)))
            return
        self.dismiss(result)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
