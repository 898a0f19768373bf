"""Browse what was submitted or exported: filter, view, diff, and clone or resubmit an entry.

The table shows at most LIMIT entries (newest first); the filter narrows the query itself, so
10,000 entries stay as fast as 10. Listing runs in a thread worker that posts `EntriesLoaded`;
one handler fills the table. Clone and resubmit dismiss the screen with a `HistoryAction`
whose request already has a fresh TrainingJobName (names can never be reused).
"""

from __future__ import annotations

import copy
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

from smjob.aws import Target
from smjob.diff import diff
from smjob.history import Entry, History
from smjob.naming import fresh_name
from smjob.secrets import mask_changes, mask_secrets
from widgets.base import literal
from widgets.footer import QuietFooter
from widgets.debounce import Debouncer
from widgets.diff_view import DiffView, summary

# Widths (with the cell padding) of the columns left of "where", bar the job name; the name gets
# the rest of the screen so that at 80 columns everything but "where" shows without scrolling.
FIXED_WIDTH = 3 + 13 + 8 + 12 + 18 + 2 + 3  # mark, when, action, status, type, name padding, scrollbar
TYPE_WIDTH = 16
MIN_NAME_WIDTH = 20
LIMIT = 500  # rows per query: enough to scroll, small enough to fill the table at once
FILTER_DELAY = 0.1  # seconds of quiet typing before the query runs
TYPE_SCAN = 4 * LIMIT  # rows read when a partial instance type is filtered here, not in SQL
STATUSES = ("InProgress", "Completed", "Failed", "Stopping", "Stopped")
ACTION_LABELS = {"submit": "submit", "export": "export", "submit-failed": "failed"}
STATUS_STYLES = {"Completed": "green", "Failed": "red", "Stopped": "yellow", "Stopping": "yellow",
                 "InProgress": "cyan"}


@dataclass(frozen=True, slots=True)
class HistoryAction:
    """What the user chose to do with an entry. `request` is a copy with a fresh TrainingJobName;
    `target` is where the entry went (its profile, region and endpoint), for a resubmission."""

    kind: str  # "clone" | "resubmit"
    request: dict
    entry_id: int
    target: Target | None = None
    old_name: str | None = None


# --- the filter ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HistoryFilter:
    text: str | None = None
    status: str | None = None
    type_contains: str | None = None  # part of the instance type, matched here (e.g. ml.g5)
    action: str | None = None

    def query(self) -> dict:
        """History.list keyword arguments. A type filter also narrows the SQL text match when no
        other text is given (the instance type is one of the columns the text matches)."""
        text = self.text or self.type_contains
        return {"text": text, "status": self.status, "action": self.action,
                "limit": TYPE_SCAN if self.type_contains else LIMIT}

    def keep(self, entry: Entry) -> bool:
        return not self.type_contains or self.type_contains.lower() in (entry.instance_type or "").lower()


_TOKEN = re.compile(r"(status|type|action):(\S*)", re.I)


def parse_filter(raw: str) -> HistoryFilter:
    """`resnet status:failed type:ml.g5` -> text "resnet", status "Failed", instance types
    containing "ml.g5". A status may be abbreviated (`status:comp`); an empty token is ignored."""
    status = type_contains = action = None
    words = []
    for word in raw.split():
        m = _TOKEN.fullmatch(word)
        if not m:
            words.append(word)
            continue
        key, value = m.group(1).lower(), m.group(2)
        if not value:
            continue
        if key == "status":
            known = [s for s in STATUSES if s.lower().startswith(value.lower())]
            status = known[0] if len(known) == 1 else value
        elif key == "type":
            type_contains = value
        else:
            known = [a for a, label in ACTION_LABELS.items() if value.lower() in (a, label)]
            action = known[0] if known else value
    return HistoryFilter(" ".join(words) or None, status, type_contains, action)


# --- cells -------------------------------------------------------------------------------------

def local_time(created: str, *, short: bool = True) -> str:
    try:
        when = datetime.fromisoformat(created)
    except (TypeError, ValueError):
        return str(created or "")[:16]
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    when = when.astimezone()
    if not short:
        return when.strftime("%Y-%m-%d %H:%M:%S %Z")
    if when.year != datetime.now().year:
        return when.strftime("%Y-%m-%d")
    return when.strftime("%m-%d %H:%M")


def where_short(entry: Entry) -> str:
    if entry.endpoint:
        parts = urlsplit(entry.endpoint)
        return parts.netloc or entry.endpoint
    return entry.region or ""


def status_text(status: str | None) -> Text:
    return _cell(status, STATUS_STYLES.get(status or "", ""))


def _cell(text: str | None, style: str = "") -> Text:
    cell = literal(text or "")
    if style:
        cell.stylize(style)
    return cell


def fit(text: str, width: int) -> str:
    """`text` cut to `width` in the middle: the start and the end (often a timestamp) stay."""
    if len(text) <= width:
        return text
    if width <= 1:
        return text[:width]
    tail = (width - 1) // 2
    return text[: width - 1 - tail] + "\u2026" + text[len(text) - tail:]


def type_short(instance_type: str | None) -> str:
    """One instance type, or the first of a heterogeneous cluster's with `+N` for the others."""
    types = [t for t in (instance_type or "").split(",") if t]
    if len(types) <= 1:
        return fit(instance_type or "", TYPE_WIDTH)
    more = f" +{len(types) - 1}"
    return fit(types[0], TYPE_WIDTH - len(more)) + more


def entry_label(entry: Entry) -> str:
    return f"#{entry.id} {entry.job_name or '(no name)'}"


# --- the screen ----------------------------------------------------------------------------------

class EntriesLoaded(Message):
    """A listing finished (from the loader thread). `error` is set instead of entries on failure."""

    def __init__(self, seq: int, entries: list[Entry], total: int, limited: bool, error: str | None = None) -> None:
        super().__init__()
        self.seq = seq
        self.entries = entries
        self.total = total
        self.limited = limited
        self.error = error


class HistoryScreen(Screen[HistoryAction | None]):
    BINDINGS = [
        Binding("escape", "close", "Back", id="history.close"),
        Binding("slash", "focus_filter", "Filter", id="history.filter"),
        Binding("v", "view", "View", id="history.view"),
        Binding("m", "mark", "Mark", id="history.mark"),
        Binding("d", "diff", "Diff", id="history.diff"),
        Binding("c", "clone", "Clone", id="history.clone"),
        Binding("r", "resubmit", "Resubmit", id="history.resubmit"),
        Binding("down", "to_table", "Entries", id="history.to_table", show=False),
    ]
    DEFAULT_CSS = """
    HistoryScreen #history-title { height: 1; padding: 0 1; background: $primary-background; }
    HistoryScreen #history-filter { margin: 0 1; }
    HistoryScreen #history-table { height: 1fr; }
    HistoryScreen #history-info { height: auto; padding: 0 1; color: $text-muted; }
    HistoryScreen #history-info.-error { color: $error; }
    """

    def __init__(self, history: History, draft: dict) -> None:
        super().__init__()
        self.history = history
        self.draft = draft if isinstance(draft, dict) else {}
        self.entries: dict[int, Entry] = {}
        self.order: list[int] = []
        self.total = 0
        self.limited = False
        self.marked: int | None = None
        self.filter = HistoryFilter()
        self._seq = 0
        self._filter = Debouncer(self, FILTER_DELAY, self._apply_filter)
        self._name_width = MIN_NAME_WIDTH

    def compose(self) -> ComposeResult:
        yield Static(Text("History", style="bold"), id="history-title")
        yield Input(placeholder="filter: text  status:Failed  type:ml.g5  action:export   (/)",
                    id="history-filter", compact=True)
        table = DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("Loading…", id="history-info")
        yield QuietFooter()

    def on_mount(self) -> None:
        self._add_columns()
        self.query_one(DataTable).focus()
        self.reload()

    def _add_columns(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("", key="mark", width=1)
        table.add_column("when", key="when")
        table.add_column("action", key="action")
        table.add_column("job name", key="name")
        table.add_column("status", key="status")
        table.add_column("instance type", key="type")
        table.add_column("where", key="where")

    # --- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        self._seq += 1
        self._load(self._seq, self.filter)

    @work(thread=True, exclusive=True, group="history-load")
    def _load(self, seq: int, flt: HistoryFilter) -> None:
        query = flt.query()
        try:
            rows = self.history.list(**query)
            total = self.history.count()
        except (sqlite3.Error, OSError) as exc:
            self.post_message(EntriesLoaded(seq, [], 0, False, f"cannot read the history: {exc}"))
            return
        kept = [e for e in rows if flt.keep(e)]
        limited = len(kept) > LIMIT or len(rows) >= query["limit"]
        self.post_message(EntriesLoaded(seq, kept[:LIMIT], total, limited))

    @on(EntriesLoaded)
    def _loaded(self, event: EntriesLoaded) -> None:
        event.stop()
        if event.seq != self._seq:
            return  # an older query finished after a newer one started
        info = self.query_one("#history-info", Static)
        info.set_class(event.error is not None, "-error")
        if event.error is not None:
            info.update(literal(event.error))
            return
        current = self.highlighted_id()
        self.entries = {e.id: e for e in event.entries}
        self.order = [e.id for e in event.entries]
        self.total, self.limited = event.total, event.limited
        self._fill(current)
        self._show_info()

    def _fill(self, current: int | None) -> None:
        table = self.query_one(DataTable)
        self._name_width = self._fit_width()
        table.clear(columns=True)  # columns only ever grow: start afresh so a narrower screen fits
        self._add_columns()
        for entry_id in self.order:
            table.add_row(*self._cells(self.entries[entry_id]), key=str(entry_id))
        if current in self.entries:
            table.move_cursor(row=self.order.index(current), animate=False)

    def _fit_width(self) -> int:
        return max(MIN_NAME_WIDTH, self.size.width - FIXED_WIDTH)

    def on_resize(self) -> None:
        if self.order and self._fit_width() != self._name_width:
            self._fill(self.highlighted_id())

    def _cells(self, entry: Entry) -> list[Text]:
        failed = entry.action == "submit-failed"
        return [
            _cell("*" if entry.id == self.marked else "", "bold magenta"),
            _cell(local_time(entry.created)),
            _cell(ACTION_LABELS.get(entry.action, entry.action), "red" if failed else ""),
            _cell(fit(entry.job_name or entry.path or "", self._name_width)),
            status_text(entry.status),
            _cell(type_short(entry.instance_type)),
            _cell(where_short(entry), "dim"),
        ]

    def _show_info(self) -> None:
        shown = len(self.order)
        filtered = any((self.filter.text, self.filter.status, self.filter.type_contains, self.filter.action))
        text = Text(f"{shown} of {self.total} entries")
        if self.limited:
            text.append(f" (the newest {shown} that match; filter to narrow)" if filtered
                        else f" (the newest {shown}; filter to find older ones)")
        elif filtered:
            text.append(" match")
        if self.marked is not None:
            marked = self.entries.get(self.marked)
            text.append("   marked: ")
            text.append_text(literal(entry_label(marked) if marked else f"#{self.marked}"))
        info = self.query_one("#history-info", Static)
        info.set_class(False, "-error")
        info.update(text)

    # --- filter ----------------------------------------------------------------------------
    @on(Input.Changed, "#history-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter(event.value)

    def _apply_filter(self, raw: str) -> None:
        flt = parse_filter(raw)
        if flt != self.filter:
            self.filter = flt
            self.reload()

    @on(Input.Submitted, "#history-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_to_table()

    def action_focus_filter(self) -> None:
        self.query_one("#history-filter", Input).focus()

    def action_to_table(self) -> None:
        self.query_one(DataTable).focus()

    # --- the highlighted entry -------------------------------------------------------------
    def highlighted_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not self.order or table.row_count == 0:
            return None
        row = table.cursor_row
        return self.order[row] if 0 <= row < len(self.order) else None

    def _full_entry(self, entry_id: int | None) -> Entry | None:
        """The entry with its request (History.get), or None with the reason shown."""
        if entry_id is None:
            self.notify("No entry is highlighted", severity="warning")
            return None
        try:
            return self.history.get(entry_id)
        except KeyError:
            self.notify(f"Entry #{entry_id} is gone from the history", severity="error")
        except (sqlite3.Error, OSError) as exc:
            self.notify(f"Cannot read entry #{entry_id}: {exc}", severity="error", markup=False)
        return None

    # --- actions ---------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    @on(DataTable.RowSelected, "#history-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_view()

    def action_view(self) -> None:
        entry = self._full_entry(self.highlighted_id())
        if entry is not None:
            self.app.push_screen(EntryViewScreen(entry))

    def action_mark(self) -> None:
        entry_id = self.highlighted_id()
        if entry_id is None:
            return
        previous = self.marked
        self.marked = None if previous == entry_id else entry_id
        table = self.query_one(DataTable)
        for row_id in (previous, self.marked):
            if row_id in self.entries:
                table.update_cell(str(row_id), "mark", _cell("*" if row_id == self.marked else "", "bold magenta"))
        self._show_info()

    def action_diff(self) -> None:
        entry = self._full_entry(self.highlighted_id())
        if entry is None:
            return
        if self.marked is not None and self.marked != entry.id:
            base = self._full_entry(self.marked)
            if base is None:
                return
            before, after = base.request or {}, entry.request or {}
            heading = (entry_label(base), entry_label(entry))
        else:
            before, after = entry.request or {}, self.draft
            heading = (entry_label(entry), "the current draft")
        self.app.push_screen(DiffScreen(diff(before, after), *heading))

    def action_clone(self) -> None:
        self._act("clone")

    def action_resubmit(self) -> None:
        self._act("resubmit")

    def _act(self, kind: str) -> None:
        entry = self._full_entry(self.highlighted_id())
        if entry is None:
            return
        if not isinstance(entry.request, dict):
            self.notify(f"Entry #{entry.id} has no request to {kind}", severity="error")
            return
        request = copy.deepcopy(entry.request)
        old = request.get("TrainingJobName")
        old = old if isinstance(old, str) else None
        request["TrainingJobName"] = fresh_name(old or "", datetime.now(timezone.utc))
        target = Target(entry.profile, entry.region, entry.endpoint)
        self.dismiss(HistoryAction(kind, request, entry.id, target, old))


# --- modals --------------------------------------------------------------------------------------

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 95%; max-width: 110; height: 1fr; margin: 1 0 0 0; border: round $primary; background: $surface; }}
{name} .modal-title {{ height: auto; padding: 0 1; text-style: bold; }}
{name} .modal-facts {{ height: auto; padding: 0 1; color: $text-muted; }}
{name} .modal-error {{ height: auto; padding: 0 1; color: $error; }}
{name} VerticalScroll {{ height: 1fr; padding: 0 1; }}
"""


class EntryViewScreen(ModalScreen[None]):
    """One entry: where and when it went, AWS's error if it failed, and its request as JSON."""

    BINDINGS = [Binding("escape,q,v", "dismiss", "Close", id="history.view.close")]
    DEFAULT_CSS = MODAL_CSS.format(name="EntryViewScreen")

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        e = self.entry
        title = Text(f"#{e.id} {ACTION_LABELS.get(e.action, e.action)}  ")
        title.append_text(literal(e.job_name or "(no name)"))
        if e.status:
            title.append("  ")
            title.append_text(status_text(e.status))
        facts = [local_time(e.created, short=False)]
        where = ", ".join(x for x in (e.profile and f"profile {e.profile}", e.region, e.endpoint) if x)
        if where:
            facts.append(where)
        if e.arn:
            facts.append(e.arn)
        if e.path:
            facts.append(f"file {e.path}")
        with Vertical():
            yield Static(title, classes="modal-title")
            yield Static(literal("\n".join(facts)), classes="modal-facts")
            if e.error:
                yield Static(literal(f"error: {e.error}"), classes="modal-error")
            with VerticalScroll(id="entry-json"):
                yield Static(self._code(), id="entry-code")
        yield QuietFooter()

    def _code(self):
        if self.entry.request is None:
            return Text("(no request was recorded)", style="dim")
        try:
            from smjob.render import to_json

            code = to_json(mask_secrets(self.entry.request))  # on screen: secret-looking values hidden
        except Exception:  # noqa: BLE001 - an odd old request must still be viewable
            code = json.dumps(mask_secrets(self.entry.request), indent=2, ensure_ascii=False, default=str)
        # Syntax shows code as text: markup or escapes inside values stay literal.
        return Syntax(code.replace("\x1b", "\\x1b"), "json", theme="ansi_dark", word_wrap=True)

    def on_mount(self) -> None:
        self.query_one("#entry-json").focus()


class DiffScreen(ModalScreen[None]):
    """The changes from one request to another (smjob.diff), colored by kind."""

    BINDINGS = [Binding("escape,q,d", "dismiss", "Close", id="history.diff.close")]
    DEFAULT_CSS = MODAL_CSS.format(name="DiffScreen") + """
    DiffScreen > Vertical { height: auto; max-height: 100%; }
    DiffScreen VerticalScroll { height: auto; max-height: 70vh; }
    """

    def __init__(self, changes, before: str, after: str) -> None:
        super().__init__()
        self.changes = mask_changes(changes)  # on screen: secret-looking values hidden
        self.before, self.after = before, after

    def compose(self) -> ComposeResult:
        title = Text("Changes from ")
        title.append_text(literal(self.before))
        title.append(" \u2192 ")
        title.append_text(literal(self.after))
        with Vertical():
            yield Static(title, classes="modal-title")
            yield Static(summary(self.changes), classes="modal-facts")
            with VerticalScroll(id="diff-scroll"):
                yield DiffView(self.changes, id="diff-view")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.query_one("#diff-scroll").focus()
