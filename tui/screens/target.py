"""Change AWS target…: the profile, region and endpoint the app's lookups (and the next submit)
use (the status bar shows smjob.aws.Target.short_label)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from smjob.aws import Target
from smjob.tui.screens.dialogs import DIALOG_CSS
from smjob.widgets.base import literal
from smjob.widgets.inputs import TextInput

FIELDS = (
    ("profile", "Profile", "default credentials (AWS_PROFILE)"),
    ("region", "Region", "the profile's region"),
    ("endpoint", "Endpoint", "AWS (or http://127.0.0.1:5000)"),
)


class TargetScreen(ModalScreen[Target | None]):
    """Dismisses with the new Target, or None on Escape."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="TargetScreen")
        + """
    TargetScreen .target-row { height: 1; }
    TargetScreen .target-label { width: 12; }
    TargetScreen .target-row Input { width: 1fr; background: $boost; }
    TargetScreen .target-row Input:focus { background: $primary 30%; }
    TargetScreen .dialog-note { color: $text-muted; height: auto; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, target: Target) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        values = {"profile": self.target.profile, "region": self.target.region, "endpoint": self.target.endpoint_url}
        with Vertical():
            yield Static("AWS target for lookups and submit", classes="dialog-title")
            yield Static(
                "Pickers look up roles, buckets, images... here; Enter on the last field applies.",
                classes="dialog-note",
            )
            for name, label, placeholder in FIELDS:
                with Horizontal(classes="target-row"):
                    yield Static(Text(f"{label:<12}", style="bold"), classes="target-label")
                    yield TextInput(values[name] or "", placeholder=placeholder, id=name, compact=True)
            yield Static("", classes="dialog-error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Use it", id="apply", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#profile", Input).focus()

    def _typed(self) -> Target | None:
        from smjob.workflows.options import OptionError, check_endpoint_url

        value = {name: self.query_one(f"#{name}", Input).value.strip() or None for name, _, _ in FIELDS}
        try:
            endpoint = value["endpoint"] and check_endpoint_url(value["endpoint"])
        except OptionError as exc:
            self.query_one(".dialog-error", Static).update(Text("endpoint: ", style="bold") + literal(str(exc)))
            return None
        return Target(value["profile"], value["region"], endpoint)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == FIELDS[-1][0]:
            self._apply()
        else:
            self.focus_next()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply":
            self._apply()
        else:
            self.dismiss(None)

    def _apply(self) -> None:
        target = self._typed()
        if target is not None:
            self.dismiss(target)

    def action_cancel(self) -> None:
        self.dismiss(None)
