"""The estimated cost in the editor's status line, kept off the keystroke path.

A keystroke only compares the few fields the estimate reads (types, counts, runtime, keep-alive,
spot) with the last ones; when they changed, the estimate runs once typing pauses, from cached
prices only (smjob.pricing.PriceBook offline). A price missing from the cache is fetched in a
worker thread, once per type and region, started only when no field was edited for DELAY (its
CPU would hold the GIL between keys), and the line is redrawn when it arrives. Without a price
the line says "price unknown" and why, never a guess.
"""

from __future__ import annotations

import time

from rich.text import Text

from smjob.widgets.base import literal
from smjob.widgets.debounce import Debouncer

DELAY = 0.3  # seconds of pause in typing before the estimate runs
FETCHING = "looking the price up…"


def relevant(request: dict) -> tuple:
    """What the estimate depends on, cheap to take and compare on every keystroke."""
    rc = request.get("ResourceConfig")
    rc = rc if isinstance(rc, dict) else {}
    stopping = request.get("StoppingCondition")
    stopping = stopping if isinstance(stopping, dict) else {}
    return (
        rc.get("InstanceType"),
        rc.get("InstanceCount"),
        repr(rc.get("InstanceGroups")),
        rc.get("KeepAlivePeriodInSeconds"),
        stopping.get("MaxRuntimeInSeconds"),
        request.get("EnableManagedSpotTraining"),
    )


def known_types() -> frozenset[str]:
    """The model's training instance types: only these are worth asking the Price List API about
    (not every prefix typed on the way to one)."""
    from smjob.schema import request_schema

    return frozenset(request_schema().at(("ResourceConfig", "InstanceType")).enum)


def status_text(estimate) -> Text:
    """`cost ≤ $36.36 (1 inst × 24 h)` or `price unknown: <why>`."""
    if not estimate.lines:
        return Text("cost: no instance type", style="dim")
    if estimate.total_usd is not None:  # short: the status line is 80 columns with the job's name
        hours = (estimate.max_runtime_seconds + estimate.keep_alive_seconds) / 3600
        out = Text(f"cost ≤ ${estimate.total_usd:,.2f}", style="bold")
        out.append(
            f" ({estimate.instance_count} inst × {hours:g} h{', spot: on-demand bound' if estimate.spot else ''})"
        )
        return out
    why = next((line.price.why_unknown for line in estimate.lines if not line.price.known), None) or "?"
    out = Text("price unknown: ", style="yellow")
    out.append_text(literal(why))  # AWS's message can quote anything
    return out


def short_text(estimate) -> Text:
    """The status line's form when space is short: `≤ $36.36`, or `price ?` (F5 says why)."""
    if estimate is not None and not estimate.lines:
        return Text("cost ?", style="dim")
    if estimate is not None and estimate.total_usd is not None:
        return Text(f"≤ ${estimate.total_usd:,.2f}", style="bold")
    return Text("price ?", style="yellow")


class CostStatus:
    """Owned by the editor screen: `changed()` after each edit; `text` is the status line's part."""

    def __init__(self, screen) -> None:
        self.screen = screen
        self.text: Text | None = None
        self.short: Text | None = None  # the same, when the line is short of room
        self._key: tuple | None = None
        self._target = None  # the app's target the region was resolved for
        self._region: str | None = None
        self._book = None  # PriceBook(offline=True): the cache as read from disk
        self._preparing = False
        self._unknown: dict[tuple[str, str], str] = {}  # (region, type) -> why the fetch failed
        self._known: dict[tuple[str, str], object] = {}  # fetched, even if the cache could not be written
        self._fetching: set[tuple[str, str]] = set()
        self._types: frozenset[str] | None = None
        self._last_edit = 0.0  # time.monotonic() of the last edit, in any field
        self._debounce = Debouncer(screen, DELAY, self.compute)

    @property
    def settled(self) -> bool:
        """Nothing waiting or under way: the line shows the estimate for the request as it is."""
        return not (self._debounce.pending or self._preparing or self._fetching)

    def region_for(self, target) -> str | None:
        """The region resolved for `target`, when it is the one the status line uses."""
        return (target.region or self._region) if target == self._target else target.region

    def changed(self) -> None:
        self._last_edit = time.monotonic()
        key = (*relevant(self.screen.request), self.screen.app.target)
        if key != self._key:
            self._key = key
            self._debounce()

    def _typing(self) -> bool:
        """An edit (in any field) within DELAY: the workers' CPU (boto3, botocore's models) would
        hold the GIL between keys, so they wait for a pause."""
        if time.monotonic() - self._last_edit < DELAY:
            self._debounce()
            return True
        return False

    def compute(self) -> None:
        """The estimate from cached prices (main thread, microseconds once prepared)."""
        from smjob.pricing import estimate

        target = self.screen.app.target
        if self._book is None or target != self._target:
            if not self._typing():
                self._prepare(target)
            return
        if not self._region:
            self._show(Text("price unknown: no region is set", style="yellow"), short_text(None))
            return
        est = estimate(self.screen.request, self._region, self._price_of)
        self._show(status_text(est), short_text(est))
        wanted = {
            line.instance_type
            for line in est.lines
            if not line.price.known
            and line.instance_type in self._types
            and (self._region, line.instance_type) not in self._unknown
            and (self._region, line.instance_type) not in self._known
            and (self._region, line.instance_type) not in self._fetching
        }
        if wanted and not self._typing():
            self._fetch(target, self._region, sorted(wanted))

    def _price_of(self, instance_type: str, region: str):
        from smjob.pricing import Price

        price = self._book.price(instance_type, region)
        if price.known:
            return price
        if (region, instance_type) in self._known:
            return self._known[(region, instance_type)]
        if instance_type not in self._types:
            return Price(instance_type, region, None, why_unknown=f"{instance_type} is not a training instance type")
        why = self._unknown.get((region, instance_type))
        if why is None and (region, instance_type) in self._fetching:
            why = FETCHING
        return Price(instance_type, region, None, why_unknown=why or FETCHING)

    def _show(self, text: Text, short: Text) -> None:
        if self.text is None or text.plain != self.text.plain:
            self.text, self.short = text, short
            self.screen.update_status()

    # --- workers --------------------------------------------------------------------------
    def _prepare(self, target) -> None:
        """Resolve the region (from the environment and the config file, as botocore would) and read
        the price cache, in a thread."""
        if self._preparing:
            return
        self._preparing = True

        def work() -> None:
            from smjob.aws.target import configured_region
            from smjob.pricing import PriceBook

            region = target.region or configured_region(target.profile)  # botocore stays unloaded
            book, types = PriceBook(target, offline=True), known_types()
            self.screen.app.call_from_thread(self._prepared, target, region, book, types)

        self.screen.run_worker(work, thread=True, group="cost-prepare", exit_on_error=False)

    def _prepared(self, target, region, book, types) -> None:
        self._preparing = False
        self._target, self._region, self._book, self._types = target, region, book, types
        self.compute()

    def _fetch(self, target, region: str, instance_types: list[str]) -> None:
        keys = {(region, t) for t in instance_types}
        self._fetching |= keys

        def work() -> None:
            from smjob.pricing import PriceBook

            book = PriceBook(target)
            answers = {t: book.price(t, region) for t in instance_types}
            fresh = PriceBook(target, offline=True)  # the cache with what was just written
            self.screen.app.call_from_thread(self._fetched, target, keys, answers, fresh)

        self.screen.run_worker(work, thread=True, group="cost-fetch", exit_on_error=False)

    def _fetched(self, target, keys, answers, fresh) -> None:
        self._fetching -= keys
        if target != self._target:
            return  # the target changed meanwhile: its own preparation recomputes
        for price in answers.values():
            if price.known:
                self._known[(price.region, price.instance_type)] = price
            else:
                self._unknown[(price.region, price.instance_type)] = price.why_unknown or "?"
        self._book = fresh
        self.compute()
