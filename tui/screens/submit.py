"""Submit: a confirmation that shows what is about to run where, then smjob.workflows.submitting in a
worker (validate, CreateTrainingJob, record in the history). A name already in use can be retried
under a fresh name (the rule resubmit uses), shown before it is sent."""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from smjob.aws import Target
from smjob.durations import format_duration
from smjob.problems import ERROR
from smjob.tui.screens.dialogs import DIALOG_CSS
from smjob.tui.screens.preflight_panel import PreflightPanel, panel_for
from smjob.tui.screens.submit_checks import account_warning, progress_text, rule_warnings, warnings_text
from smjob.widgets.base import literal
from smjob.widgets.hanging import Hanging, labelled, path_breaks
from smjob.widgets.inputs import TextInput
from smjob.workflows.submitting import Submission, renamed_fresh

SubmitOutcome = Submission  # what the screen dismisses with
LABEL_WIDTH = 12
PATHS = {"Image", "Output", "Role"}  # wrapped after a `/` (or before the tag), never cut


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


def account_line(text: Text) -> Hanging:
    return Hanging([labelled("Account", LABEL_WIDTH, text)])


class SubmitScreen(ModalScreen[SubmitOutcome | None]):
    """Dismisses with the outcome once CreateTrainingJob answered; stays open to show failures."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="submit.cancel"),
        # Between the buttons when one has the focus (check_action lets an input keep its cursor keys).
        Binding("left", "move_button(-1)", "Previous button", show=False, id="submit.previous_button"),
        Binding("right", "move_button(1)", "Next button", show=False, id="submit.next_button"),
        # The body scrolls from anywhere in the dialog; the checks list pages through its checks itself.
        Binding("pageup", "scroll_body(-1)", "Page up", show=False, id="submit.page_up"),
        Binding("pagedown", "scroll_body(1)", "Page down", show=False, id="submit.page_down"),
    ]
    # on_mount chooses the focus; auto-focusing the profile first scrolled a full dialog past its title.
    AUTO_FOCUS = ""
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="SubmitScreen")
        + """
    /* Wide enough at 200 columns for an ECR image URI on one line; at 80 the values wrap under
       themselves (smjob.widgets.hanging) and the dialog scrolls, nothing is cut. */
    SubmitScreen > Vertical { width: 98%; max-width: 140; }
    SubmitScreen .target-row { height: 1; }
    SubmitScreen .target-label { width: 12; }
    SubmitScreen .target-note { color: $text-muted; height: 1; }
    /* Fields, not facts: a filled input look, brighter when focused. */
    SubmitScreen .target-row Input { width: 1fr; background: $boost; text-style: underline; }
    SubmitScreen .target-row Input:focus { background: $primary 30%; }
    SubmitScreen #identity { color: $text-muted; }
    SubmitScreen .-hidden { display: none; }
    /* The buttons stay in view at 80x24 however much is above them (preflight, warnings): the rest scrolls. */
    SubmitScreen > Vertical { overflow-y: auto; scrollbar-size-vertical: 1; }
    SubmitScreen > Vertical > .dialog-foot { dock: bottom; height: auto; }
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

    def __init__(self, request: dict, target: Target, problems, history=None, code=None, ignore_rules=()) -> None:
        super().__init__()
        # Listed in the dialog; any warning makes it start on Cancel (tui/screens/submit_checks.py).
        self.ignore_rules = tuple(ignore_rules)
        self.warnings = [f"{p.line()} [{p.rule}]" for p in problems if p.severity != ERROR]
        self.watch = None  # smjob.aws.progress.CallProgress while the request is out
        self.code = code  # smjob.code.CodeSettings: uploaded first, progress in #code-progress
        self.request = request
        self.target = target
        self.history = history
        self.retry_request = request  # what "Try again" sends: the last request that failed
        self.fresh_request: dict | None = None  # offered after "name in use"
        self.errors = [p for p in problems if p.severity == ERROR]
        self.in_flight = False

    def compose(self) -> ComposeResult:
        with Vertical(id="submit-body"):
            yield Static("Submit this training job?", classes="dialog-title")
            yield Static(self._summary(), classes="summary")
            if self.code is not None:
                from smjob.widgets.upload_progress import UploadProgress, code_line

                # Beside the summary: the upload's progress replaces this line, in view.
                yield UploadProgress(code_line(self.code), id="code-progress")
            yield Static("Where (you can change these: Tab to a field, Enter checks it)", classes="target-note")
            for name, label, value, placeholder in (
                ("profile", "Profile", self.target.profile, "default credentials"),
                ("region", "Region", self.target.region, "default region"),
                ("endpoint", "Endpoint", self.target.endpoint_url, "AWS (default)"),
            ):
                with Horizontal(classes="target-row"):
                    yield Static(Text(f"{label:<12}", style="bold"), classes="target-label")
                    yield TextInput(value or "", placeholder=placeholder, id=name, compact=True)
            yield Static(account_line(literal("checking…")), id="identity")
            # Shown only when they have something to say; above the preflight, whose checks can be long.
            warnings = warnings_text(self.warnings, self.ignore_rules)
            yield self._shown_if(Static(warnings, id="warnings"), str(warnings))
            yield panel_for(self)  # cost, guard rails, preflight (tui/screens/preflight_panel.py)
            # In view however far the rest is scrolled: what Submit is doing or did, and the buttons.
            with Vertical(classes="dialog-foot"):
                yield self._shown_if(Static("", id="submit-progress"), "")
                not_ready = Text("")
                if self.errors:
                    not_ready = Text(
                        f"Not ready: {len(self.errors)} error(s). Fix them first (F3 lists them).", style="bold red"
                    )
                yield self._shown_if(Static(not_ready, classes="dialog-error"), not_ready.plain)
                with Horizontal(classes="buttons"):
                    yield Button("Cancel", id="cancel")
                    yield Button("Submit", id="submit", variant="success", disabled=bool(self.errors))
                    yield Button("Submit with a fresh name", id="fresh", variant="success", classes="-hidden")

    def _summary(self) -> Hanging:
        return Hanging(
            labelled(label, LABEL_WIDTH, literal(value), path_breaks if label in PATHS else None)
            for label, value in summary_lines(self.request)
        )

    def on_mount(self) -> None:
        target = self._checked_target()
        if target is not None:
            self.identify(target)
        self.query_one("#cancel" if self.errors or self.warnings else "#submit").focus()

    # --- keys -------------------------------------------------------------------------------------
    def _buttons(self) -> list[Button]:
        """The buttons ←/→ move between, left to right: shown and enabled."""
        return [b for b in self.query(".buttons Button").results(Button) if b.display and not b.disabled]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move_button":  # not from an input: ←/→ move its cursor
            return isinstance(self.focused, Button) and self.focused in self._buttons()
        return True

    def action_move_button(self, step: int) -> None:
        buttons = self._buttons()
        index = buttons.index(self.focused) + step if self.focused in buttons else -1
        if 0 <= index < len(buttons):
            # Not scrolled into view: the buttons are docked, and scrolling would hide the dialog's title.
            buttons[index].focus(scroll_visible=False)

    def action_scroll_body(self, pages: int) -> None:
        """A page of what is in view: the body's height less the docked buttons (Textual's own page
        scroll counts them, and lines behind them were never seen)."""
        body = self.query_one("#submit-body", Vertical)
        gutter = self.query_one(".dialog-title").dock_gutter  # what the docked foot covers of the body
        page = max(1, body.scrollable_content_region.height - gutter.top - gutter.bottom)
        body.scroll_to(y=body.scroll_y + pages * page, animate=False)

    def current_target(self) -> Target:
        """The target typed in the dialog; OptionError for a malformed endpoint URL."""
        from smjob.workflows.options import check_endpoint_url

        value = {
            name: self.query_one(f"#{name}", Input).value.strip() or None for name in ("profile", "region", "endpoint")
        }
        endpoint = value["endpoint"] and check_endpoint_url(value["endpoint"])
        return Target(value["profile"], value["region"], endpoint)

    def _checked_target(self) -> Target | None:
        from smjob.workflows.options import OptionError

        try:
            return self.current_target()
        except OptionError as exc:
            self._show_error(Text("endpoint: ", style="bold red") + literal(str(exc)))
            return None

    @work(thread=True, exclusive=True, group="identity")
    def identify(self, target: Target) -> None:
        from smjob import aws

        identity = aws.whoami(target)
        message = self.Identified(identity.describe())
        # Checked again where it really goes: the image's region, the role's account.
        message.warnings = rule_warnings(self.request, identity.region or target.region, self.ignore_rules)
        if warning := account_warning(self.request, identity.account):
            message.warnings.append(warning)
        self.post_message(message)

    @on(Identified)
    def _identified(self, event: Identified) -> None:
        self.query_one("#identity", Static).update(account_line(literal(event.text.removeprefix("account "))))
        warnings = getattr(event, "warnings", None)
        if warnings is not None and warnings != self.warnings:
            self.warnings = warnings
            text = warnings_text(warnings, self.ignore_rules)
            self._shown_if(self.query_one("#warnings", Static), str(text)).update(text)
            if warnings and self.focused is not None and self.focused.id == "submit":
                self.query_one("#cancel").focus()  # a warning arrived before the user chose: Cancel

    @on(Input.Submitted)
    def _target_changed(self) -> None:
        target = self._checked_target()
        if target is not None:
            if not self.errors:  # keep "Not ready: ..." in view
                self._show_error(Text(""))
            self.identify(target)
            self.query_one(PreflightPanel).start(target)

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self._send_now(self.retry_request, "submit")

    @on(Button.Pressed, "#fresh")
    def _fresh_pressed(self) -> None:
        if self.fresh_request is not None:
            self._send_now(self.fresh_request, "fresh")

    def _send_now(self, request: dict, button_id: str) -> None:
        if self.in_flight or self.errors:
            return  # one submission at a time
        target = self._checked_target()
        if target is None:
            return  # nothing is sent to a malformed endpoint
        self.in_flight = True
        for button in self.query(Button).results(Button):
            if button.id != "cancel":
                button.disabled = True
        self.query_one(f"#{button_id}", Button).label = "Submitting…"
        self._show_error(Text(""))
        from smjob.aws.progress import CallProgress

        self.watch = CallProgress()
        self._app = self.app  # the worker may outlive this screen (Escape): it tells the app itself
        self._progress_timer = self.set_interval(0.5, self._show_progress)
        self.send(request, target)

    def _show_progress(self) -> None:
        if self.watch is not None and self.in_flight:
            text = progress_text(self.watch, self.request_name)
            self._shown_if(self.query_one("#submit-progress", Static), text.plain).update(text)

    @staticmethod
    def _shown_if(widget: Static, text: str) -> Static:
        widget.display = bool(text)
        return widget

    @property
    def request_name(self) -> str | None:
        name = self.retry_request.get("TrainingJobName")
        return name if isinstance(name, str) else None

    @work(thread=True, exclusive=True, group="submit")
    def send(self, request: dict, target: Target) -> None:
        from smjob.workflows.submitting import submit

        progress = self.query("#code-progress").first().report if self.code is not None else None
        watch = self.watch
        outcome = submit(
            request,
            target,
            self.history,
            code=self.code,
            progress=progress,
            ignore_rules=self.ignore_rules,
            watch=watch,
        )
        if watch is not None and watch.cancelled:  # the dialog is gone: say how it ended after all
            self._late_answer(outcome)
        self.post_message(self.Finished(outcome))

    @on(Finished)
    def _finished(self, event: Finished) -> None:
        self.in_flight = False
        if getattr(self, "_progress_timer", None) is not None:
            self._progress_timer.stop()
        self._shown_if(self.query_one("#submit-progress", Static), "").update("")
        outcome = event.outcome
        for warning in outcome.warnings:
            self.notify(warning, severity="warning", markup=False)
        if outcome.ok:
            self.dismiss(outcome)
            return
        error = outcome.error
        self.retry_request = outcome.request
        self.app.submission_failed(outcome.request, outcome)
        message = Text(f"{error.kind}: ", style="bold red") + literal(error.message)
        submit, fresh = self.query_one("#submit", Button), self.query_one("#fresh", Button)
        if outcome.name_in_use:
            # Names can never be reused: offer the fresh name resubmit would pick, and show it.
            # Short enough that the buttons stay on screen at 80x24 (AWS's message runs to 5 lines).
            self.fresh_request = renamed_fresh(outcome.request)
            message = Text("name-in-use: ", style="bold red") + literal(str(outcome.job_name))
            message.append(" exists; job names can never be reused.\nA fresh name: ")
            message.append_text(literal(self.fresh_request["TrainingJobName"]))
            submit.set_class(True, "-hidden")
            fresh.set_class(False, "-hidden")
            fresh.label, fresh.disabled = "Submit with a fresh name", False
            fresh.focus()
        else:
            submit.set_class(False, "-hidden")
            fresh.set_class(True, "-hidden")
            submit.label, submit.disabled = "Try again", False
        self._show_error(message)

    def _show_error(self, text: Text) -> None:
        self._shown_if(self.query_one(".dialog-error", Static), text.plain).update(text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.in_flight and self.watch is not None:
            # Stop waiting: no further attempt is sent; the worker ends at its read timeout, unseen.
            self.watch.cancel()
            self.notify(
                f"Stopped waiting for the endpoint. The job may still be created: "
                f"`smjob status {self.request_name or 'NAME'}` says whether it exists.",
                severity="warning",
                timeout=15,
            )
        self.dismiss(None)

    def _late_answer(self, outcome) -> None:
        """From the worker, after Cancel: the answer that came anyway, as a notification."""
        if outcome.ok:
            text, severity = f"The submission you stopped waiting for was accepted: {outcome.arn}", "information"
        else:
            text, severity = f"The submission you stopped waiting for failed: {outcome.error.message}", "warning"
        app = self._app
        with contextlib.suppress(Exception):  # the app has quit meanwhile
            app.call_from_thread(app.notify, text, severity=severity, timeout=15)
