"""Every training job in the account (ListTrainingJobs for the app's target), page by page.

The filter line takes words: `status:failed`, `since:7d` (created in the last 7 days),
`after:2024-06-01`, `before:2024-07-01`; the other words are a part of the name. Pages are
fetched in a thread (smjob.jobs_list.JobPager) only as the cursor nears the end of what is shown,
and the table draws only the rows in view (VirtualTable), so 10,000 jobs cost what 100 do.
Jobs that smjob submitted (matched by ARN or name in the history) are marked ● and open with
their history entry. Enter opens the job screen; c clones into the editor; x stops.
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from smjob.aws import AwsError, Target
from smjob.jobs_list import STATUSES, JobPager, JobQuery
from smjob.terminal_text import fit_middle, visible
from smjob.tui.screens.history_rows import STATUS_STYLES
from smjob.widgets.debounce import Debouncer
from smjob.widgets.footer import QuietFooter
from smjob.widgets.inputs import TextInput
from smjob.widgets.virtual_table import Column, VirtualTable

FILTER_DELAY = 0.4
PAGE_SIZE = 100
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?$")


class FilterError(ValueError):
    pass


def _when(text: str) -> datetime:
    if not _DAY.match(text):
        raise FilterError(f"{text!r} is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM)")
    value = datetime.fromisoformat(text.replace(" ", "T"))
    return value.replace(tzinfo=value.tzinfo or datetime.now().astimezone().tzinfo)


def parse_query(text: str, now: datetime | None = None) -> JobQuery:
    """The filter line as a JobQuery; FilterError names a word it cannot read."""
    from smjob.durations import parse_duration

    status = after = before = None
    name: list[str] = []
    for word in text.split():
        key, colon, value = word.partition(":")
        key = key.lower()
        if not colon or key not in ("status", "since", "after", "before"):
            name.append(word)
            continue
        if key == "status":
            match = [s for s in STATUSES if s.lower() == value.lower()]
            if not match:
                raise FilterError(f"status:{value} is not one of {', '.join(STATUSES)}")
            status = match[0]
        elif key == "since":
            seconds = parse_duration(value)
            if not seconds:
                raise FilterError(f"since:{value} is not a duration (e.g. 90m, 2h, 7d)")
            after = (now or datetime.now(UTC)) - timedelta(seconds=seconds)
        elif key == "after":
            after = _when(value)
        else:
            before = _when(value)
    return JobQuery(status=status, name_contains=" ".join(name) or None, created_after=after, created_before=before)


def _local(value) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone()


def _time(value, *, short: bool = False, since=None) -> str:
    """`2024-06-01 12:00`; short: `12:00` on the day of `since`, else `06-01 12:00`."""
    value = _local(value)
    if value is None:
        return ""
    if not short:
        return value.strftime("%Y-%m-%d %H:%M")
    start = _local(since)
    return value.strftime("%H:%M" if start is not None and start.date() == value.date() else "%m-%d %H:%M")


class JobsPage(Message):
    def __init__(self, seq: int, jobs: list, done: bool, error: AwsError | None, links: dict | None) -> None:
        super().__init__()
        self.seq, self.jobs, self.done, self.error, self.links = seq, jobs, done, error, links


def clone_in_editor(node, name: str, target: Target, *, client=None, history=None, entry_id=None, on_error=None):
    """Clone a job (DescribeTrainingJob + ListTags, in a thread) into the editor under a fresh name,
    through the app's guard (SmjobApp.replace_request): the screens above the editor are closed
    first, so the unsaved-edits question, if any, is asked over the editor. A job smjob submitted
    brings its Code settings from its history entry."""
    app = node.app

    def run() -> None:
        from smjob.workflows.cloning import clone_job

        code = None
        if entry_id is not None and history is not None:
            try:
                code = history.get(entry_id).code
            except Exception:  # the clone still works without them
                code = None
        try:
            result, error = clone_job(name, target, client=client), None
        except AwsError as exc:
            result, error = None, exc
        app.call_from_thread(done, result, code, error)

    def done(result, code, error) -> None:
        if error is not None:
            (on_error or (lambda m: app.notify(m, severity="error")))(f"clone failed: {error.message}")
            return

        def notes() -> None:
            for note in result.notes:
                app.notify(f"{note.where}: {note.message}", severity="warning", timeout=8)

        editor = getattr(app, "editor", None)
        while editor is not None and app.screen is not editor and len(app.screen_stack) > 1:
            app.pop_screen()
        replace = getattr(app, "replace_request", None)
        if replace is not None:
            replace(result.request, source=f"clone of {name}", then=notes, code=code)

    node.run_worker(run, thread=True, exclusive=True, group="clone")


class JobsTable(VirtualTable):
    def move_cursor(self, row: int, *, scroll: bool = True) -> None:
        super().move_cursor(row, scroll=scroll)
        if isinstance(self.screen, JobsScreen):
            self.screen.maybe_more()


class JobsScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="jobs.back"),
        # Priority: run as the key arrives, so the keys typed right after it already go to the filter
        # (a plain binding runs once the key has bubbled back up, after the next keys were sent on).
        Binding("slash", "focus_filter", "Filter", id="jobs.filter", priority=True),
        Binding("c", "clone", "Clone", id="jobs.clone"),
        Binding("x", "stop", "Stop", id="jobs.stop"),
        Binding("v", "view_entry", "History entry", id="jobs.view_entry", show=False),
        Binding("r", "refresh", "Refresh", id="jobs.refresh", show=False),
        Binding("down", "to_table", "Table", id="jobs.to_table", show=False),
    ]
    DEFAULT_CSS = """
    JobsScreen #jobs-title {
        height: 1; padding: 0 1; background: $primary-background; text-wrap: nowrap; text-overflow: ellipsis;
    }
    JobsScreen #jobs-filter { margin: 0 1; }
    JobsScreen #jobs-info { height: 1; padding: 0 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    JobsScreen VirtualTable { height: 1fr; }
    """

    def __init__(self, target: Target, *, history=None, client=None, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self.target = target
        self.history = history
        self._client = client
        self.page_size = page_size
        self.jobs: dict[str, object] = {}  # name -> JobSummary, in the order listed
        self.links: dict[str, int] = {}  # ARN or job name -> history entry id
        self.pager: JobPager | None = None
        self.seq = 0
        self.loading = False
        self.error: AwsError | None = None
        self._lock = threading.Lock()
        self._debounce = Debouncer(self, FILTER_DELAY, self._apply_filter)

    def compose(self) -> ComposeResult:
        title = Text("Training jobs in the account  ", style="bold")
        title.append(visible(self.target.label), style="dim")
        yield Static(title, id="jobs-title")
        yield TextInput(placeholder="name, status:failed, since:7d, after:2024-06-01, before:…", id="jobs-filter")
        yield Static("Listing…", id="jobs-info")
        yield JobsTable(self._columns(80), id="jobs-table")
        yield QuietFooter()

    def _columns(self, width: int) -> list[Column]:
        # Every column has a cell of padding each side; 2 columns for the vertical scrollbar.
        others = [Column("mark", "", 1), Column("status", "Status", 10), Column("created", "Created", 16)]
        others.append(Column("ended", "Ended", 16 if width >= 100 else 11))
        name = max(20, width - 2 - sum(c.width + 2 for c in others) - 2)
        return [others[0], Column("name", "Name", name), *others[1:]]

    def on_mount(self) -> None:
        self.set_focus(self.query_one(JobsTable))
        self.refetch(None)

    def on_resize(self, event) -> None:
        self.query_one(JobsTable).set_columns(self._columns(event.size.width))

    # --- listing ------------------------------------------------------------------------------
    def _apply_filter(self, raw: str) -> None:
        try:
            query = parse_query(raw)
        except FilterError as exc:
            self._info(Text(visible(str(exc)), style="bold red"))
            return
        self.refetch(query)

    def refetch(self, query: JobQuery | None) -> None:
        self.seq += 1
        self.jobs = {}
        self.error = None
        self.pager = None  # emptying the table moves its cursor: no fetch from that
        self.query_one(JobsTable).set_rows([], self._cells)
        self.pager = JobPager(query, self.target, page_size=self.page_size, client=self._client)
        self._info(Text("Listing…", style="dim"))
        self._fetch(self.seq, self.pager, first=True)

    def maybe_more(self) -> None:
        """More rows when the cursor is within two screens of the end of those shown."""
        table = self.query_one(JobsTable)
        pager = self.pager
        # Not after an error: each answer redraws the table, which moves the cursor back here (r retries).
        if pager is None or pager.done or self.loading or self.error is not None:
            return
        if table.row_count - table.cursor_row <= 2 * max(10, table.size.height):
            self._fetch(self.seq, pager)

    def _fetch(self, seq: int, pager: JobPager, *, first: bool = False) -> None:
        self.loading = True
        self._page(seq, pager, first)

    @work(thread=True, group="jobs-page")
    def _page(self, seq: int, pager: JobPager, first: bool) -> None:
        links = None
        if first and self.history is not None:
            links = self._history_links()
        try:
            with self._lock:  # one ListTrainingJobs call at a time per pager
                jobs = pager.next_page()
            error = None
        except AwsError as exc:
            jobs, error = [], exc
        except Exception as exc:
            jobs, error = [], AwsError("other", f"listing jobs failed: {type(exc).__name__}: {exc}")
        self.post_message(JobsPage(seq, jobs, pager.done, error, links))

    def _history_links(self) -> dict[str, int]:
        """Jobs smjob submitted: ARN and name -> the newest history entry (one query, small columns)."""
        try:
            entries = self.history.list(action="submit", limit=1_000_000)
        except Exception:
            return {}
        links: dict[str, int] = {}
        for entry in reversed(entries):  # oldest first: the newest entry wins
            if entry.job_name:
                links[entry.job_name] = entry.id
            if entry.arn:
                links[entry.arn] = entry.id
        return links

    @on(JobsPage)
    def _listed(self, event: JobsPage) -> None:
        if event.seq != self.seq:
            return  # an older filter's answer
        self.loading = False
        self.error = event.error
        if event.links is not None:
            self.links = event.links
        for job in event.jobs:
            self.jobs.setdefault(job.name, job)
        table = self.query_one(JobsTable)
        table.set_rows(list(self.jobs), self._cells, cursor_key=table.cursor_key)
        self._show_info()
        if event.error is None:
            self.maybe_more()  # the first page may not fill the screen

    def _cells(self, name) -> list[Text]:
        job = self.jobs[name]
        ours = self.entry_id(job) is not None
        widths = {c.key: c.width for c in self.query_one(JobsTable).columns}
        return [
            Text("●" if ours else " ", style="bold cyan"),
            # Cut in the middle, as in the history: names differ in the timestamp at their end.
            Text(fit_middle(job.name, widths["name"])),
            Text(visible(job.status), style=STATUS_STYLES.get(job.status, "")),
            Text(_time(job.creation_time)),
            Text(_time(job.end_time, short=widths["ended"] < 16, since=job.creation_time)),
        ]

    def entry_id(self, job) -> int | None:
        return self.links.get(job.arn) or self.links.get(job.name)

    def _show_info(self) -> None:
        pager = self.pager
        text = Text()
        count = len(self.jobs)
        text.append(f"{count} job(s)", style="bold")
        if pager is not None and not pager.done:
            text.append(" so far; more as you scroll", style="dim")
        ours = sum(1 for job in self.jobs.values() if self.entry_id(job) is not None)
        if ours:
            text.append(f"  ● {ours} from smjob (history)", style="cyan")
        text.append("  Enter opens · c clone · x stop · v history entry · / filter", style="dim")
        if self.error is not None:
            text = Text(visible(f"{self.error.kind}: {self.error.message}"), style="bold red")
        self._info(text)

    def _info(self, text: Text) -> None:
        self.query_one("#jobs-info", Static).update(text)

    @on(Input.Changed, "#jobs-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._debounce(event.value)

    @on(Input.Submitted, "#jobs-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self._debounce.flush(event.value)
        self.set_focus(self.query_one(JobsTable))

    # --- actions ------------------------------------------------------------------------------
    def highlighted(self):
        key = self.query_one(JobsTable).cursor_key
        return self.jobs.get(key) if key is not None else None

    @on(VirtualTable.RowSelected)
    def _open(self, event: VirtualTable.RowSelected) -> None:
        from smjob.tui.screens.job import JobScreen

        event.stop()
        job = self.jobs.get(event.key)
        if job is None:
            return
        self.app.push_screen(
            JobScreen(job.name, self.target, history=self.history, entry_id=self.entry_id(job), client=self._client)
        )

    def action_clone(self) -> None:
        job = self.highlighted()
        if job is not None:
            self._info(Text(f"Cloning {visible(job.name)}…", style="dim"))
            clone_in_editor(
                self,
                job.name,
                self.target,
                client=self._client,
                history=self.history,
                entry_id=self.entry_id(job),
                on_error=lambda message: self._info(Text(visible(message), style="bold red")),
            )

    def action_view_entry(self) -> None:
        """The history entry of a job smjob submitted: its request as sent (with the code channel)."""
        from smjob.tui.screens.history_views import EntryViewScreen

        job = self.highlighted()
        entry_id = self.entry_id(job) if job is not None else None
        if entry_id is None or self.history is None:
            self.notify("Not submitted from smjob: no history entry", severity="warning")
            return
        try:
            entry = self.history.get(entry_id)
        except (KeyError, OSError) as exc:
            self.notify(f"History entry #{entry_id}: {exc}", severity="error")
            return
        self.app.push_screen(EntryViewScreen(entry))

    def action_stop(self) -> None:
        from smjob.tui.screens.dialogs import ConfirmScreen

        job = self.highlighted()
        if job is None:
            return
        if job.status not in ("InProgress",):
            self.notify(f"The job is {job.status}: only a job in progress can be stopped", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._stop(job)

        question = f"Stop the training job {job.name}? It goes to Stopping, then Stopped; it cannot be resumed."
        self.app.push_screen(ConfirmScreen(question, yes="Stop job", no="Keep running"), answered)

    @work(thread=True, group="jobs-stop")
    def _stop(self, job) -> None:
        from smjob import aws

        try:
            aws.stop(job.name, self.target, client=self._client)
            self.app.call_from_thread(self._stopping, job)
        except AwsError as exc:
            self.app.call_from_thread(self.notify, f"Stop failed: {exc.message}", severity="error")

    def _stopping(self, job) -> None:
        import dataclasses

        if job.name in self.jobs:  # shown as SageMaker will answer next time: Stopping
            self.jobs[job.name] = dataclasses.replace(job, status="Stopping")
            self.query_one(JobsTable).refresh_row(job.name)
        self.notify(f"Stop requested for {job.name}")

    def action_refresh(self) -> None:
        self._apply_filter(self.query_one("#jobs-filter", Input).value)

    def action_focus_filter(self) -> None:
        box = self.query_one("#jobs-filter", Input)
        if self.focused is box:  # a priority key: in the box it is still typed
            # after the keys already queued for it, as typed
            box.post_message(events.Key("slash", "/"))
            return
        self.set_focus(box)  # at once (focus() is deferred past the keys already queued)

    def action_to_table(self) -> None:
        self.set_focus(self.query_one(JobsTable))

    def action_back(self) -> None:
        if self.query_one("#jobs-filter", Input).has_focus:
            self.set_focus(self.query_one(JobsTable))
            return
        self.dismiss()
