"""Performance benchmarks: `python -m tests.support.bench` (`make bench`). Not part of `make test`.

Measures, side by side in one run, and prints one table (medians / percentiles, ratios, goals):

1. cold start of `smjob demo` in tmux (80x24) to the first painted editor vs a minimal Textual app;
2. headless `smjob validate` / `smjob render --to cli` on the largest practical request vs
   `aws sagemaker create-training-job --generate-cli-skeleton`;
3. typing latency in the editor (pilot, 120x40) with that request loaded, end to end and the
   compute part (validate + render of the active preview tab);
4. the history screen over 10,000 entries: open, filter, view; and bytes per stored entry;
5. peak RSS (VmHWM) of `smjob edit big.json` after navigating vs the minimal Textual app, and
   section switches at a reading pace, back, and with the key held;
6. account lookups (roles, buckets, images...) against the seeded local endpoint, fresh and cached
   (tests/support/bench_resources.py, also runnable on its own).
7. typing with and without the estimated cost in the status line (tests/support/bench_cost.py).
8. a picker (roles, images, S3, KMS, VPC) opening with cached data, F4 to painted
   (tests/support/bench_pickers.py).

Options: `--runs N` (subprocess runs per measurement, default 7), `--quick` (fewer repeats),
`--only 1,3` (a subset of the sections above).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.bench_request import big_request
from tests.support.bench_tmux import TMUX, TmuxServer, Watcher, vm_hwm_kib

BIN = Path(sys.executable).parent
SMJOB = BIN / "smjob"
AWS = BIN / "aws"
SIZE = (80, 24)
DEMO_NAME = "pytorch-resnet50-g5-20240601-120000"
BIG_NAME = "big-request-20240601-120000"
MINIMAL_READY = "bench-minimal-ready"

MINIMAL_APP = f'''
from textual.app import App
from textual.widgets import Footer, Header, Input


class Minimal(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Input(placeholder="{MINIMAL_READY}")
        yield Footer()


if __name__ == "__main__":
    Minimal().run()
'''


# --- statistics and the table --------------------------------------------------------------------


def pct(values, q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def med(values) -> float:
    return statistics.median(values)


@dataclass
class Row:
    what: str
    ours: float | None
    base: float | None = None
    unit: str = "ms"
    goal: str = "—"
    ok: bool | None = None  # None: informational row
    note: str = ""

    def cells(self) -> list[str]:
        def show(v):
            if v is None:
                return "—"
            if self.unit == "ms":
                return f"{v:.1f} ms"
            if self.unit == "MiB":
                return f"{v:.1f} MiB"
            return f"{v:,.0f} {self.unit}"

        ratio = f"{self.ours / self.base:.2f}x" if self.ours is not None and self.base else "—"
        verdict = "—" if self.ok is None else ("PASS" if self.ok else "MISS")
        return [self.what, show(self.ours), show(self.base), ratio, self.goal, verdict]


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print("  " + " | ".join(row.cells()), file=sys.stderr, flush=True)

    def table(self) -> str:
        head = ["measure", "smjob", "baseline", "ratio", "goal", "result"]
        body = [r.cells() for r in self.rows]
        widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]

        def line(cells: list[str]) -> str:
            return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

        out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        out += [line(r) for r in body]
        return "\n".join(out)

    def print(self) -> None:
        """The table, then how each row was measured."""
        print(self.table())
        for line in self.conditions:
            print(line)


def run_alone(prog: str, bench, argv: list[str] | None) -> int:
    """`python -m tests.support.<prog>`: one benchmark section with `--repeats`, its table printed."""
    parser = argparse.ArgumentParser(prog=f"python -m tests.support.{prog}")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    report = Report()
    bench(report, args.repeats)
    print()
    report.print()
    return 0


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- environment ---------------------------------------------------------------------------------


class Env:
    """Temp dirs for smjob's data and schema cache, the big request file and the minimal app."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data, self.cache = root / "data", root / "cache"
        self.data.mkdir()
        self.cache.mkdir()
        self.big = root / "big.json"
        self.big.write_text(json.dumps(big_request(), indent=2), encoding="utf-8")
        self.minimal = root / "minimal_app.py"
        self.minimal.write_text(MINIMAL_APP, encoding="utf-8")
        self.vars = {
            "SMJOB_DATA_DIR": str(self.data),
            "SMJOB_CACHE_DIR": str(self.cache),
            "TERM": "tmux-256color",
            "COLORTERM": "truecolor",
            "TEXTUAL_ANIMATIONS": "none",
        }
        os.environ.update({k: self.vars[k] for k in ("SMJOB_DATA_DIR", "SMJOB_CACHE_DIR")})

    def subprocess_env(self) -> dict:
        env = dict(os.environ)
        env.update(self.vars)
        env.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        return env

    def warm(self) -> None:
        """Write the schema cache (first use of the schema) and byte-compile: not part of any timing."""
        subprocess.run(
            [str(SMJOB), "validate", str(self.big)], env=self.subprocess_env(), capture_output=True, check=True
        )
        if not any(self.cache.iterdir()):
            raise RuntimeError(f"the schema cache was not written to {self.cache}")


# --- 1 and 5: a real terminal ----------------------------------------------------------------------


def _status(screen: str) -> str:
    return screen.splitlines()[0] if screen else ""


def first_paint(server: TmuxServer, env: Env, argv: list[str], ready, name: str) -> tuple[float, int]:
    """Seconds from `tmux new-session` to `ready(screen)`; and the pane's pid."""
    t0 = time.perf_counter()
    server.start(name, argv, SIZE, env.vars)
    t1 = server.wait_for(name, ready, f"the first paint of {argv}")
    return t1 - t0, server.pid(name)


def smjob_ready(name: str):
    return lambda s: name in _status(s) and "Quit" in s


def minimal_ready(s: str) -> bool:
    return MINIMAL_READY in s and "Quit" in s


def bench_cold_start(report: Report, server: TmuxServer, env: Env, runs: int) -> None:
    log("1. cold start (tmux 80x24)")
    smjob_argv = [str(SMJOB), "demo"]
    minimal_argv = [sys.executable, str(env.minimal)]
    times = {"smjob": [], "minimal": []}
    for i in range(runs + 1):  # run 0 warms the OS page cache and .pyc files; not counted
        for key, argv, ready in (
            ("smjob", smjob_argv, smjob_ready(DEMO_NAME)),
            ("minimal", minimal_argv, minimal_ready),
        ):
            session = f"{key}-{i}"
            try:
                seconds, _ = first_paint(server, env, argv, ready, session)
            finally:
                server.kill_session(session)
            if i:
                times[key].append(seconds * 1000)
    ours, base = med(times["smjob"]), med(times["minimal"])
    report.add(
        Row(
            "1. cold start to first paint (median)",
            ours,
            base,
            goal="≤ 1.5x minimal",
            ok=ours <= 1.5 * base,
            note=f"smjob runs {[round(t) for t in times['smjob']]}, minimal {[round(t) for t in times['minimal']]}",
        )
    )
    report.conditions.append(
        f"1: `{shlex.join(smjob_argv)}` vs `{shlex.join(minimal_argv)}` (Header, Input, Footer) in a private tmux "
        f"server at {SIZE[0]}x{SIZE[1]}; time from `tmux new-session` until `tmux capture-pane -p` (polled "
        "every 10 ms) "
        f"shows the status line ({DEMO_NAME!r} on line 1 and 'Quit') / the minimal app's placeholder and 'Quit'; "
        f"{runs} runs each after 1 warm-up, interleaved, median. Schema cache warmed once before."
    )
    report.conditions.append(
        "   runs (ms): smjob "
        + ", ".join(f"{t:.0f}" for t in times["smjob"])
        + "; minimal "
        + ", ".join(f"{t:.0f}" for t in times["minimal"])
    )


READING_PACE = 0.6  # s between a section painted and the next ctrl+n: a glance at the section
HELD_STEPS = 8  # ctrl+n with no pause: forms built on demand (the sections after the walk, unvisited)


def _switch(watcher: Watcher, key: str, label: str) -> float:
    """`key` until the section `label` is on the terminal, in ms (looked at each time the app writes)."""
    t0 = time.perf_counter()
    watcher.keys(key)
    t1 = watcher.wait_for(lambda s: f"▸ {label}" in s, f"the {label} section")
    return (t1 - t0) * 1000


def bench_memory(report: Report, server: TmuxServer, env: Env, runs: int) -> None:
    log("5. peak memory and section switches (tmux 80x24)")
    from smjob.sections import app_sections

    labels = [s.label for s in app_sections()]  # the editor's order, with smjob's own sections
    steps = labels.index("Profiler")  # ctrl+n from Job through Profiler: every section the big request fills
    hwm = {"smjob": [], "loaded": [], "minimal": []}
    paced: list[float] = []  # ctrl+n at a reading pace, Job -> Profiler: every step of every walk
    back: list[float] = []  # then ctrl+r, at the same pace, back to the first section
    held: list[float] = []  # then ctrl+n held down into sections not visited yet
    for i in range(runs):
        session = f"mem-smjob-{i}"
        watcher = None
        try:
            _, pid = first_paint(server, env, [str(SMJOB), "edit", str(env.big)], smjob_ready(BIG_NAME), session)
            watcher = Watcher(server, session)
            watcher.wait_for(lambda s: "checking" not in _status(s), "the first validation")
            time.sleep(0.3)
            hwm["loaded"].append(vm_hwm_kib(pid) / 1024)
            for step in range(1, steps + 1):
                time.sleep(READING_PACE)
                paced.append(_switch(watcher, "C-n", labels[step]))
            time.sleep(0.3)
            hwm["smjob"].append(vm_hwm_kib(pid) / 1024)
            for step in range(steps - 1, -1, -1):
                time.sleep(READING_PACE)
                back.append(_switch(watcher, "C-r", labels[step]))
            for step in range(steps + 1, steps + 1 + HELD_STEPS):  # from Job: ctrl+r wraps to the last
                held.append(_switch(watcher, "C-r", labels[-(step - steps)]))
        finally:
            if watcher is not None:
                watcher.close()
            server.kill_session(session)
        session = f"mem-minimal-{i}"
        try:
            _, pid = first_paint(server, env, [sys.executable, str(env.minimal)], minimal_ready, session)
            server.keys(session, "-l", "hello")
            server.wait_for(session, lambda s: "hello" in s, "typed text")
            time.sleep(0.3)
            hwm["minimal"].append(vm_hwm_kib(pid) / 1024)
        finally:
            server.kill_session(session)
    ours, loaded, base = med(hwm["smjob"]), med(hwm["loaded"]), med(hwm["minimal"])
    report.add(
        Row(
            "5. peak RSS, big request loaded and validated (VmHWM)",
            loaded,
            base,
            unit="MiB",
            goal="≤ 1.5x minimal",
            ok=loaded <= 1.5 * base,
        )
    )
    report.add(
        Row(
            "5. peak RSS after walking every filled section",
            ours,
            base,
            unit="MiB",
            goal="≤ 1.5x minimal",
            ok=ours <= 1.5 * base,
        )
    )
    report.add(
        Row(
            "5. section switch, ctrl+n at a reading pace (→ painted), p95",
            pct(paced, 95),
            goal="≤ 50 ms",
            ok=pct(paced, 95) <= 50,
            note=f"median {med(paced):.0f} ms, slowest {max(paced):.0f} ms",
        )
    )
    report.add(
        Row(
            "5. section switch, ctrl+r back at that pace, p95",
            pct(back, 95),
            goal="≤ 50 ms",
            ok=pct(back, 95) <= 50,
            note=f"median {med(back):.0f} ms, slowest {max(back):.0f} ms",
        )
    )
    report.add(
        Row(
            "5. section switch, ctrl+r with no pause (each form built then), median",
            med(held),
            goal="—",
            note=f"slowest {max(held):.0f} ms",
        )
    )
    report.conditions.append(
        f"5: `smjob edit big.json` in tmux {SIZE[0]}x{SIZE[1]}: VmHWM once the first validation is shown (+0.3 s), "
        f"and after ctrl+n x{steps} (Job → {labels[steps]}), each {READING_PACE} s after the section before was "
        f"painted, +0.3 s; vs the minimal app after typing 'hello'; then ctrl+r at the same pace back to Job, "
        f"then ctrl+r x{HELD_STEPS} with no pause into sections not visited yet. Switch times: key written to a "
        f"tmux control-mode client (`tmux -C`) until its `capture-pane`, run each time the pane has written, shows "
        f"the section marked (no process spawned per key or per look: the old 10 ms polling with a `tmux` "
        f"process per look added 10-20 ms). {runs} runs each, median "
        f"(loaded {', '.join(f'{v:.1f}' for v in hwm['loaded'])}; walked "
        f"{', '.join(f'{v:.1f}' for v in hwm['smjob'])}; "
        f"minimal {', '.join(f'{v:.1f}' for v in hwm['minimal'])} MiB). Switches: at a reading pace median "
        f"{med(paced):.0f} ms, slowest {max(paced):.0f} ms; back median {med(back):.0f} ms, slowest "
        f"{max(back):.0f} ms; with no pause slowest {max(held):.0f} ms."
    )


# --- 2: headless subprocesses -------------------------------------------------------------------


def bench_headless(report: Report, env: Env, runs: int) -> None:
    log("2. headless")
    e = env.subprocess_env()
    commands = {
        "validate": [str(SMJOB), "validate", str(env.big)],
        "render": [str(SMJOB), "render", str(env.big), "--to", "cli"],
        "aws": [str(AWS), "sagemaker", "create-training-job", "--generate-cli-skeleton"],
    }
    times = {k: [] for k in commands}
    for i in range(runs + 1):  # interleaved, so drift hits all three alike; run 0 is a warm-up
        for key, argv in commands.items():
            t0 = time.perf_counter()
            result = subprocess.run(argv, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            t1 = time.perf_counter()
            if result.returncode != 0:
                raise RuntimeError(f"{shlex.join(argv)} exited {result.returncode}: {result.stderr.decode()[-500:]}")
            if i:
                times[key].append((t1 - t0) * 1000)
    aws = med(times["aws"])
    for key, label in (("validate", "2. `smjob validate big.json`"), ("render", "2. `smjob render big.json --to cli`")):
        ours = med(times[key])
        report.add(Row(label + " (median)", ours, aws, goal="< AWS CLI skeleton", ok=ours < aws))
    report.conditions.append(
        f"2: wall time of whole subprocesses (stdout to /dev/null), {runs} runs each after 1 warm-up, "
        "interleaved, median: "
        f"`smjob validate big.json`, `smjob render big.json --to cli` vs "
        f"`aws sagemaker create-training-job --generate-cli-skeleton` (awscli v1 in the venv). big.json: 20 channels, "
        "100 hyperparameters x 2,500 chars, 100 environment variables, 50 tags, 40 metric definitions, 20 debug + "
        f"20 profiler rules, 5 instance groups ({env.big.stat().st_size:,} bytes; valid).".replace("{runs}", str(runs))
    )
    report.conditions.append(
        "   runs (ms): " + "; ".join(f"{k} " + ", ".join(f"{t:.0f}" for t in v) for k, v in times.items())
    )


# --- 3: typing ---------------------------------------------------------------------------------

TYPING_GAP = 0.05  # seconds between keystrokes: 20 keys a second, faster than anyone types
HUGE_PATH = ("AlgorithmSpecification", "TrainingImage")
HUGE_VALUE = ("763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311 " * 13_000)[:1_000_000]


async def _typing(keystrokes: int, gap: float = TYPING_GAP, path: tuple = ("TrainingJobName",), value=None) -> dict:
    """Keys into the field at `path` (a top-level member or one level below) of the big request;
    `value`: what the field holds first (default: the big request's)."""
    from textual import events

    from smjob.tui.app import SmjobApp
    from smjob.widgets.base import FieldEditor

    request = big_request()
    if value is not None:
        parent = request
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = value

    def field_value(req):
        for step in path:
            req = req.get(step) if isinstance(req, dict) else None
        return req

    app = SmjobApp(request, source="bench", autosave=False)
    result = {"applied": [], "validated": [], "painted": [], "revalidate": []}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        editor = app.editor
        assert editor is not None and editor.has_class("-preview"), "the preview column should be visible at 120x40"
        section = next(s for s in editor.all_sections if any(m.name == path[0] for m in getattr(s, "members", ())))
        if section is not editor.current:
            await editor.go_to_section(section.key)
            await pilot.pause()
        name_editor = next(e for e in editor.form.query(FieldEditor) if e.path == path)
        name_editor.focus_input()
        await pilot.press("end")
        await pilot.pause()

        marks = {"applied": None, "validated": None, "painted": None}
        original_apply, original_revalidate, original_display = (
            editor.apply_edit,
            editor.revalidate,
            app._display,
        )

        def apply_edit(*args, **kwargs):
            if marks["applied"] is None:
                marks["applied"] = time.perf_counter()
            original_apply(*args, **kwargs)

        def revalidate():
            t = time.perf_counter()
            original_revalidate()
            marks["validated"] = time.perf_counter()
            result["revalidate"].append((marks["validated"] - t) * 1000)

        def display(screen, renderable):
            original_display(screen, renderable)
            if marks["validated"] is not None and marks["painted"] is None:
                marks["painted"] = time.perf_counter()

        # Instrumentation only: instance attributes shadow the methods the app calls.
        editor.apply_edit, editor.revalidate, app._display = apply_edit, revalidate, display
        result["revalidate"].clear()
        base_name = field_value(editor.request)
        for i in range(keystrokes):
            # Textual paints on a 60 fps clock: a key sent right after a frame waits for the next
            # tick (~16.7 ms); one that comes later, as typed keys do, is painted at once.
            await asyncio.sleep(gap)
            key = "x" if i % 2 == 0 else "backspace"
            expected = base_name + ("x" if key == "x" else "")
            marks.update(applied=None, validated=None, painted=None)
            # Delivered like the terminal driver does (Driver.send_message), not with pilot.press, whose
            # own wait visits every widget on the screen after each key and is not part of the app.
            event = events.Key(key, "x" if key == "x" else None)
            event.set_sender(app)
            t0 = time.perf_counter()
            app._driver.send_message(event)
            deadline = time.perf_counter() + 5
            while marks["painted"] is None or field_value(editor.request) != expected:
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"keystroke {i} ({key}) was not validated and painted: {marks}")
                await asyncio.sleep(0.001)
            result["applied"].append((marks["applied"] - t0) * 1000)
            result["validated"].append((marks["validated"] - t0) * 1000)
            result["painted"].append((marks["painted"] - t0) * 1000)
    return result


def bench_typing(report: Report, keystrokes: int) -> None:
    log("3. typing (pilot 120x40)")
    from smjob.render import render
    from smjob.validate import validate

    r = asyncio.run(_typing(keystrokes))
    back_to_back = asyncio.run(_typing(keystrokes, gap=0.0))
    huge = asyncio.run(_typing(max(20, keystrokes // 5), path=HUGE_PATH, value=HUGE_VALUE))
    request = big_request()
    validate(request), render(request, "json")  # warm (models are built once)
    compute, v_only, r_only = [], [], []
    for i in range(50):
        request["TrainingJobName"] = "big-request-20240601-120000" + ("x" if i % 2 == 0 else "")
        t0 = time.perf_counter()
        validate(request)
        t1 = time.perf_counter()
        render(request, "json")
        t2 = time.perf_counter()
        compute.append((t2 - t0) * 1000)
        v_only.append((t1 - t0) * 1000)
        r_only.append((t2 - t1) * 1000)
    frame = 16.0
    report.add(Row("3. keystroke → validated + preview updated, p50", pct(r["validated"], 50), goal="—"))
    report.add(
        Row(
            "3. keystroke → validated + preview updated, p95",
            pct(r["validated"], 95),
            goal="p95 ≤ 16 ms",
            ok=pct(r["validated"], 95) <= frame,
        )
    )
    report.add(Row("3. keystroke → next frame painted, p50", pct(r["painted"], 50), goal="—"))
    report.add(
        Row(
            "3. keystroke → next frame painted, p95",
            pct(r["painted"], 95),
            goal="p95 ≤ 16 ms",
            ok=pct(r["painted"], 95) <= frame,
        )
    )
    report.add(
        Row(
            "3. back-to-back keys (each sent right after the frame): painted, p50",
            pct(back_to_back["painted"], 50),
            goal="—",
        )
    )
    report.add(
        Row(
            "3. back-to-back keys (each sent right after the frame): painted, p95",
            pct(back_to_back["painted"], 95),
            goal="—",
        )
    )
    report.add(
        Row(
            "3. keystroke in a field holding 1 MB of text → painted, p95",
            pct(huge["painted"], 95),
            goal="p95 ≤ 16 ms",
            ok=pct(huge["painted"], 95) <= frame,
            note=f"p50 {pct(huge['painted'], 50):.1f} ms",
        )
    )
    report.add(Row("3. keystroke → edit applied, p95", pct(r["applied"], 95), goal="—"))
    report.add(Row("3. EditorScreen.revalidate() in the app, p95", pct(r["revalidate"], 95), goal="—"))
    report.add(Row("3. compute: validate + render json (direct), p50", pct(compute, 50), goal="—"))
    report.add(
        Row(
            "3. compute: validate + render json (direct), p95",
            pct(compute, 95),
            goal="p95 ≤ 16 ms",
            ok=pct(compute, 95) <= frame,
        )
    )
    report.conditions.append(
        f"3: SmjobApp(big request, autosave off).run_test(size=(120, 40)) (preview column visible, JSON tab), "
        f"cursor at the end of TrainingJobName; {keystrokes} keystrokes alternating 'x' / backspace, each an "
        "events.Key "
        "given to the app's driver (Driver.send_message, as the terminal driver does), "
        f"{TYPING_GAP * 1000:.0f} ms after "
        f"the previous key's frame (20 keys/s); the back-to-back rows send each key as soon as the previous frame is "
        f"written, which lands every update just after a tick of Textual's 60 fps frame clock (worst case); "
        f"t0 = send_message; 'edit applied' = EditorScreen.apply_edit called; 'validated' = "
        f"EditorScreen.revalidate returned (validation, badges, problems, inline problems, preview re-render of the "
        f"active tab, status line; run once the queued messages are handled, no fixed delay); "
        f"'painted' = the first App._display call (frame written) after that. Timestamps come from wrappers set as "
        f"instance attributes (no app code changed). Compute: smjob.validate.validate + smjob.render.render(json) on "
        f"the big request, 50 runs (validate p50 {pct(v_only, 50):.1f} ms, render p50 {pct(r_only, 50):.1f} ms). "
        f"1 MB: the same, {len(huge['painted'])} keys at the end of {'.'.join(HUGE_PATH)} holding "
        f"{len(HUGE_VALUE):,} characters of printable ASCII (painted p50 {pct(huge['painted'], 50):.1f} ms)."
    )


# --- 4: history ---------------------------------------------------------------------------------


def _fill_history(path: Path, count: int):
    from smjob.aws import Target
    from smjob.examples import load_example, names
    from smjob.history import History

    examples = [load_example(n) for n in names()]
    statuses = ("Completed", "Failed", "InProgress", "Stopped", None)
    history = History(path)
    t0 = time.perf_counter()
    history._db.execute("BEGIN")  # one transaction for speed; each record() is the public call
    try:
        for i in range(count):
            request = dict(examples[i % len(examples)])
            request["TrainingJobName"] = f"{request.get('TrainingJobName', 'job')[:40]}-{i:05d}"
            action = ("submit", "export", "submit-failed")[i % 7 % 3]
            history.record(
                action,
                request,
                arn=f"arn:aws:sagemaker:us-east-1:123456789012:training-job/{request['TrainingJobName']}"
                if action == "submit"
                else None,
                status=statuses[i % len(statuses)] if action == "submit" else None,
                target=Target("default", "us-east-1", None),
                error="ValidationException: bad value" if action == "submit-failed" else None,
                path=f"/tmp/exports/job-{i}.json" if action == "export" else None,
            )
        history._db.execute("COMMIT")
    except BaseException:
        history._db.execute("ROLLBACK")
        raise
    history._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return history, time.perf_counter() - t0


async def _wait(predicate, what: str, timeout: float = 10.0) -> float:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.0005)
    return time.perf_counter()


async def _history(history, repeats: int) -> dict:
    from smjob.examples import load_example
    from smjob.tui.app import SmjobApp
    from smjob.tui.screens.history import LIMIT, EntryViewScreen, HistoryScreen
    from smjob.widgets.virtual_table import VirtualTable

    app = SmjobApp(load_example("pytorch-gpu"), source="bench", autosave=False, history=history)
    out = {"open": [], "filter": [], "view": [], "open_painted": [], "view_mounted": []}
    painted = {"t": None, "view": None}
    original_display = app._display

    def display(screen, renderable):
        original_display(screen, renderable)
        if painted["t"] is None:
            painted["t"] = time.perf_counter()
        if painted["view"] is None and isinstance(screen, EntryViewScreen):
            painted["view"] = time.perf_counter()  # the view's first frame (its JSON is in it)

    app._display = display
    filters = ["status:failed", "resnet", "type:ml.g5", "action:export", "00042", "status:comp type:ml.c5"]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for i in range(repeats + 1):
            screen = HistoryScreen(history, app.request)
            t0 = time.perf_counter()
            app.push_screen(screen)
            t1 = await _wait(
                lambda screen=screen: screen.is_mounted and screen.query_one(VirtualTable).row_count == LIMIT,
                "the history table",
            )
            painted["t"] = None
            await _wait(lambda: painted["t"] is not None, "a frame")
            if i:
                out["open"].append((t1 - t0) * 1000)
                out["open_painted"].append((painted["t"] - t0) * 1000)
            await pilot.pause()
            # filter: what runs once the 100 ms typing debounce fired (query in a thread + table fill)
            raw = filters[i % len(filters)]
            before = screen.order
            t0 = time.perf_counter()
            screen._apply_filter(raw)
            t1 = await _wait(lambda screen=screen, before=before: screen.order is not before, f"the filter {raw!r}")
            if i:
                out["filter"].append((t1 - t0) * 1000)
            await pilot.pause()
            if not screen.order:
                screen._apply_filter("")
                before_clear = screen.order
                await _wait(lambda screen=screen, old=before_clear: screen.order is not old, "the cleared filter")
                await pilot.pause()
            # view: History.get + the modal composed and its first frame written
            painted["t"] = painted["view"] = None
            t0 = time.perf_counter()
            screen.action_view()
            await _wait(lambda: isinstance(app.screen, EntryViewScreen) and app.screen.is_mounted, "the entry view")
            painted["t"] = None
            t1 = await _wait(lambda: painted["t"] is not None, "a frame after the entry view mounted")
            if i:
                out["view"].append((painted["view"] - t0) * 1000)
                out["view_mounted"].append((painted["t"] - t0) * 1000)
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
    return out


def bench_history(report: Report, env: Env, repeats: int, count: int = 10_000) -> None:
    log("4. history")
    path = env.root / "history" / "history.sqlite3"
    history, fill_seconds = _fill_history(path, count)
    try:
        size = sum(p.stat().st_size for p in path.parent.iterdir() if p.name.startswith(path.name))
        r = asyncio.run(_history(history, repeats))
    finally:
        history.close()
    for key, label in (
        ("open", "4. open history (table filled), p95"),
        ("filter", "4. apply a filter, p95"),
        ("view", "4. open an entry's view (painted), p95"),
    ):
        report.add(Row(label, pct(r[key], 95), goal="p95 < 50 ms", ok=pct(r[key], 95) < 50))
    report.add(Row("4. open history (first frame after filled), p95", pct(r["open_painted"], 95), goal="—"))
    report.add(Row("4. open an entry's view (a frame after mounted), p95", pct(r["view_mounted"], 95), goal="—"))
    report.add(Row("4. history store, bytes per entry", size / count, unit="B", goal="—"))
    report.conditions.append(
        f"4: a temp History with {count:,} entries (the 5 bundled examples with distinct names; submit/export/"
        f"submit-failed; filled in {fill_seconds:.1f} s in one transaction), SmjobApp pilot at 120x40; {repeats} "
        f"repeats after 1 warm-up: push HistoryScreen until its VirtualTable has LIMIT rows; "
        f"HistoryScreen._apply_filter (what the 100 ms typing debounce calls; the debounce itself is not counted) "
        f"until the table is refilled; action_view until the EntryViewScreen's first frame is written (App._display "
        f"called for that screen; the frame after it reports mounted is shown as well, it waits for frame pacing). "
        f"Store size = the SQLite file (+ -wal) after a checkpoint / entries "
        f"(open p50 {pct(r['open'], 50):.1f}, filter p50 {pct(r['filter'], 50):.1f}, "
        f"view p50 {pct(r['view'], 50):.1f} ms)."
    )


# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.support.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per subprocess measurement (default 7)")
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8", help="sections to run, e.g. 1,3")
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.only.split(",")}
    runs = 3 if args.quick else args.runs
    keystrokes = 40 if args.quick else 200
    repeats = 5 if args.quick else 20

    report = Report()

    def section(number: str, label: str, fn, *fn_args) -> None:
        """One section; a failure (e.g. the app changed under the benchmark) is a row, not the end of the run."""
        try:
            fn(*fn_args)
        except Exception as exc:
            import traceback

            traceback.print_exc()
            report.add(Row(f"{number}. {label}: FAILED ({type(exc).__name__}: {str(exc)[:80]})", None, ok=False))

    with tempfile.TemporaryDirectory(prefix="smjob-bench-") as tmp:
        env = Env(Path(tmp))
        env.warm()
        if "2" in only:
            section("2", "headless", bench_headless, report, env, runs)
        if {"1", "5"} & only:
            if TMUX is None:
                log("tmux is not installed: skipping 1 and 5")
            else:
                server = TmuxServer()
                try:
                    if "1" in only:
                        section("1", "cold start", bench_cold_start, report, server, env, runs)
                    if "5" in only:
                        section("5", "peak memory", bench_memory, report, server, env, max(3, runs // 2))
                finally:
                    server.close()
        if "3" in only:
            section("3", "typing", bench_typing, report, keystrokes)
        if "4" in only:
            section("4", "history", bench_history, report, env, repeats)
        if "6" in only:
            from tests.support.bench_resources import bench_resources

            section("6", "account lookups", bench_resources, report, repeats)
        if "7" in only:
            from tests.support.bench_cost import bench_cost

            section("7", "typing with the cost", bench_cost, report, keystrokes // 2)
        if "8" in only:
            from tests.support.bench_pickers import bench_pickers

            section("8", "pickers", bench_pickers, report, repeats)

    report.rows.sort(key=lambda r: r.what[:2])
    print()
    print(report.table())
    print()
    import textual

    cpu = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "")
    print(
        f"Machine: {os.cpu_count()} cores{', ' + cpu if cpu else ''}; {platform.platform()}; "
        f"Python {platform.python_version()}; Textual {textual.__version__}; "
        f"tmux {subprocess.run([TMUX, '-V'], capture_output=True, text=True).stdout.strip() if TMUX else 'absent'}."
    )
    print("Ratios are smjob / baseline. Times are wall clock; p95 is nearest-rank.")
    for line in report.conditions:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
