"""Documentation of one field, from botocore, as plain text."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from smjob.field_notes import note_for, reference_url
from smjob.paths import FieldPath, format_path
from smjob.schema import request_schema
from smjob.widgets.base import literal


class FieldHelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]
    DEFAULT_CSS = """
    FieldHelpScreen { align: center middle; }
    FieldHelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: auto; max-height: 80%; border: round $primary; padding: 0 1;
        background: $surface;
    }
    """

    def __init__(self, path: FieldPath) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        node = request_schema().at(self.path)
        with VerticalScroll():
            title = Text(format_path(self.path) or "CreateTrainingJob", style="bold")
            yield Static(title)
            if node is None:
                yield Static("No documentation for this path.")
                return
            facts = [f"type: {node.constraint_text()}", "required" if node.required else "optional"]
            if node.enum and len(node.enum) <= 20:
                facts.append("values: " + ", ".join(node.enum))
            yield Static(literal("  ".join(facts)), classes="help-facts")
            yield Static(literal(node.doc or "(no documentation in the model)"))
            note = note_for(self.path)
            if note:
                heading = Text("\nsmjob's note", style="bold")
                yield Static(heading + Text("  (not from the AWS documentation)", style="dim"))
                yield Static(literal(note))
            yield Static(Text("\nAPI reference: ", style="dim") + Text(reference_url(self.path), style="underline"))
            yield Static(Text("Esc closes", style="dim"))
