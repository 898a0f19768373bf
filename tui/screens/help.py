"""Documentation of one field, from botocore, as plain text."""

from __future__ import annotations

from rich.cells import cell_len
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
from smjob.widgets.hanging import Hanging, Row, path_breaks

MAX_WIDTH = 100  # the dialog's usual width: lines of prose
CHROME = 6  # the dialog's border, padding and scrollbar


class FieldHelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]
    DEFAULT_CSS = """
    FieldHelpScreen { align: center middle; }
    FieldHelpScreen > VerticalScroll {
        width: 90%; height: auto; max-height: 80%; border: round $primary; padding: 0 1;
        background: $surface;
    }
    """

    def __init__(self, path: FieldPath) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        node = request_schema().at(self.path)
        url = reference_url(self.path)
        box = VerticalScroll()
        # Wider than 100 columns where the screen has room (width 90%): the URL on one line, unbroken.
        box.styles.max_width = max(MAX_WIDTH, cell_len(url) + CHROME)
        with box:
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
            yield Static(Text("\nAPI reference:", style="dim"))
            # On a line of its own; in a narrower dialog it breaks after a `/` or before the #anchor.
            yield Static(Hanging([Row(Text(""), Text(url, style="underline"), path_breaks)]), classes="help-url")
            yield Static(Text("Esc closes", style="dim"))
