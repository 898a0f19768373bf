"""The job screen's logs and metrics: CloudWatch Logs followed in a thread (smjob.logs.LogReader),
shown in a LogView (all hosts or one, follow, search, save), and the MetricDefinitions applied to
each line as it arrives (live value and a sparkline per metric; FinalMetricDataList at the end).

The JobScreen hands over each DescribeTrainingJob answer (`job_described`); the first one starts
the follower (its MetricDefinitions are needed first). Reading stops one round after the job ends,
so its last lines are not lost.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from smjob.aws import AwsError, Target
from smjob.logs import POLL_SECONDS, LogLine, LogReader, MetricTracker, Notice
from smjob.terminal_text import visible
from smjob.widgets.base import literal
from smjob.widgets.inputs import TextInput
from smjob.widgets.log_view import LogView

SPARK = "▁▂▃▄▅▆▇█"
SPARK_POINTS = 24
SERIES_KEEP = 5_000  # values kept per metric and host (the sparkline shows the last few)
ERROR_WAIT = 5.0  # seconds before trying again after an error that is not throttling


def sparkline(values, width: int = SPARK_POINTS) -> str:
    values = list(values)[-width:]
    if not values:
        return ""
    low, high = min(values), max(values)
    span = high - low
    return "".join(SPARK[int((v - low) / span * (len(SPARK) - 1)) if span else 0] for v in values)


def format_value(value: float) -> str:
    return f"{value:.6g}"


def console_url(arn: str | None, name: str, target: Target | None = None) -> str | None:
    parts = (arn or "").split(":")
    region = parts[3] if len(parts) > 3 and parts[3] else (target.region if target else None)
    if not region:
        return None
    return f"https://{region}.console.aws.amazon.com/sagemaker/home?region={region}#/jobs/{name}"


def billing_rows(described: dict | None, target: Target | None = None) -> list[tuple[str, Text]]:
    """Billable seconds, spot savings and the console link, for the job screen's info grid."""
    if not described:
        return []
    rows = []
    billable = described.get("BillableTimeInSeconds")
    training = described.get("TrainingTimeInSeconds")
    if isinstance(billable, int):
        text = Text(f"{billable} s")
        if isinstance(training, int) and training:
            text.append(f" of {training} s training", style="dim")
        rows.append(("billable", text))
        if described.get("EnableManagedSpotTraining") and isinstance(training, int) and training:
            saved = max(0.0, 1 - billable / training)
            rows.append(("spot", Text(f"saved {saved:.0%} ({training - billable} s not billed)", style="green")))
    url = console_url(described.get("TrainingJobArn"), str(described.get("TrainingJobName", "")), target)
    if url:
        rows.append(("console", literal(url)))
    return rows


class LogsPolled(Message):
    def __init__(self, items: list, error: AwsError | None, backoff: float) -> None:
        super().__init__()
        self.items, self.error, self.backoff = items, error, backoff


class JobLogs(Vertical):
    DEFAULT_CSS = """
    JobLogs { height: 1fr; }
    JobLogs #job-metrics { height: auto; max-height: 6; padding: 0 1; }
    JobLogs #job-logs-bar { height: 1; padding: 0 1; background: $boost; text-wrap: nowrap; text-overflow: ellipsis; }
    JobLogs #job-logs { height: 1fr; min-height: 4; }
    JobLogs #job-search { display: none; }
    JobLogs #job-search.-shown { display: block; }
    """

    def __init__(self, job_name: str, target: Target, *, client=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.job_name = job_name
        self.target = target
        self._client = client  # a CloudWatch Logs client (tests); made from the target otherwise
        self.metrics: MetricTracker | None = None
        self.final_metrics: dict[str, float] = {}
        self._pending: list[LogLine] = []  # lines read before the MetricDefinitions were known
        # Per host: hosts' values interleaved in one series would zigzag between them.
        self.series: dict[tuple[str, str], list[float]] = {}
        self.notice: str = "waiting for the job's description…"
        self.error: AwsError | None = None
        self.started = False
        self.ended = threading.Event()  # the job is Completed, Failed or Stopped
        self.leaving = threading.Event()
        self.rounds = 0  # rounds of GetLogEvents read (tests wait on it)

    def compose(self) -> ComposeResult:
        yield Static("", id="job-metrics")
        yield Static("", id="job-logs-bar")
        yield LogView(id="job-logs")
        yield TextInput(placeholder="search the log (Enter; n for the next)", id="job-search", compact=True)

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    def on_mount(self) -> None:
        self._show_bar()

    def on_unmount(self) -> None:
        self.leaving.set()

    # --- the job's description (from the JobScreen's poll) -----------------------------------
    def job_described(self, described: dict | None, terminal: bool) -> None:
        if described is not None and self.metrics is None:
            spec = described.get("AlgorithmSpecification") or {}
            self.metrics = MetricTracker(spec.get("MetricDefinitions") or [])
            for line in self._pending:
                self._feed(line)
            self._pending.clear()
        if described is not None and terminal:
            self.final_metrics = {
                m["MetricName"]: m["Value"]
                for m in described.get("FinalMetricDataList") or []
                if isinstance(m, dict) and "MetricName" in m and isinstance(m.get("Value"), (int, float))
            }
        if terminal:
            self.ended.set()
        if not self.started:
            self.started = True
            self.notice = "reading CloudWatch Logs…"
            self._follow()
        self._show_metrics()
        self._show_bar()

    # --- the follower (thread) --------------------------------------------------------------
    @work(thread=True, exclusive=True, group="job-logs")
    def _follow(self) -> None:
        worker = get_current_worker()
        reader = LogReader(self.job_name, self.target, client=self._client)
        while not (worker.is_cancelled or self.leaving.is_set()):
            ended = self.ended.is_set()  # read before the round: its lines are then all in
            items, error = [], None
            try:
                items = reader.poll()
            except AwsError as exc:
                error = exc
            except Exception as exc:  # never lose the screen to an unexpected error
                error = AwsError("other", f"reading the logs failed: {type(exc).__name__}: {exc}")
            if worker.is_cancelled or self.leaving.is_set():
                return
            self.post_message(LogsPolled(items, error, reader.backoff))
            if ended and error is None:
                return  # this round started after the job ended: nothing more will come
            wait = POLL_SECONDS + reader.backoff + (ERROR_WAIT if error is not None else 0.0)
            self.leaving.wait(wait)

    @on(LogsPolled)
    def _polled(self, event: LogsPolled) -> None:
        event.stop()
        self.rounds += 1
        self.error = event.error
        lines = [i for i in event.items if isinstance(i, LogLine)]
        for notice in (i for i in event.items if isinstance(i, Notice)):
            self.notice = notice.message
        if lines and self.notice.startswith(("no log streams", "reading", "CloudWatch Logs is throttling")):
            self.notice = ""
        if not event.items and event.backoff == 0 and self.notice.startswith("CloudWatch Logs is throttling"):
            self.notice = ""
        if lines:
            self.view.append(lines)
            if self.metrics is None:
                self._pending += lines
            else:
                for line in lines:
                    self._feed(line)
                self._show_metrics()
        if self.ended.is_set() and self.error is None and not self.view.rows:
            self.notice = "no log lines: the job ended without writing any (or its logs have expired)"
        self._show_bar()

    def _feed(self, line: LogLine) -> None:
        for value in self.metrics.feed(line):
            points = self.series.setdefault((value.name, value.host), [])
            points.append(value.value)
            if len(points) > 2 * SERIES_KEEP:
                del points[:SERIES_KEEP]

    def metric_host(self) -> str | None:
        """The host whose values the metrics show: the one shown, else the first that wrote."""
        view = self.view
        return view.host or (view.hosts[0] if view.hosts else None)

    # --- showing ----------------------------------------------------------------------------
    def _show_metrics(self) -> None:
        widget = self.query_one("#job-metrics", Static)
        tracker = self.metrics
        names = [d.get("Name") for d in (tracker.definitions if tracker else []) if isinstance(d, dict)]
        names = list(dict.fromkeys(n for n in names if isinstance(n, str)))
        names += [n for n in self.final_metrics if n not in names]
        if not names:
            widget.display = False
            return
        widget.display = True
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True, max_width=24)
        grid.add_column(no_wrap=True, justify="right")
        grid.add_column(no_wrap=True, style="cyan")
        grid.add_column(no_wrap=True, style="dim")
        host = self.metric_host()
        where = f" on {host}" if host and len(self.view.hosts) > 1 else ""
        for name in names:
            series = self.series.get((name, host), []) if host else []
            final = self.final_metrics.get(name)
            grid.add_row(
                literal(name),
                Text(format_value(series[-1]) if series else "–"),
                Text(sparkline(series)),
                Text(f"final {format_value(final)}" if final is not None else f"{len(series)} values{where}"),
            )
        if tracker and tracker.errors:
            grid.add_row(Text("regex", style="yellow"), literal("; ".join(tracker.errors)), "", "")
        widget.update(grid)

    def _show_bar(self) -> None:
        view = self.view
        text = Text()
        hosts = view.hosts
        text.append("all hosts" if view.host is None else visible(view.host), style="bold")
        if len(hosts) > 1 or view.host is not None:
            text.append(f" (h: {len(hosts)} hosts)", style="dim")
        text.append(f"  {view.shown_count} lines  ")
        text.append(
            "following" if view.following else "paused: End or f follows", style="green" if view.following else "yellow"
        )
        if view.search_text:
            text.append("  /")
            text.append(visible(view.search_text), style="bold")
            text.append(
                " (n next)" if view.match is not None else " not found",
                style="dim" if view.match is not None else "red",
            )
        if self.error is not None:
            text.append("  ")
            text.append(visible(f"{self.error.kind}: {self.error.message}"), style="bold red")
        elif self.notice:
            style = "yellow" if self.notice.startswith(("CloudWatch Logs is throttling", "no log streams")) else "dim"
            text.append("  ")
            text.append(visible(self.notice), style=style)
        self.query_one("#job-logs-bar", Static).update(text)

    @on(LogView.Moved)
    def _moved(self, event: LogView.Moved) -> None:
        event.stop()
        self._show_bar()

    # --- actions (the JobScreen's keys) --------------------------------------------------------
    def cycle_host(self) -> None:
        self.view.cycle_host()
        self._show_metrics()  # the shown host's values
        if self.view.search_text:
            self.view.search(self.view.search_text)
        self._show_bar()

    def follow(self) -> None:
        self.view.set_following(True)
        self.screen.set_focus(self.view)

    def open_search(self) -> None:
        box = self.query_one("#job-search", Input)
        if self.screen.focused is box:  # `/` is a priority key: in the box it is still typed
            # after the keys already queued for it, as typed
            box.post_message(events.Key("slash", "/"))
            return
        box.add_class("-shown")
        box.value = self.view.search_text or ""
        self.screen.set_focus(box)  # at once: the keys typed right after `/` land in the box

    @on(Input.Submitted, "#job-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close_search()
        self.view.match = None
        self.view.search(event.value)
        self._show_bar()

    def close_search(self) -> None:
        box = self.query_one("#job-search", Input)
        box.remove_class("-shown")
        self.screen.set_focus(self.view)

    def search_next(self, forward: bool = True) -> None:
        if self.view.search_text:
            self.view.search(self.view.search_text, forward=forward, again=True)
            self._show_bar()
        else:
            self.open_search()

    def save(self, directory: str | None = None) -> Path | None:
        """The shown lines to `<job>[-host].log` in the current directory (a new name, never over a file)."""
        from smjob.files import write_atomic

        view = self.view
        stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in self.job_name) or "job"
        if view.host:
            stem += "-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in view.host)
        folder = Path(directory or os.getcwd())
        path = folder / f"{stem}.log"
        n = 1
        while path.exists():
            path = folder / f"{stem}-{n}.log"
            n += 1
        lines = view.plain_lines()
        try:
            write_atomic(path, "\n".join(lines) + ("\n" if lines else ""), mode=0o600)
        except OSError as exc:
            self.notify(f"Could not save the log: {exc}", severity="error")
            return None
        self.notify(f"Saved {len(lines)} line(s) to {path}")
        return path
