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

from smjob.tui.screens.dialogs import DIALOG_CSS, ConfirmScreen
from smjob.widgets.base import literal
from smjob.widgets.inputs import TextInput
from smjob.workflows.exporting import EXTENSIONS, ExportResult, plan_export, write_export

LABELS = {
    "json": "JSON (--cli-input-json)",
    "yaml": "YAML (--cli-input-yaml)",
    "cli": "AWS CLI script",
    "python": "Python (boto3)",
}


class ExportScreen(ModalScreen[ExportResult | None]):
    """Dismisses with what smjob.workflows.exporting wrote (and recorded in `history`), or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="export.cancel")]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ExportScreen")
        + """
    ExportScreen RadioSet { width: 100%; }
    """
    )

    def __init__(
        self,
        request: dict,
        default_stem: str,
        fmt: str = "json",
        directory: str | None = None,
        *,
        history=None,
        ignore_rules=(),
        code=None,
        target=None,
    ) -> None:
        super().__init__()
        self.code = code  # smjob.code.CodeSettings: the completed request is exported (tui/code_export.py)
        self.target = target
        self.request = request
        self.history = history
        self.ignore_rules = tuple(ignore_rules)  # the job's rule overrides, recorded with the export
        self.default_stem = default_stem
        self.fmt = fmt
        self.directory = directory or os.getcwd()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Export the request", classes="dialog-title")
            with RadioSet(id="format"):
                for fmt, label in LABELS.items():
                    yield RadioButton(label, value=fmt == self.fmt, id=f"fmt-{fmt}")
            yield TextInput(value=self._default_path(self.fmt), id="path")
            if self.code is not None:
                from smjob.tui.code_export import code_choice

                yield from code_choice()
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
        try:
            if self.code is not None:
                from smjob.tui.code_export import plan_with_code

                plan = await plan_with_code(self, raw)
                if plan is None:
                    return
            else:
                plan = plan_export(self.request, self.fmt, raw)
        except ValueError as exc:
            self._error(str(exc))
            return
        question = plan.overwrite_question()  # names every file that would be replaced
        if question and not await self.app.push_screen_wait(ConfirmScreen(question, yes="Overwrite")):
            return
        try:
            result = write_export(plan, self.history, ignore_rules=self.ignore_rules)
        except OSError as exc:
            self._error(f"could not write {plan.path}: {exc}")
            return
        self.dismiss(result)

    def _error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(literal(message))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
