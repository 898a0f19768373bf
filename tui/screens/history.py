"""Browse what was submitted or exported: filter, view, diff, and clone or resubmit an entry.

The table shows at most LIMIT entries (newest first); the filter narrows the query itself, so
10,000 entries stay as fast as 10. Listing runs in a thread worker that posts `EntriesLoaded`;
one handler hands the entries to a VirtualTable, which builds cells only for the rows in view.
Clone and resubmit dismiss the screen with a `HistoryAction` whose request already has a fresh
TrainingJobName (names can never be reused).

The filter and cells are in history_rows.py, the view and diff modals in history_views.py.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from smjob.aws import Target
from smjob.diff import diff
from smjob.history import Entry, History
from smjob.terminal_text import fit_middle
from smjob.tui.screens.history_rows import (
    HEADERS,
    LIMIT,
    HistoryFilter,
    cell,
    column_widths,
    content_widths,
    entry_label,
    instances_short,
    local_time,
    name_of,
    parse_filter,
    state_of,
    where_cell,
)
from smjob.tui.screens.history_views import DiffScreen, EntryViewScreen
from smjob.widgets.base import literal
from smjob.widgets.debounce import Debouncer
from smjob.widgets.footer import QuietFooter
from smjob.widgets.gc_pause import GcPause
from smjob.widgets.inputs import TextInput
from smjob.widgets.virtual_table import CELL_PADDING, Column, VirtualTable
from smjob.workflows.submitting import resubmission

__all__ = ["LIMIT", "DiffScreen", "EntriesLoaded", "EntryViewScreen", "HistoryAction", "HistoryScreen", "parse_filter"]

FILTER_DELAY = 0.1  # seconds of quiet typing before the query runs
POLL_SECONDS = 1.0  # how often the store is asked whether another smjob process changed it
SCROLLBAR = 2


@dataclass(frozen=True, slots=True)
class HistoryAction:
    """What the user chose to do with an entry. `request` is a copy with a fresh TrainingJobName;
    `target` is where the entry went (its profile, region and endpoint), for a resubmission."""

    kind: str  # "clone" | "resubmit"
    request: dict
    entry_id: int
    target: Target | None = None
    old_name: str | None = None
    ignore_rules: tuple[str, ...] = ()  # the entry's rule overrides: they apply to the new job too
    code: dict | None = None  # the entry's Code settings (smjob metadata): the clone keeps them


class EntriesLoaded(Message):
    """A listing finished (from the loader thread). `error` is set instead of entries on failure."""

    def __init__(
        self,
        seq: int,
        entries: list[Entry],
        total: int,
        limited: bool,
        error: str | None = None,
        counts: dict[int, int] | None = None,
        widths: dict[str, int] | None = None,
        mark: tuple | None = None,
    ) -> None:
        super().__init__()
        self.seq = seq
        self.entries = entries
        self.total = total
        self.limited = limited
        self.error = error
        self.counts = counts or {}
        self.widths = widths or {}
        self.mark = mark


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
    HistoryScreen #history-table { width: 100%; height: 1fr; }  /* 1fr would lose the filter's margin */
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
        self.counts: dict[int, int] = {}
        self._wanted = content_widths([], {})  # the columns' content widths, from the last listing
        self._widths = dict(self._wanted)
        self._mark: tuple | None = None  # History.change_mark() at the last listing
        self._gc = GcPause(self)  # opening, filtering and viewing paint before a full collection

    def compose(self) -> ComposeResult:
        self._gc.begin()  # until the table is filled and painted
        self.reload()  # the query runs while the widgets mount; its answer is handled after on_mount
        yield Static(Text("History", style="bold"), id="history-title")
        yield TextInput(
            placeholder="filter: text  status:Failed  type:ml.g5  action:export   (/)",
            id="history-filter",
            compact=True,
        )
        yield VirtualTable(self._columns(), id="history-table")  # sized before the first layout
        yield Static("Loading…", id="history-info")
        yield QuietFooter()

    def on_unmount(self) -> None:
        self._gc.end()

    def on_mount(self) -> None:
        self.table.focus()
        self.set_interval(POLL_SECONDS, self._poll)

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#history-table", VirtualTable)

    def _fit_widths(self) -> dict[str, int]:
        room = (self.size.width or self.app.size.width) - SCROLLBAR - 2 * CELL_PADDING * len(HEADERS)
        return column_widths(self._wanted, room)

    def _columns(self) -> list[Column]:
        self._widths = self._fit_widths()
        return [Column(key, label, self._widths[key]) for key, label in HEADERS.items()]

    def _set_columns(self) -> None:
        self.table.set_columns(self._columns())

    # --- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        self._seq += 1
        self._load(self._seq, self.filter)

    @work(thread=True, exclusive=True, group="history-load")
    def _load(self, seq: int, flt: HistoryFilter) -> None:
        query = flt.query()
        try:
            mark = self.history.change_mark()  # before reading: a change during the listing is seen next poll
            rows = self.history.list(**query)
            total = self.history.count()
            kept = [e for e in rows if flt.keep(e)]
            limited = len(kept) > LIMIT or len(rows) >= query["limit"]
            kept = kept[:LIMIT]
            counts = self.history.instance_counts(e.id for e in kept)
        except (sqlite3.Error, OSError) as exc:
            self.post_message(EntriesLoaded(seq, [], 0, False, f"cannot read the history: {exc}"))
            return
        widths = content_widths(kept, counts)
        self.post_message(EntriesLoaded(seq, kept, total, limited, counts=counts, widths=widths, mark=mark))

    def _poll(self) -> None:
        """Another smjob (`smjob history resubmit`, a second app) may have written: list again."""
        if self._mark is None:
            return  # the first listing is still running
        try:
            mark = self.history.change_mark()
        except (sqlite3.Error, OSError):
            return
        if mark != self._mark:
            self._mark = mark
            self.reload()

    @on(EntriesLoaded)
    def _loaded(self, event: EntriesLoaded) -> None:
        event.stop()
        if event.seq != self._seq:
            return  # an older query finished after a newer one started
        self._gc.end_after_paint()
        info = self.query_one("#history-info", Static)
        info.set_class(event.error is not None, "-error")
        if event.error is not None:
            info.update(literal(event.error))
            return
        current = self.highlighted_id()
        self.entries = {e.id: e for e in event.entries}
        self.order = [e.id for e in event.entries]
        self.total, self.limited = event.total, event.limited
        self.counts, self._wanted, self._mark = event.counts, event.widths, event.mark
        self._set_columns()
        self.table.set_rows(self.order, self._cells, cursor_key=current)  # cells come per row in view
        self._show_info()

    def on_resize(self) -> None:
        if self._fit_widths() != self._widths:
            self._set_columns()

    def _cells(self, entry_id: int) -> list[Text]:
        entry = self.entries[entry_id]
        widths = self._widths
        state, style = state_of(entry)
        return [
            cell("*" if entry.id == self.marked else "", "bold magenta"),
            cell(local_time(entry.created)),
            cell(state, style),
            cell(fit_middle(name_of(entry), widths["name"])),
            cell(fit_middle(instances_short(entry.instance_type, self.counts.get(entry.id)), widths["instances"])),
            cell(where_cell(entry, widths["where"]), "dim"),
        ]

    def _show_info(self) -> None:
        shown = len(self.order)
        filtered = any((self.filter.text, self.filter.status, self.filter.type_contains, self.filter.action))
        text = Text(f"{shown} of {self.total} entries")
        if self.limited:
            text.append(
                f" (the newest {shown} that match; filter to narrow)"
                if filtered
                else f" (the newest {shown}; filter to find older ones)"
            )
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
            self._gc.begin()  # until the table is refilled and painted
            self.reload()

    @on(Input.Submitted, "#history-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_to_table()

    def action_focus_filter(self) -> None:
        self.query_one("#history-filter", Input).focus()

    def action_to_table(self) -> None:
        self.table.focus()

    # --- the highlighted entry -------------------------------------------------------------
    def highlighted_id(self) -> int | None:
        return self.table.cursor_key

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

    @on(VirtualTable.RowSelected, "#history-table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_view()

    def action_view(self) -> None:
        self._gc.begin()
        entry = self._full_entry(self.highlighted_id())
        if entry is None:
            self._gc.end()
            return
        view = EntryViewScreen(entry)
        self.app.push_screen(view)
        self._gc.end_after_paint(view)

    def action_mark(self) -> None:
        entry_id = self.highlighted_id()
        if entry_id is None:
            return
        previous = self.marked
        self.marked = None if previous == entry_id else entry_id
        for row_id in (previous, self.marked):
            if row_id is not None:
                self.table.refresh_row(row_id)
        self._show_info()

    def action_diff(self) -> None:
        entry = self._full_entry(self.highlighted_id())
        if entry is None:
            return
        if self.marked is not None and self.marked != entry.id:
            base = self._full_entry(self.marked)
            if base is None:
                return
            if base.id > entry.id:  # older to newer, whichever was marked
                base, entry = entry, base
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
        prepared = resubmission(entry)  # fresh name, the entry's saved target: as `smjob history resubmit`
        self.dismiss(
            HistoryAction(
                kind,
                prepared.request,
                entry.id,
                prepared.target,
                prepared.old_name,
                prepared.ignore_rules,
                code=entry.code,
            )
        )
