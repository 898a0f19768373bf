"""Small modal dialogs: confirm, open a file, paste a request."""

from __future__ import annotations

import os

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


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", id="confirm.no"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen")

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.question))
            with Horizontal(classes="buttons"):
                yield Button(f"{self.no} (n)", id="no")
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


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
