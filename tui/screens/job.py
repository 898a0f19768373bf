"""Watch one training job: status, the secondary-status timeline, runtime against the limit, stop.

A thread worker polls DescribeTrainingJob every `poll_seconds` and posts one `JobPolled` per
poll until the job is Completed, Failed or Stopped; one handler updates the screen. Transient
errors (throttling, timeouts, connection trouble, 5xx) are shown and polling goes on; other
errors (not found, access denied, expired login) pause it until `p`. Polling ends when the
screen is dismissed. With `history` and `entry_id`, the entry's status follows the job's.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from smjob import aws
from smjob.aws import AwsError, JobStatus, Target, format_seconds
from smjob.history import History
from smjob.tui.screens.dialogs import ConfirmScreen
from smjob.widgets.base import literal
from smjob.widgets.footer import QuietFooter

STATUS_STYLES = {
    "Completed": "bold green",
    "Failed": "bold red",
    "Stopped": "bold yellow",
    "Stopping": "bold yellow",
    "InProgress": "bold cyan",
}
BAR_WIDTH = 24


class JobPolled(Message):
    """One poll's answer (from the polling thread): a status, or the error that poll met.

    `polling` is False on the last message of a run: the job ended, or the error is not
    transient (press `p` to poll again). Bubbles to the app.
    """

    def __init__(
        self, job_name: str, status: JobStatus | None, error: AwsError | None, at: datetime, polling: bool
    ) -> None:
        super().__init__()
        self.job_name = job_name
        self.status = status
        self.error = error
        self.at = at
        self.polling = polling


class StopFinished(Message):
    """StopTrainingJob returned (`error` None) or failed."""

    def __init__(self, job_name: str, error: AwsError | None) -> None:
        super().__init__()
        self.job_name = job_name
        self.error = error


def styled(text: str, style: str) -> Text:
    out = literal(text)
    out.stylize(style)
    return out


def clock(value: datetime | None) -> str:
    if not isinstance(value, datetime):
        return "--:--:--"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone().strftime("%H:%M:%S")


def runtime_bar(elapsed: float, limit: float | None, width: int = BAR_WIDTH) -> Text:
    """`██████░░░░  25%  15m00s of 1h00m00s  (900 / 3600 s)`; without a limit just the time."""
    text = Text()
    if not limit:
        text.append(f"elapsed {format_seconds(elapsed)} ({int(elapsed)} s), no MaxRuntimeInSeconds")
        return text
    fraction = max(0.0, min(1.0, elapsed / limit))
    filled = round(fraction * width)
    style = "red" if fraction >= 0.9 else "yellow" if fraction >= 0.75 else "green"
    text.append("\u2588" * filled, style=style)
    text.append("\u2591" * (width - filled), style="dim")
    text.append(f" {fraction:4.0%}  ", style="bold")
    text.append(f"{format_seconds(elapsed)} of {format_seconds(limit)}  ")
    text.append(f"({int(elapsed)} / {int(limit)} s)", style="dim")
    return text


class JobScreen(Screen):
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="job.back"),
        Binding("x", "stop_job", "Stop job", id="job.stop"),
        Binding("c", "clone", "Clone", id="job.clone", show=False),
        Binding("p", "poll_now", "Poll now", id="job.poll", show=False),
        Binding("h", "logs('cycle_host')", "Host", id="job.host"),
        Binding("f", "logs('follow')", "Follow", id="job.follow"),
        # Priority: the keys typed right after `/` go to the search box (tui/screens/jobs.py says why).
        Binding("slash", "logs('open_search')", "Search", id="job.search", priority=True),
        Binding("n", "logs('search_next')", "Next", id="job.next", show=False),
        Binding("s", "logs('save')", "Save log", id="job.save"),
        Binding("t", "toggle_timeline", "Timeline", id="job.timeline", show=False),
    ]
    DEFAULT_CSS = """
    JobScreen #job-title { height: 1; padding: 0 1; background: $primary-background; }
    JobScreen #job-info { height: auto; padding: 0 1; }
    JobScreen #job-timeline-title { height: 1; padding: 0 1; margin-top: 1; text-style: bold; }
    JobScreen #job-timeline { height: auto; max-height: 5; padding: 0 1; }
    JobScreen.-no-timeline #job-timeline, JobScreen.-no-timeline #job-timeline-title { display: none; }
    JobScreen #job-poll { height: auto; padding: 0 1; color: $text-muted; }
    JobScreen #job-stop { height: auto; padding: 0 1; }
    """

    def __init__(
        self,
        job_name: str,
        target: Target,
        *,
        poll_seconds: float = 5.0,
        client=None,
        history: History | None = None,
        entry_id: int | None = None,
        logs_client=None,
    ) -> None:
        super().__init__()
        # CloudWatch Logs is followed with `logs_client`, or one made for the target; not when only a
        # SageMaker `client` is given (a stub in tests: the logs would go to the real target).
        self.logs_client = logs_client
        self.follows_logs = logs_client is not None or client is None
        self.described: dict | None = None  # the last DescribeTrainingJob answer
        self.job_name = job_name
        self.target = target
        self.poll_seconds = max(0.05, float(poll_seconds))
        self.history = history
        self.entry_id = entry_id
        self.status: JobStatus | None = None
        self.polled_at: datetime | None = None
        self.poll_error: AwsError | None = None
        self.polling = True
        self.stop_state: str | None = None  # None | "asking" | "sending" | "sent"
        self._client = client
        self._client_lock = threading.Lock()
        self._wake = threading.Event()
        self._leaving = threading.Event()
        self._polled_mono = 0.0
        self._recorded_status: str | None = None

    # --- layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        title = Text("Training job  ", style="bold")
        title.append_text(literal(self.job_name))
        yield Static(title, id="job-title")
        yield Static(Text("Asking SageMaker…", style="dim"), id="job-info")
        yield Static("Timeline (secondary status)", id="job-timeline-title")
        with VerticalScroll(id="job-timeline"):
            yield Static("", id="job-transitions")
        if self.follows_logs:
            from smjob.tui.screens.job_logs import JobLogs

            yield JobLogs(self.job_name, self.target, client=self.logs_client, id="job-logs-panel")
        yield Static("", id="job-stop")
        yield Static("", id="job-poll")
        yield QuietFooter()

    def on_mount(self) -> None:
        self._poll()
        self.set_interval(1.0, self._tick)

    def on_unmount(self) -> None:
        self._leaving.set()
        self._wake.set()

    # --- polling (thread) -----------------------------------------------------------------
    def _sm(self):
        with self._client_lock:
            if self._client is None:
                self._client = aws.client(self.target)
            return self._client

    @work(thread=True, exclusive=True, group="job-poll")
    def _poll(self) -> None:
        worker = get_current_worker()
        while not (worker.is_cancelled or self._leaving.is_set()):
            at = datetime.now(UTC)
            status = error = described = None
            try:
                described = aws.describe(self.job_name, self.target, client=self._sm())
                status = aws.status_from_describe(described, at)
            except AwsError as exc:
                error = exc
            except Exception as exc:
                error = AwsError("other", f"polling {self.job_name} failed: {exc}")
            if status is not None:
                self._record(status.status)
            done = (status is not None and status.terminal) or (error is not None and error.kind not in aws.TRANSIENT)
            if worker.is_cancelled or self._leaving.is_set():
                return
            message = JobPolled(self.job_name, status, error, at, polling=not done)
            message.described = described
            self.post_message(message)
            if done:
                return
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def _record(self, status: str) -> None:
        """Keep the history entry's status in step (thread side; a locked database is not fatal)."""
        if self.history is None or self.entry_id is None or status == self._recorded_status:
            return
        try:
            self.history.update_status(self.entry_id, status)
            self._recorded_status = status
        except (sqlite3.Error, KeyError, OSError):
            pass

    @on(JobPolled)
    def _polled(self, event: JobPolled) -> None:
        if event.job_name != self.job_name:
            return
        self.polled_at = event.at
        self.polling = event.polling
        self.poll_error = event.error
        if event.status is not None:
            self.status = event.status
            self.described = getattr(event, "described", None)
            self._polled_mono = time.monotonic()
            if event.status.terminal:
                self.stop_state = None
            for panel in self.query("#job-logs-panel"):
                panel.job_described(self.described, event.status.terminal)
        self._show()

    # --- showing -------------------------------------------------------------------------
    def _elapsed(self) -> float | None:
        s = self.status
        if s is None or s.elapsed_seconds is None:
            return None
        if s.terminal:
            return s.elapsed_seconds
        return s.elapsed_seconds + max(0.0, time.monotonic() - self._polled_mono)

    def _tick(self) -> None:
        if self.status is not None and not self.status.terminal:
            self._show_info()

    def _show(self) -> None:
        self._show_info()
        self._show_timeline()
        self._show_poll()

    def _show_info(self) -> None:
        s = self.status
        if s is None:
            return
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True, min_width=8)
        grid.add_column(overflow="fold", ratio=1)
        state = styled(s.status or "?", STATUS_STYLES.get(s.status, "bold"))
        if s.secondary_status and s.secondary_status != s.status:
            state.append("  /  ")
            state.append_text(literal(s.secondary_status))
        grid.add_row("status", state)
        grid.add_row("arn", literal(s.arn or "?"))
        elapsed = self._elapsed()
        if elapsed is None:
            grid.add_row("runtime", Text("unknown" if s.terminal else "not started yet", style="dim"))
        else:
            grid.add_row("runtime", runtime_bar(elapsed, s.max_runtime_seconds))
        if s.max_wait_seconds:
            grid.add_row("max wait", Text(f"{format_seconds(s.max_wait_seconds)} ({s.max_wait_seconds} s, spot)"))
        if s.failure_reason:
            grid.add_row(Text("failure", style="red"), styled(s.failure_reason, "red"))
        if s.model_artifacts and s.status == "Completed":
            grid.add_row("model", literal(s.model_artifacts))
        from smjob.tui.screens.job_logs import billing_rows

        for label, value in billing_rows(self.described, self.target):
            grid.add_row(label, value)
        self.query_one("#job-info", Static).update(grid)

    def _show_timeline(self) -> None:
        s = self.status
        if s is None:
            return
        if not s.transitions:
            self.query_one("#job-transitions", Static).update(Text("(no transitions yet)", style="dim"))
            return
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold", ratio=1)
        for t in s.transitions:
            grid.add_row(clock(t.start), literal(t.status), literal(t.message or ""))
        self.query_one("#job-transitions", Static).update(grid)

    def _show_poll(self) -> None:
        text = Text()
        if self.polled_at is not None:
            text.append(f"last poll {clock(self.polled_at)}")
        if self.status is not None and self.status.terminal:
            text.append(f"  ·  the job is {self.status.status}; polling ended")
        elif self.polling:
            text.append(f"  ·  every {format_seconds(self.poll_seconds)}")
        else:
            text.append("  ·  polling paused: p polls again", style="yellow")
        if self.poll_error is not None:
            text.append("\n")
            kind = "transient error, still polling: " if self.polling else "error: "
            text.append(kind, style="bold yellow" if self.polling else "bold red")
            text.append_text(literal(self.poll_error.message))
        self.query_one("#job-poll", Static).update(text)

    # --- actions -------------------------------------------------------------------------
    def action_logs(self, what: str) -> None:
        for panel in self.query("#job-logs-panel"):
            getattr(panel, what)()

    def action_clone(self) -> None:
        """Into the editor under a fresh name (with the Code settings of its history entry)."""
        from smjob.tui.screens.jobs import clone_in_editor

        self.notify(f"Cloning {self.job_name}…", timeout=3)
        clone_in_editor(
            self, self.job_name, self.target, client=self._client, history=self.history, entry_id=self.entry_id
        )

    def action_toggle_timeline(self) -> None:
        self.toggle_class("-no-timeline")

    def action_back(self) -> None:
        for panel in self.query("#job-logs-panel"):
            if panel.query("#job-search.-shown"):  # Escape leaves the search box, not the screen
                panel.close_search()
                return
        self._leaving.set()
        self._wake.set()
        self.dismiss()

    def action_poll_now(self) -> None:
        if self.polling:
            self._wake.set()
        else:
            self.polling = True
            self._wake.clear()
            self._poll()
        self.query_one("#job-poll", Static).update(Text("polling…", style="dim"))

    def action_stop_job(self) -> None:
        if self.status is not None and self.status.terminal:
            self.notify(f"The job is already {self.status.status}", severity="warning")
            return
        if self.status is not None and self.status.status == "Stopping":
            self.notify("The job is already stopping", severity="warning")
            return
        if self.stop_state is not None:
            return
        self.stop_state = "asking"

        def answered(yes: bool | None) -> None:
            if not yes:
                self.stop_state = None
                return
            self.stop_state = "sending"
            self._set_stop_line(Text("Sending StopTrainingJob…", style="yellow"))
            self._stop()

        question = (
            f"Stop the training job {self.job_name}? It goes to Stopping, then Stopped; "
            "the model artifacts so far are kept, and the job cannot be resumed."
        )
        self.app.push_screen(ConfirmScreen(question, yes="Stop job", no="Keep running"), answered)

    @work(thread=True, exclusive=True, group="job-stop")
    def _stop(self) -> None:
        try:
            aws.stop(self.job_name, self.target, client=self._sm())
            error = None
        except AwsError as exc:
            error = exc
        except Exception as exc:
            error = AwsError("other", f"stopping {self.job_name} failed: {exc}")
        self.post_message(StopFinished(self.job_name, error))

    @on(StopFinished)
    def _stopped(self, event: StopFinished) -> None:
        if event.job_name != self.job_name:
            return
        if event.error is not None:
            self.stop_state = None
            line = Text("Stop failed: ", style="bold red")
            line.append_text(literal(event.error.message))
            self._set_stop_line(line)
            return
        self.stop_state = "sent"
        self._set_stop_line(
            Text(
                f"Stop requested at {clock(datetime.now(UTC))}: the job goes to Stopping, then Stopped",
                style="yellow",
            )
        )
        if self.polling:
            self._wake.set()
        else:
            self.action_poll_now()

    def _set_stop_line(self, text: Text) -> None:
        self.query_one("#job-stop", Static).update(text)
