"""The picker screen every account lookup uses: levels of options (a bucket, then its prefixes...),
data from the disk cache at once, fresh data from a worker thread that never blocks typing.

A level names the lookups it needs (smjob.resources kinds and their parameters) and builds its
options from their items. On open, a level shows what the cache has (no network) with its age;
what the cache lacks is fetched in a thread worker (at most `TIMEOUT` s); `ctrl+r` (or `r` in the
list) fetches again. Escape dismisses the screen, which abandons its workers: a late answer is
dropped. A failed lookup says why in the status line; the field keeps accepting typed text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from smjob.aws.target import Target
from smjob.widgets.base import literal
from smjob.widgets.inputs import TextInput
from smjob.widgets.picker_keys import ListPickerScreen

TIMEOUT = 5.0


def app_target(app) -> Target:
    """The app's target (profile, region, endpoint); a bare Target where the app has none (tests)."""
    target = getattr(app, "target", None)
    return target if isinstance(target, Target) else Target()


def job_region(target: Target) -> str:
    """The region the job goes to: the target's, else the one botocore would read (no botocore import)."""
    from smjob.aws.target import configured_region

    return target.region or configured_region(target.profile) or "us-east-1"


def header(text: str) -> Option:
    return Option(Text(literal(text).plain, style="bold"), disabled=True)


def note(text: str) -> Option:
    """A line that is not a choice (server or catalogue text: control characters shown escaped)."""
    return Option(Text("  " + literal(text).plain, style="dim italic"), disabled=True)


def row(*cells: tuple[str, int | None], style: str = "", mark: str = "") -> Text:
    """One option line: user text in fixed-width cells (never markup, controls escaped)."""
    out = Text("  ", style=style, no_wrap=True, overflow="ellipsis")  # one line per option: keys move by lines
    for value, width in cells:
        cell = literal(value or "")
        if width is not None:
            cell.truncate(width, overflow="ellipsis", pad=True)
            cell.append(" ")
        out.append_text(cell)
    if mark:
        out.append("  " + mark, style="bold yellow")
    return out


@dataclass
class Level:
    title: str
    lookups: tuple[tuple[str, dict], ...] = ()  # (kind, params) of smjob.resources
    build: Callable[[dict, str], list[Option]] = lambda items, query: []  # (items by kind, filter) -> options
    parent_query: str = ""  # the parent's filter, restored on the way back
    items: dict = field(default_factory=dict)  # kind -> list, as known now
    ages: dict = field(default_factory=dict)  # kind -> "3 min ago" / "just now"
    errors: dict = field(default_factory=dict)  # kind -> message
    loading: set = field(default_factory=set)


class PickerScreen(ListPickerScreen):
    """Subclasses give `root()` (the first Level) and may override `chosen(option_id)` to call
    `push_level` instead of dismissing with the option's id. Dismisses with None on Escape."""

    DEFAULT_CSS = """
    /* Opaque: a translucent modal re-renders the whole editor under it on every frame (the cost
       of opening in one frame); the picker covers an 80x24 terminal anyway. */
    PickerScreen { align: center middle; background: $background; }
    PickerScreen > #picker {
        width: 100%; max-width: 140; height: 100%; max-height: 40;
        border: round $accent; background: $surface; padding: 0 1;
    }
    PickerScreen #picker-title { height: 1; text-style: bold; }
    PickerScreen #picker-filter { margin: 0; }
    PickerScreen #picker-list { height: 1fr; border: none; padding: 0; text-wrap: nowrap; text-overflow: ellipsis; }
    PickerScreen #picker-status { height: auto; max-height: 6; color: $text-muted; }
    PickerScreen #picker-status.-error { color: $error; }
    """

    BINDINGS = [
        Binding("ctrl+r", "refresh_lookups", "Refresh", show=False, id="picker.refresh"),
        Binding("left", "back", "Back", show=False, id="picker.back"),
    ]

    picker_title = "Pick"
    keys_help = "↑↓ Enter pick"

    def __init__(self, target: Target | None = None, current=None) -> None:
        super().__init__()
        self.target = target
        self.current = current
        self.levels: list[Level] = []
        self._levels_by_id: dict[int, Level] = {}  # a worker's group names its level

    # --- subclasses -----------------------------------------------------------------------------
    def root(self) -> Level:
        raise NotImplementedError

    def status_extra(self) -> Text | None:
        """A line of the subclass's own (a selection, an error) above the keys."""
        return None

    # --- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static("", id="picker-title")
            yield TextInput(placeholder="type to filter", id="picker-filter", compact=True)
            yield OptionList(id="picker-list")
            yield Static("", id="picker-status")

    @property
    def filter(self) -> Input:
        return self.query_one("#picker-filter", Input)

    @property
    def level(self) -> Level:
        return self.levels[-1]

    def on_mount(self) -> None:
        if self.target is None:
            self.target = app_target(self.app)
        self.filter.focus()
        self.push_level(self.root())
        self.opened()

    def opened(self) -> None:
        """After the root level is shown (not on_mount: Textual calls each class's on_mount)."""

    # --- levels ---------------------------------------------------------------------------------
    def push_level(self, level: Level) -> None:
        if self.levels:
            level.parent_query = self.filter.value
        self.levels.append(level)
        self._start(level, refresh=False)
        self._set_filter("")

    def action_back(self) -> None:
        if len(self.levels) <= 1:
            return
        old = self.levels.pop()
        self._set_filter(old.parent_query)

    def _set_filter(self, text: str) -> None:
        with self.filter.prevent(Input.Changed):
            self.filter.value = text
        self.filter.cursor_position = len(text)
        self.show()

    # --- lookups --------------------------------------------------------------------------------
    def _start(self, level: Level, *, refresh: bool) -> None:
        from smjob.resources import cached

        for kind, params in level.lookups:
            if not refresh:
                try:
                    hit = cached(kind, self.target, **params)
                except Exception:  # the cache is never worth an error
                    hit = None
                if hit is not None:
                    level.items[kind], level.ages[kind] = hit.items, hit.age
                    continue
            level.loading.add(kind)
            level.errors.pop(kind, None)
            self.run_worker(
                self._fetch(kind, params),
                thread=True,
                group=f"lookup-{id(level)}-{kind}",
                exclusive=True,
                exit_on_error=False,
                description=f"{kind} for {self.target.label}",
            )
            self._levels_by_id[id(level)] = level

    def _fetch(self, kind: str, params: dict):
        target = self.target

        def work():
            from smjob.resources import lookup

            return kind, lookup(kind, target, refresh=True, timeout=TIMEOUT, **params)

        return work

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        group = worker.group or ""
        if not group.startswith("lookup-"):
            return
        _, level_id, kind = group.split("-", 2)
        level = self._levels_by_id.get(int(level_id))
        if level is None or level not in self.levels:
            return  # the user went back: nobody looks at that level any more
        if event.state == WorkerState.SUCCESS:
            _, result = worker.result
            level.items[kind], level.ages[kind] = result.items, "just now"
            level.errors.pop(kind, None)
        elif event.state == WorkerState.ERROR:
            error = worker.error
            level.errors[kind] = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
        else:
            return
        level.loading.discard(kind)
        if level is self.level:
            self.show()

    def action_refresh_lookups(self) -> None:
        if self.level.lookups:
            self._start(self.level, refresh=True)
            self.show()

    # --- showing --------------------------------------------------------------------------------
    def show(self) -> None:
        level = self.level
        olist = self.option_list
        keep = olist.highlighted_option.id if olist.highlighted_option is not None else None
        options = level.build(level.items, self.filter.value.strip().lower())
        olist.set_options(options)
        self._highlight(keep)
        title = Text(self.picker_title, style="bold")
        if level.title:
            title.append(" › ")
            title.append_text(literal(level.title))
        self.query_one("#picker-title", Static).update(title)
        self._show_status()

    def _highlight(self, option_id: str | None) -> None:
        olist = self.option_list
        ids = [o.id for o in olist.options]
        wanted = [option_id, *self.preferred()]
        for candidate in wanted:
            if candidate is not None and candidate in ids and not olist.options[ids.index(candidate)].disabled:
                olist.highlighted = ids.index(candidate)
                return
        olist.highlighted = next((i for i, o in enumerate(olist.options) if not o.disabled), None)

    def preferred(self) -> list[str]:
        """Option ids to highlight first when nothing was (the field's current value)."""
        return [self.current] if isinstance(self.current, str) else []

    def _show_status(self) -> None:
        level = self.level
        text = Text()
        errors = [level.errors[k] for k, _ in level.lookups if k in level.errors]
        for message in errors:
            text.append_text(literal("lookup failed: " + message))
            text.append("\n")
        if level.loading:
            text.append("loading… (keep typing in the field after Esc if you know the value)  ", style="italic")
        elif level.lookups and not errors:
            ages = [level.ages[k] for k, _ in level.lookups if k in level.ages]
            if ages:
                text.append(f"from {self.target.region or 'the default region'}, {ages[0]}  ", style="")
        extra = self.status_extra()
        if extra is not None:
            text.append_text(extra)
            text.append("  ")
        keys = [self.keys_help]
        if len(self.levels) > 1:
            keys.append("Backspace back")
        if level.lookups:
            keys.append("ctrl+r refresh")
        keys.append("Esc cancel")
        text.append("  ".join(keys), style="dim")
        status = self.query_one("#picker-status", Static)
        status.set_class(bool(errors), "-error")
        status.update(text)

    # --- keys -----------------------------------------------------------------------------------
    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self.show()

    def on_key(self, event) -> None:
        # In the list (after Tab), r refreshes; in the filter it is a letter.
        if event.key == "r" and self.focused is self.option_list:
            event.stop()
            self.action_refresh_lookups()
        elif event.key == "backspace" and self.focused is self.filter and not self.filter.value:
            event.stop()
            self.action_back()


def matches(query: str, *texts) -> bool:
    haystack = " ".join(str(t) for t in texts if t).lower()
    return all(term in haystack for term in query.split())
