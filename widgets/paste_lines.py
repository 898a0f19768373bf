"""A modal to paste many `key=value` lines into a map (HyperParameters, Environment, Tags)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from smjob.keyvalue import parse_key_value_lines
from smjob.widgets.base import literal
from smjob.widgets.text_box import TextBox


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
            title.append(
                ": one key=value, key: value or export KEY=value per line; "
                "# comments and blank lines are skipped. Existing keys are updated.",
                style="",
            )
            yield Static(title, id="paste-title")
            yield TextBox(
                "",
                soft_wrap=False,
                tab_behavior="focus",
                id="paste-text",
                placeholder="learning_rate=0.01\nexport EPOCHS=10\nbatch_size: 64",
            )
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
