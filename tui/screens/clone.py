"""Clone a training job from AWS: list recent jobs (filter by name), Enter rebuilds its request.

Listing and cloning run in thread workers that post `JobsListed` / `JobCloned`; one handler
each updates the screen. The screen dismisses with a `LoadResult` whose request already has a
fresh TrainingJobName (the old name can never be reused), or None on Escape.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from smjob import aws
from smjob.aws import AwsError, JobSummary, Target
from smjob.load import LoadResult
from smjob.tui.screens.history_rows import STATUS_STYLES
from smjob.widgets.base import literal
from smjob.widgets.debounce import Debouncer
from smjob.widgets.footer import QuietFooter
from smjob.widgets.inputs import TextInput
from smjob.workflows.cloning import clone_job

MAX_JOBS = 100
FILTER_DELAY = 0.4  # seconds of quiet typing before asking AWS again


class JobsListed(Message):
    def __init__(self, seq: int, jobs: list[JobSummary], error: AwsError | None = None) -> None:
        super().__init__()
        self.seq = seq
        self.jobs = jobs
        self.error = error


class JobCloned(Message):
    def __init__(self, job_name: str, result: LoadResult | None, error: AwsError | None = None) -> None:
        super().__init__()
        self.job_name = job_name
        self.result = result
        self.error = error


def created_text(value) -> str:
    if not isinstance(value, datetime):
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def _cell(text: str | None, style: str = "") -> Text:
    cell = literal(text or "")
    if style:
        cell.stylize(style)
    return cell


class CloneFromAwsScreen(Screen[LoadResult | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="clone.cancel"),
        Binding("slash", "focus_filter", "Filter", id="clone.filter"),
        Binding("f5", "refresh", "Refresh", id="clone.refresh"),
        Binding("down", "to_table", "Jobs", id="clone.to_table", show=False),
    ]
    DEFAULT_CSS = """
    CloneFromAwsScreen #clone-title { height: auto; padding: 0 1; background: $primary-background; }
    CloneFromAwsScreen #clone-filter { margin: 0 1; }
    CloneFromAwsScreen #clone-table { height: 1fr; }
    CloneFromAwsScreen #clone-info { height: auto; padding: 0 1; color: $text-muted; }
    CloneFromAwsScreen #clone-info.-error { color: $error; }
    """

    def __init__(self, target: Target, *, client=None) -> None:
        super().__init__()
        self.target = target
        self._client = client
        self._client_lock = threading.Lock()
        self.jobs: list[JobSummary] = []
        self.name_contains = ""
        self.cloning: str | None = None
        self._seq = 0
        self._filter = Debouncer(self, FILTER_DELAY, self._apply_filter)

    def compose(self) -> ComposeResult:
        title = Text("Clone a training job", style="bold")
        title.append("  ")
        title.append_text(literal(self.target.label))
        title.stylize("dim", len("Clone a training job") + 2)
        yield Static(title, id="clone-title")
        yield TextInput(placeholder="name contains…  (/)", id="clone-filter", compact=True)
        yield DataTable(id="clone-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="clone-info")
        yield QuietFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("name", key="name")
        table.add_column("status", key="status")
        table.add_column("created", key="created")
        table.focus()
        self.refetch()

    # --- listing ---------------------------------------------------------------------------
    def _sm(self):
        with self._client_lock:
            if self._client is None:
                self._client = aws.client(self.target)
            return self._client

    def refetch(self) -> None:
        self._seq += 1
        what = f" whose names contain {self.name_contains!r}" if self.name_contains else ""
        self._info(Text(f"Listing training jobs{what}…"))
        self._list(self._seq, self.name_contains or None)

    @work(thread=True, exclusive=True, group="clone-list")
    def _list(self, seq: int, name_contains: str | None) -> None:
        try:
            jobs = aws.list_jobs(self.target, name_contains=name_contains, max_items=MAX_JOBS, client=self._sm())
            error = None
        except AwsError as exc:
            jobs, error = [], exc
        except Exception as exc:
            jobs, error = [], AwsError("other", f"listing training jobs failed: {exc}")
        if not get_current_worker().is_cancelled:
            self.post_message(JobsListed(seq, jobs, error))

    @on(JobsListed)
    def _listed(self, event: JobsListed) -> None:
        event.stop()
        if event.seq != self._seq:
            return
        if event.error is not None:
            self._info(literal(event.error.message), error=True)
            return
        table = self.query_one(DataTable)
        current = self.highlighted()
        self.jobs = list(event.jobs)
        table.clear()
        for job in self.jobs:
            table.add_row(
                _cell(job.name),
                _cell(job.status, STATUS_STYLES.get(job.status, "")),
                _cell(created_text(job.creation_time), "dim"),
            )
        names = [j.name for j in self.jobs]
        if current is not None and current.name in names:
            table.move_cursor(row=names.index(current.name))
        if not self.jobs:
            what = f" whose names contain {self.name_contains!r}" if self.name_contains else ""
            self._info(Text(f"No training jobs{what}."))
        else:
            more = f" (the newest {MAX_JOBS}; type part of a name to find others)" if len(self.jobs) >= MAX_JOBS else ""
            self._info(Text(f"{len(self.jobs)} training jobs, newest first{more}.  Enter clones one."))

    def _info(self, text: Text, *, error: bool = False) -> None:
        info = self.query_one("#clone-info", Static)
        info.set_class(error, "-error")
        info.update(text)

    # --- filter ----------------------------------------------------------------------------
    @on(Input.Changed, "#clone-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter(event.value)

    def _apply_filter(self, raw: str) -> None:
        value = raw.strip()
        if value != self.name_contains:
            self.name_contains = value
            self.refetch()

    @on(Input.Submitted, "#clone-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._filter.flush(event.value)
        self.action_to_table()

    def action_focus_filter(self) -> None:
        self.query_one("#clone-filter", Input).focus()

    def action_to_table(self) -> None:
        self.query_one(DataTable).focus()

    def action_refresh(self) -> None:
        self.refetch()

    def action_cancel(self) -> None:
        self.dismiss(None)

    # --- cloning ---------------------------------------------------------------------------
    def highlighted(self) -> JobSummary | None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        return self.jobs[row] if self.jobs and 0 <= row < len(self.jobs) else None

    @on(DataTable.RowSelected, "#clone-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        job = self.highlighted()
        if job is None or self.cloning is not None:
            return
        self.cloning = job.name
        info = Text("Cloning ")
        info.append_text(literal(job.name))
        info.append("…")
        self._info(info)
        self._clone(job.name)

    @work(thread=True, exclusive=True, group="clone-get")
    def _clone(self, name: str) -> None:
        try:
            result = clone_job(name, self.target, client=self._sm())  # under a fresh name, as `smjob clone`
            self.post_message(JobCloned(name, result))
        except AwsError as exc:
            self.post_message(JobCloned(name, None, exc))
        except Exception as exc:
            self.post_message(JobCloned(name, None, AwsError("other", f"cloning {name} failed: {exc}")))

    @on(JobCloned)
    def _cloned(self, event: JobCloned) -> None:
        event.stop()
        self.cloning = None
        if event.error is not None or event.result is None:
            text = Text("Could not clone ")
            text.append_text(literal(event.job_name))
            text.append(": ")
            text.append_text(literal(event.error.message if event.error else "no result"))
            self._info(text, error=True)
            return
        self.dismiss(event.result)
