"""Submit: a confirmation that shows what is about to run where, then CreateTrainingJob in a worker."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from smjob.aws import AwsError, SubmitResult, Target
from smjob.durations import format_duration
from smjob.problems import ERROR
from smjob.tui.screens.dialogs import DIALOG_CSS
from smjob.widgets.base import literal


@dataclass
class SubmitOutcome:
    target: Target
    result: SubmitResult | None = None
    error: AwsError | None = None


def summary_lines(request: dict) -> list[tuple[str, str]]:
    """What a person checks before spending money: name, image, instances, limits, output."""
    algo = request.get("AlgorithmSpecification") or {}
    resources = request.get("ResourceConfig") or {}
    stopping = request.get("StoppingCondition") or {}
    if resources.get("InstanceGroups"):
        instances = ", ".join(
            f"{g.get('InstanceType')} x {g.get('InstanceCount')}"
            for g in resources["InstanceGroups"]
            if isinstance(g, dict)
        )
    else:
        instances = f"{resources.get('InstanceType', '?')} x {resources.get('InstanceCount', '?')}"
    runtime = stopping.get("MaxRuntimeInSeconds")
    spot = "yes" if request.get("EnableManagedSpotTraining") else "no"
    if spot == "yes" and isinstance(stopping.get("MaxWaitTimeInSeconds"), int):
        spot += f", max wait {format_duration(stopping['MaxWaitTimeInSeconds'])}"
    return [
        ("Job name", str(request.get("TrainingJobName", "?"))),
        ("Image", str(algo.get("TrainingImage") or algo.get("AlgorithmName") or "?")),
        ("Instances", instances),
        ("Max runtime", format_duration(runtime) if isinstance(runtime, int) else "default (1d)"),
        ("Spot", spot),
        ("Output", str((request.get("OutputDataConfig") or {}).get("S3OutputPath", "?"))),
        ("Role", str(request.get("RoleArn", "?"))),
    ]


class SubmitScreen(ModalScreen[SubmitOutcome | None]):
    """Dismisses with the outcome once CreateTrainingJob answered; stays open to show failures."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="submit.cancel")]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="SubmitScreen")
        + """
    SubmitScreen .summary { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
    SubmitScreen .target-row { height: 1; }
    SubmitScreen .target-label { width: 12; }
    SubmitScreen .target-row Input { width: 1fr; }
    SubmitScreen #identity { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    SubmitScreen #identity { color: $text-muted; }
    """
    )

    class Finished(Message):
        def __init__(self, outcome: SubmitOutcome) -> None:
            super().__init__()
            self.outcome = outcome

    class Identified(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, request: dict, target: Target, problems) -> None:
        super().__init__()
        self.request = request
        self.target = target
        self.errors = [p for p in problems if p.severity == ERROR]
        self.in_flight = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Submit this training job?", classes="dialog-title")
            # One line per fact, cut with an ellipsis: the buttons must stay on screen at 80x24.
            table = Text(no_wrap=True, overflow="ellipsis")
            for label, value in summary_lines(self.request):
                table.append(f"{label:<12}", style="bold")
                table.append_text(literal(value))
                table.append("\n")
            table.rstrip()
            yield Static(table, classes="summary")
            for name, label, value, placeholder in (
                ("profile", "Profile", self.target.profile, "default credentials"),
                ("region", "Region", self.target.region, "default region"),
                ("endpoint", "Endpoint", self.target.endpoint_url, "AWS (default)"),
            ):
                with Horizontal(classes="target-row"):
                    yield Static(Text(f"{label:<12}", style="bold"), classes="target-label")
                    yield Input(value or "", placeholder=placeholder, id=name, compact=True)
            yield Static("Account     checking…", id="identity")
            if self.errors:
                yield Static(
                    Text(f"Not ready: {len(self.errors)} error(s). Fix them first (F3 lists them).", style="bold red"),
                    classes="dialog-error",
                )
            else:
                yield Static("", classes="dialog-error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Submit", id="submit", variant="success", disabled=bool(self.errors))

    def on_mount(self) -> None:
        self.identify(self.current_target())
        self.query_one("#cancel" if self.errors else "#submit").focus()

    def current_target(self) -> Target:
        value = {
            name: self.query_one(f"#{name}", Input).value.strip() or None for name in ("profile", "region", "endpoint")
        }
        return Target(value["profile"], value["region"], value["endpoint"])

    @work(thread=True, exclusive=True, group="identity")
    def identify(self, target: Target) -> None:
        from smjob import aws

        self.post_message(self.Identified(aws.whoami(target).describe()))

    @on(Identified)
    def _identified(self, event: Identified) -> None:
        line = Text("Account     ", style="bold") + literal(event.text.removeprefix("account "))
        line.no_wrap, line.overflow = True, "ellipsis"
        self.query_one("#identity", Static).update(line)

    @on(Input.Submitted)
    def _target_changed(self) -> None:
        self.identify(self.current_target())

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        if self.in_flight or self.errors:
            return  # one submission at a time
        self.in_flight = True
        button = self.query_one("#submit", Button)
        button.disabled = True
        button.label = "Submitting…"
        self.query_one(".dialog-error", Static).update("")
        self.send(self.request, self.current_target())

    @work(thread=True, exclusive=True, group="submit")
    def send(self, request: dict, target: Target) -> None:
        from smjob import aws

        try:
            result = aws.submit(request, target)
            self.post_message(self.Finished(SubmitOutcome(result.target, result=result)))
        except AwsError as exc:
            self.post_message(self.Finished(SubmitOutcome(target, error=exc)))
        except Exception as exc:  # never lose the app (or the draft) to an unexpected error
            error = AwsError("other", f"unexpected error while submitting: {type(exc).__name__}: {exc}")
            self.post_message(self.Finished(SubmitOutcome(target, error=error)))

    @on(Finished)
    def _finished(self, event: Finished) -> None:
        self.in_flight = False
        if event.outcome.result is not None:
            self.dismiss(event.outcome)
            return
        error = event.outcome.error
        self.app.submission_failed(self.request, event.outcome)
        self.query_one(".dialog-error", Static).update(
            Text(f"{error.kind}: ", style="bold red") + literal(error.message)
        )
        button = self.query_one("#submit", Button)
        button.disabled = False
        button.label = "Try again"

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.in_flight:
            self.notify("The request is being sent; wait for the answer.", severity="warning")
            return
        self.dismiss(None)
