"""Export the request to a file: JSON, YAML, a CLI script or Python; atomic, never a silent overwrite."""

from __future__ import annotations

import os
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from smjob.files import write_atomic
from smjob.render import render
from smjob.tui.screens.dialogs import DIALOG_CSS, ConfirmScreen
from smjob.widgets.base import literal

EXTENSIONS = {"json": ".json", "yaml": ".yaml", "cli": ".sh", "python": ".py"}
LABELS = {
    "json": "JSON (--cli-input-json)",
    "yaml": "YAML (--cli-input-yaml)",
    "cli": "AWS CLI script",
    "python": "Python (boto3)",
}


def export_files(request: dict, fmt: str, path: Path) -> list[Path]:
    """Write the export; a CLI script too long for one argument also gets its JSON beside it."""
    if fmt == "cli":
        from smjob.render_cli import render_cli

        json_path = path.with_suffix(".json")
        text = render_cli(request, input_json_path=json_path.name)
        written = []
        if "--cli-input-json" in text:
            write_atomic(json_path, render(request, "json"))
            written.append(json_path)
        write_atomic(path, "#!/bin/sh\n" + text if not text.startswith("#!") else text, mode=0o755)
        return [path, *written]
    write_atomic(path, render(request, fmt))
    return [path]


class ExportScreen(ModalScreen[list[Path] | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="export.cancel")]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ExportScreen")
        + """
    ExportScreen RadioSet { width: 100%; }
    """
    )

    def __init__(self, request: dict, default_stem: str, fmt: str = "json", directory: str | None = None) -> None:
        super().__init__()
        self.request = request
        self.default_stem = default_stem
        self.fmt = fmt
        self.directory = directory or os.getcwd()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Export the request", classes="dialog-title")
            with RadioSet(id="format"):
                for fmt, label in LABELS.items():
                    yield RadioButton(label, value=fmt == self.fmt, id=f"fmt-{fmt}")
            yield Input(value=self._default_path(self.fmt), id="path")
            yield Static("", classes="dialog-error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Export", id="export", variant="primary")

    def _default_path(self, fmt: str) -> str:
        return str(Path(self.directory) / f"{self.default_stem}{EXTENSIONS[fmt]}")

    @on(RadioSet.Changed)
    def _format(self, event: RadioSet.Changed) -> None:
        new = (event.pressed.id or "fmt-json").removeprefix("fmt-")
        path_input = self.query_one("#path", Input)
        if path_input.value == self._default_path(self.fmt):
            path_input.value = self._default_path(new)
        self.fmt = new

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        self.export()

    @work(exclusive=True)
    async def export(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            return
        path = Path(os.path.expanduser(raw))
        if path.is_dir():
            self._error(f"{path} is a directory; give a file name")
            return
        if path.exists():
            ok = await self.app.push_screen_wait(ConfirmScreen(f"{path} exists. Overwrite it?", yes="Overwrite"))
            if not ok:
                return
        try:
            written = export_files(self.request, self.fmt, path)
        except (OSError, ValueError) as exc:
            self._error(f"could not write {path}: {exc}")
            return
        self.dismiss(written)

    def _error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(literal(message))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
