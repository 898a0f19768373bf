"""Does the estimated cost in the status line slow typing? (`python -m tests.support.bench --only 7`,
or `python -m tests.support.bench_cost` on its own.)

The existing typing measure (bench.py section 3: keys into TrainingJobName of the big request,
painted per key) runs with the cost display as shipped and with it switched off
(CostStatus.changed a no-op: the app before the cost display), interleaved, several rounds. Then
keys into a field the estimate reads (InstanceGroups[0].InstanceCount), where each key changes
what the estimate depends on, with and without; and the estimate itself (CostStatus.compute, run
once typing pauses, never per key) on the big request's 16 heterogeneous groups.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from tests.support.bench import Report, Row, _typing, log, pct

COUNT_PATH = ("ResourceConfig", "InstanceGroups", 0, "InstanceCount")


@contextlib.contextmanager
def cost_display(on: bool):
    from smjob.tui.cost_status import CostStatus

    original = CostStatus.changed
    if not on:
        CostStatus.changed = lambda self: None
    try:
        yield
    finally:
        CostStatus.changed = original


async def _typing_count(keystrokes: int, gap: float = 0.05) -> dict:
    """Keys into InstanceGroups[0].InstanceCount ("0" then backspace: 2 -> 20 -> 2), painted per key;
    then pauses long enough for the estimate to run, timed."""
    from textual import events

    from smjob.tui.app import SmjobApp
    from smjob.tui.cost_status import DELAY, CostStatus
    from tests.support.bench_request import big_request

    app = SmjobApp(big_request(), source="bench", autosave=False)
    result = {"painted": [], "compute": [], "changed": []}
    original_compute, original_changed = CostStatus.compute, CostStatus.changed

    def timed_compute(self):
        t = time.perf_counter()
        original_compute(self)
        result["compute"].append((time.perf_counter() - t) * 1000)

    def timed_changed(self):  # what the cost display adds to a keystroke's handling
        t = time.perf_counter()
        original_changed(self)
        result["changed"].append((time.perf_counter() - t) * 1000)

    CostStatus.compute = timed_compute
    if original_changed.__name__ == "changed":  # the display is on
        CostStatus.changed = timed_changed
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            editor = app.editor
            await editor.jump_to(COUNT_PATH)
            await pilot.press("end")
            await pilot.pause()
            painted = {"at": None}
            original_display = app._display

            def display(screen, renderable):
                original_display(screen, renderable)
                if painted["at"] is None:
                    painted["at"] = time.perf_counter()

            app._display = display
            groups = editor.request["ResourceConfig"]["InstanceGroups"]
            for i in range(keystrokes):
                await asyncio.sleep(gap if i % 10 else DELAY + 0.1)  # every 10th key after a pause: the estimate runs
                key = "0" if i % 2 == 0 else "backspace"
                expected = 20 if key == "0" else 2
                painted["at"] = None
                event = events.Key(key, "0" if key == "0" else None)
                event.set_sender(app)
                t0 = time.perf_counter()
                app._driver.send_message(event)
                deadline = t0 + 5
                while painted["at"] is None or groups[0].get("InstanceCount") != expected:
                    if time.perf_counter() > deadline:
                        raise RuntimeError(f"key {i} ({key}) was not applied and painted")
                    await asyncio.sleep(0.001)
                result["painted"].append((painted["at"] - t0) * 1000)
            status = str(editor.query_one("#status").render())
            result["status"] = status[status.find("cost") :] if "cost" in status else status[-60:]
    finally:
        CostStatus.compute, CostStatus.changed = original_compute, original_changed
    return result


def bench_cost(report: Report, keystrokes: int, rounds: int = 3) -> None:
    import os

    log("7. typing with the cost display (pilot 120x40)")
    # A region, so the estimate runs in full; prices from nowhere (a closed local port): no internet.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("AWS_ENDPOINT_URL_PRICING", "http://127.0.0.1:9")
    name = {True: [], False: []}
    count = {True: [], False: []}
    compute: list[float] = []
    changed: list[float] = []
    status = ""
    for _ in range(rounds):  # interleaved: the shared machine's load falls on both alike
        for on in (False, True):
            with cost_display(on):
                name[on] += asyncio.run(_typing(keystrokes))["painted"]
                r = asyncio.run(_typing_count(keystrokes))
            count[on] += r["painted"]
            if on:
                compute += r["compute"]
                changed += r["changed"]
                status = r["status"]
    for label, values in (("TrainingJobName (bench 3)", name), ("InstanceGroups[0].InstanceCount", count)):
        for q in (50, 95):
            before, after = pct(values[False], q), pct(values[True], q)
            # smjob: with the cost display; baseline: without it (the app before it)
            what = f"7. keys into {label}, painted p{q}, with vs without the cost"
            # The two runs differ by the shared machine's load too: 10 % + 2 ms of slack.
            report.add(Row(what, after, before, goal="≤ 1.1 × without + 2 ms", ok=after <= 1.1 * before + 2))
    report.add(
        Row(
            "7. per key: CostStatus.changed (compare + debounce), p95",
            pct(changed, 95),
            goal="< 0.5 ms",
            ok=pct(changed, 95) < 0.5,
        )
    )
    report.add(Row("7. the estimate (CostStatus.compute, once typing pauses), p95", pct(compute, 95), goal="< 5 ms"))
    report.conditions.append(
        f"7. {rounds} rounds × {keystrokes} keys, with and without the cost display, interleaved; the big request's "
        f"16 instance groups; status line after: {status!r}."
    )


if __name__ == "__main__":
    import sys

    report = Report()
    bench_cost(report, int(sys.argv[1]) if len(sys.argv) > 1 else 100)
    report.print()
