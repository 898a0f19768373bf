"""The submit confirmation's reality checks: the cost bound with how it is worked out, the
guard-rail warnings from smjob's settings, and a preflight that starts when the dialog opens.

Mounted by SubmitScreen with `yield PreflightPanel(request, target)`. The preflight runs in a
thread worker (smjob.preflight, never CreateTrainingJob); each task's checks are shown as they
arrive: passed, failed, warning, could not check (why). A check about a field names it; Enter on
it closes the dialog and jumps to the field. `has_warnings` says whether the dialog should start
on Cancel; warnings that arrive later move the focus from Submit to Cancel themselves.
"""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Region
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from smjob.aws import Target
from smjob.paths import format_path
from smjob.preflight import FAILED, PASSED, UNKNOWN, WARNING
from smjob.widgets.base import literal
from smjob.widgets.hanging import Hanging, Row, labelled

LABEL = 12  # the dialog's label column
ICONS = {FAILED: ("✗", "bold red"), UNKNOWN: ("?", "yellow"), WARNING: ("!", "yellow"), PASSED: ("✓", "green")}
LOOKING = "looking the price up…"
ORDER = {FAILED: 0, WARNING: 1, UNKNOWN: 2, PASSED: 3}  # what needs the eye first


def cost_rows(estimate) -> list[Row]:
    """`≤ $3.03 = 1 × ml.g5.2xlarge × $1.515/h × 2 h`, then the notes that bound it (spot, warm pool)."""
    hours = (estimate.max_runtime_seconds + estimate.keep_alive_seconds) / 3600
    total = estimate.total_usd
    body = Text()
    if not estimate.lines:
        body.append("no instance type")
        return [labelled("Cost", LABEL, body)]
    if total is None:
        body.append("price unknown: ", style="yellow")
        body.append_text(literal("; ".join(estimate.unknown)))
    else:
        body.append(f"≤ ${total:,.2f}", style="bold")
        parts = [
            f"{line.count} × {line.instance_type} × ${line.price.usd_per_hour:g}/h × {hours:g} h"
            for line in estimate.lines
        ]
        body.append_text(literal(" = " + " + ".join(parts)))
        dates = sorted({line.price.fetched for line in estimate.lines if line.price.fetched})
        if dates:
            body.append(f" (prices of {dates[-1]})", style="dim")
    out = [labelled("Cost", LABEL, body)]
    if estimate.notes:
        note = literal("; ".join(estimate.notes))
        note.stylize("dim")
        out.append(Row(Text(" " * LABEL), note))
    return out


def check_prompt(check) -> Hanging:
    """`✗ role exists [RoleArn]: no role ...`: the field before the message, which wraps under itself."""
    icon, style = ICONS.get(check.status, ("?", ""))
    text = Text(style=style)
    text.append(check.title, style="bold" if check.status != PASSED else "")
    if check.path and check.status != PASSED:
        text.append(" [")
        text.append_text(literal(format_path(check.path)))
        text.append("]")
    if check.message:
        text.append(": ")
        text.append_text(literal(check.message.rstrip()))  # an HTTP body may end with a newline
    return Hanging([Row(Text(f"{icon} ", style=style), text)])


def panel_for(screen) -> PreflightPanel:
    """The panel for a SubmitScreen, with the region the status line already resolved (no boto3 here)."""
    editor = getattr(screen.app, "editor", None)
    cost = getattr(editor, "cost", None)
    region = cost.region_for(screen.target) if cost is not None else None
    return PreflightPanel(screen.request, screen.target, region=region)


class ChecksList(OptionList):
    """The checks, each shown whole, in a dialog that scrolls instead of the list: moving the
    highlight scrolls the dialog to the highlighted check (OptionList scrolls only itself)."""

    def scroll_to_highlight(self, top: bool = False) -> None:
        super().scroll_to_highlight(top)
        index = self.highlighted
        if index is None or not self.is_mounted or not self.has_focus:
            return  # checks arriving move the highlight too: the dialog stays where the user left it
        self._update_lines()  # as OptionList.scroll_to_highlight: the line where each option starts
        line = self._index_to_line.get(index)
        if line is None:
            return
        region = Region(0, line, self.size.width, self._heights[index])
        widget = self
        while isinstance(widget.parent, Widget):  # into each ancestor's coordinates, up to the one that scrolls
            container = widget.parent
            region = region.translate(widget.virtual_region.offset)
            if container.allow_vertical_scroll:
                container.scroll_to_region(region, spacing=widget.dock_gutter, animate=False, immediate=True)
                return
            widget = container


class PreflightPanel(Vertical):
    """Cost, guard rails and preflight for the request about to be submitted."""

    DEFAULT_CSS = """
    PreflightPanel { height: auto; }
    PreflightPanel > Static { height: auto; }
    PreflightPanel > .guard-rails { color: $warning; }
    /* As tall as its checks, each wrapped whole (OptionList's max-height is its container's):
       the dialog scrolls, not the list. */
    PreflightPanel > #preflight-checks {
        height: auto; max-height: 10000; border: none; padding: 0; margin: 0; background: $surface;
    }
    PreflightPanel > #preflight-checks:focus { background-tint: $foreground 5%; }
    """

    class Warned(Message):
        """Warnings (a guard rail, a failed check) arrived after the dialog opened."""

    class _Arrived(Message):
        def __init__(self, run: int, checks: list, report=None, estimate=None) -> None:
            super().__init__()
            self.run, self.checks, self.report, self.estimate = run, checks, report, estimate

    def __init__(self, request: dict, target: Target, *, region: str | None = None) -> None:
        super().__init__(id="preflight")
        self.request, self.target = request, target
        self.checks: list = []
        self.report = None
        self._run = 0
        self.estimate = self._offline_estimate(region or target.region)
        self.guard_rails = self._guard_rails(self.estimate)

    # --- what is known at once ------------------------------------------------------------
    def _offline_estimate(self, region: str | None):
        """From cached prices only (the dialog opens at once); a missing price is fetched by start()."""
        from smjob.pricing import Price, PriceBook, estimate

        book = PriceBook(self.target, offline=True) if region else None

        def price_of(instance_type: str, region: str) -> Price:
            price = book.price(instance_type, region) if book is not None else None
            if price is not None and price.known:
                return price
            return Price(instance_type, region, None, why_unknown=LOOKING)

        return estimate(self.request, region or "?", price_of)

    @staticmethod
    def _guard_rails(estimate) -> list[str]:
        from smjob.settings import guard_rail_warnings, load_checked

        settings, unreadable = load_checked()
        if any(line.price.why_unknown == LOOKING for line in estimate.lines):
            # Not "cannot be checked" while the price is on its way: the preflight's estimate says.
            settings = {k: v for k, v in settings.items() if k != "max_estimated_cost"}
        return unreadable + guard_rail_warnings(estimate, settings)

    @property
    def has_warnings(self) -> bool:
        """A guard rail is crossed or a check failed or warned: the dialog should start on Cancel."""
        return bool(self.guard_rails) or any(c.status in (FAILED, WARNING) for c in self.checks)

    def compose(self) -> ComposeResult:
        yield Static(self._cost_text(), id="preflight-cost")
        yield Static(self._guard_text(), classes="guard-rails")
        yield Static(self._summary_text(), id="preflight-summary")
        yield ChecksList(id="preflight-checks")

    def on_mount(self) -> None:
        self.query_one(".guard-rails", Static).display = bool(self.guard_rails)
        self.start(self.target)
        self.call_after_refresh(self._focus_cancel)  # after the dialog has chosen its first focus

    def _focus_cancel(self, tries: int = 10) -> None:
        """With warnings, move the focus from Submit to Cancel (never from where the user has gone)."""
        if not self.has_warnings or not self.is_attached:  # the dialog may be gone by now
            return
        focused = self.screen.focused
        if focused is None and tries:  # the dialog's own focus() is deferred: not applied yet
            self.call_after_refresh(self._focus_cancel, tries - 1)
            return
        if focused is not None and focused.id == "submit":
            with contextlib.suppress(Exception):
                # Not scrolled into view: Cancel is docked, and scrolling would hide the dialog's title.
                self.screen.query_one("#cancel").focus(scroll_visible=False)

    # --- the preflight ----------------------------------------------------------------------
    def start(self, target: Target) -> None:
        """Run the preflight (and fetch missing prices) for `target`: on open, and when the dialog's
        profile, region or endpoint change. An older run's results are dropped."""
        self.target = target
        self._run += 1
        run = self._run
        self.checks, self.report = [], None
        self._refresh_checks()
        request = self.request

        def work() -> None:
            from smjob.preflight import run_preflight
            from smjob.pricing import Price, PriceBook, estimate

            def arrived(checks) -> None:
                self.post_message(self._Arrived(run, list(checks)))

            report = run_preflight(request, target, on_checks=arrived)
            if report.region:
                est = estimate(request, report.region, PriceBook(target).price)
            else:
                est = estimate(request, "?", lambda t, r: Price(t, r, None, why_unknown="no region is set"))
            self.post_message(self._Arrived(run, [], report, est))

        self.run_worker(work, thread=True, group="preflight", exclusive=True, exit_on_error=False)

    @on(_Arrived)
    def _arrived(self, event: _Arrived) -> None:
        event.stop()
        if event.run != self._run:
            return  # a run for a target no longer in the dialog
        warned = self.has_warnings
        if event.report is not None:
            self.report = event.report
            self.checks = list(event.report.checks)  # with those the deadline cut short
        else:
            self.checks += event.checks
        if event.estimate is not None:
            self.estimate = event.estimate
            self.guard_rails = self._guard_rails(event.estimate)
            self.query_one("#preflight-cost", Static).update(self._cost_text())
            self.query_one(".guard-rails", Static).update(self._guard_text())
            self.query_one(".guard-rails", Static).display = bool(self.guard_rails)
        self._refresh_checks()
        if self.has_warnings and not warned:
            self.post_message(self.Warned())
            self._focus_cancel()  # a warning came before the user chose

    def _refresh_checks(self) -> None:
        olist = self.query_one("#preflight-checks", OptionList)
        ordered = sorted(self.checks, key=lambda c: ORDER.get(c.status, 2))
        highlighted = olist.highlighted
        olist.set_options([Option(check_prompt(c), id=f"c{i}") for i, c in enumerate(ordered)])
        self._ordered = ordered
        if ordered:
            olist.highlighted = min(highlighted or 0, len(ordered) - 1)
        olist.display = bool(ordered)
        self.query_one("#preflight-summary", Static).update(self._summary_text())

    # --- text ---------------------------------------------------------------------------------
    def _cost_text(self) -> Hanging:
        return Hanging(cost_rows(self.estimate))

    def _guard_text(self) -> Hanging:
        return Hanging(Row(Text("⚠ "), literal(w)) for w in self.guard_rails)

    def _summary_text(self) -> Hanging:
        return Hanging([labelled("Preflight", LABEL, self._summary_body())])

    def _summary_body(self) -> Text:
        text = Text()
        counts = {s: sum(c.status == s for c in self.checks) for s in (PASSED, FAILED, WARNING, UNKNOWN)}
        shown = [f"{n} {s}" for s, n in counts.items() if n]
        if self.report is None:
            text.append("checking… ", style="dim")
            text.append(", ".join(shown), style="dim")
            return text
        if not self.checks:
            text.append("nothing to check")
            return text
        text.append(", ".join(shown), style="bold red" if counts[FAILED] else "")
        text.append(f" in {self.report.seconds:.1f} s", style="dim")
        if counts[FAILED]:
            text.append("  (Enter on a failed check goes to its field)", style="dim")
        return text

    # --- Enter on a check -----------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#preflight-checks")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        check = self._ordered[event.option_index]
        if not check.path:
            self.app.bell()
            return
        if getattr(self.screen, "in_flight", False):
            self.app.bell()  # the request is out: the dialog stays until it is answered
            return
        editor = getattr(self.app, "editor", None)
        self.screen.dismiss(None)
        if editor is not None:
            self.app.call_later(editor.jump_to, tuple(check.path))
