"""The history screen's filter syntax and table cells: pure functions, no widgets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from rich.cells import cell_len
from rich.text import Text

from smjob.history import Entry, where_of
from smjob.terminal_text import fit_middle, fit_path, visible
from smjob.widgets.base import literal

LIMIT = 500  # rows per query: enough to scroll, few enough to read at once
TYPE_SCAN = 4 * LIMIT  # rows read when a partial instance type is filtered here, not in SQL
TYPE_WIDTH = 16
STATUSES = ("InProgress", "Completed", "Failed", "Stopping", "Stopped")
ACTION_LABELS = {"submit": "submit", "export": "export", "submit-failed": "failed"}
STATUS_STYLES = {"Completed": "green", "Failed": "red", "Stopped": "yellow", "Stopping": "yellow", "InProgress": "cyan"}


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
        return {
            "text": text,
            "status": self.status,
            "action": self.action,
            "limit": TYPE_SCAN if self.type_contains else LIMIT,
        }

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
        when = when.replace(tzinfo=UTC)
    when = when.astimezone()
    if not short:
        return when.strftime("%Y-%m-%d %H:%M:%S %Z")
    if when.year != datetime.now().year:
        return when.strftime("%Y-%m-%d")
    return when.strftime("%m-%d %H:%M")


def status_text(status: str | None) -> Text:
    return cell(status, STATUS_STYLES.get(status or "", ""))


def cell(text: str | None, style: str = "") -> Text:
    shown = literal(text or "")
    if style:
        shown.stylize(style)
    return shown


def type_short(instance_type: str | None) -> str:
    """One instance type, or the first of a heterogeneous cluster's with `+N` for the others."""
    types = [t for t in (instance_type or "").split(",") if t]
    if len(types) <= 1:
        return fit_middle(instance_type or "", TYPE_WIDTH)
    more = f" +{len(types) - 1}"
    return fit_middle(types[0], TYPE_WIDTH - len(more)) + more


def instances_short(instance_type: str | None, count: int | None) -> str:
    """`g5.2xlarge ×2`: the type (type_short, without the `ml.` every type has) and how many
    instances, when known."""
    shown = type_short(",".join(t.removeprefix("ml.") for t in (instance_type or "").split(",")))
    return f"{shown} \u00d7{count}" if shown and count is not None else shown


def state_of(entry: Entry) -> tuple[str, str]:
    """(text, style) of the status column: a submission's job status, or what else happened."""
    if entry.action == "export":
        return "exported", "dim"
    if entry.action == "submit-failed":
        return "not sent", "red"
    return entry.status or "submitted", STATUS_STYLES.get(entry.status or "", "")


HEADERS = {"mark": "", "when": "when", "state": "status", "name": "job name", "instances": "instances"} | {
    "where": "where"
}
NAME_MAX, WHERE_MAX = 64, 80  # where: room for a file's path at 200 columns


def name_of(entry: Entry) -> str:
    return entry.job_name or ""  # an export's file is in "where"


def where_cell(entry: Entry, width: int) -> str:
    """The where column (smjob.history.where_of, as the CLI prints it) in `width` cells: a path
    keeps its file name; a host or region is cut in the middle."""
    return fit_path(where_of(entry), width)


def content_widths(entries, counts: dict[int, int]) -> dict[str, int]:
    """Each column's width to show every entry's cell whole (the header's at least)."""
    widths = {key: cell_len(label) for key, label in HEADERS.items()} | {"mark": 1}
    for e in entries:
        cells = (
            ("when", local_time(e.created)),
            ("state", state_of(e)[0]),
            ("name", visible(name_of(e))),
            ("instances", instances_short(e.instance_type, counts.get(e.id))),
            ("where", visible(where_of(e))),
        )
        for key, text in cells:
            widths[key] = max(widths[key], cell_len(text))
    widths["name"] = min(widths["name"], NAME_MAX)
    widths["where"] = min(widths["where"], WHERE_MAX)
    return widths


# Widths of the columns sized to their content: when the screen is too narrow, "where" gives way
# down to 10 cells, the job name down to 16, then the instances to 14 (each cut in the middle).
SQUEEZE = {"where": 10, "name": 16, "instances": 14}


def column_widths(wanted: dict[str, int], room: int) -> dict[str, int]:
    """`wanted`: each column's content width (header included), in order; `room`: the cells the
    columns may use."""
    widths = dict(wanted)
    over = sum(widths.values()) - room
    if over > 0:
        for key, low in SQUEEZE.items():
            if key in widths and over > 0:
                give = max(0, min(over, widths[key] - low))
                widths[key] -= give
                over -= give
    return widths


def entry_label(entry: Entry) -> str:
    return f"#{entry.id} {entry.job_name or '(no name)'}"
