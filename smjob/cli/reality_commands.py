"""Reality checks from the command line: `smjob instances`, `cost`, `preflight`, `settings`."""

from __future__ import annotations

import json
import sys

from smjob.cli.main import EXIT_UNREADABLE, add_target_options, load_or_report, target_from


def _say(text: str, stream=None) -> None:
    from smjob.terminal_text import visible  # names and messages can quote the request's own strings

    print(visible(text), file=stream or sys.stdout)


# --- instances ----------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return "?"
    if isinstance(value, bool):
        return "yes" if value else "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value) if value != "" else "-"


def cmd_instances(args) -> int:
    from smjob.facts import build, query, source

    if args.filter == ["refresh"]:
        return _refresh(args)
    try:
        chosen = query.select(build.training_instance_types(), args.filter, args.sort)
    except query.FilterError as exc:
        _say(f"error: {exc}", sys.stderr)
        return EXIT_UNREADABLE
    rows = [query.row(t) for t in chosen]
    if args.json:
        print(json.dumps({"source": source(), "instances": rows}, indent=2))
        return 0
    keys = ["type", "vcpu", "mem", "gpu", "gpumodel", "gpumem", "accel", "accelmodel", "nvme", "efa", "net"]
    table = [[query.COLUMNS[k][0] for k in keys]]
    for r in rows:
        table.append([_cell(r["instance_type"] if k == "type" else r[query.COLUMNS[k][1]]) for k in keys])
    widths = [max(len(line[i]) for line in table) for i in range(len(keys))]
    for line in table:
        _say("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    missing = sum(not r["facts"] for r in rows)
    note = f"; {missing} without facts (?)" if missing else ""
    _say(f"{len(rows)} type(s); facts: {source()}{note}", sys.stderr)
    return 0


def _refresh(args) -> int:
    from smjob.aws.errors import AwsError
    from smjob.facts.build import refresh

    try:
        table = refresh(target_from(args))
    except AwsError as exc:
        _say(f"error: {exc.message}", sys.stderr)
        return 2
    _say(f"{len(table['facts'])} types from {table['source']}; without facts: {', '.join(table['missing']) or 'none'}")
    return 0


# --- cost ---------------------------------------------------------------------------------


def cost_of(request: dict, target, *, refresh: bool = False, offline: bool = False):
    """(Estimate, region) for a request: the app's status bar can call this in a worker thread."""
    from smjob.aws.clients import resolve
    from smjob.pricing import Price, PriceBook, estimate

    region = resolve(target).region
    if not region:
        return estimate(request, "?", lambda t, r: Price(t, r, None, why_unknown="no region is set")), None
    book = PriceBook(target, refresh=refresh, offline=offline)
    return estimate(request, region, book.price), region


def cmd_cost(args) -> int:
    from smjob.settings import guard_rail_warnings

    loaded = load_or_report(args.file)
    if loaded is None:
        return EXIT_UNREADABLE
    est, _region = cost_of(loaded.request, target_from(args), refresh=args.refresh_prices, offline=args.offline)
    warnings = guard_rail_warnings(est)
    if args.json:
        print(json.dumps(est.to_dict() | {"guard_rails": warnings}, indent=2))
        return 0 if est.total_usd is not None else 2
    hours = (est.max_runtime_seconds + est.keep_alive_seconds) / 3600
    for line in est.lines:
        if line.price.known:
            dated = f", price of {line.price.fetched}" if line.price.fetched else ""
            _say(
                f"{line.count} x {line.instance_type} x ${line.price.usd_per_hour:g}/h x {hours:g} h = "
                f"${line.usd:,.2f}{dated}"
            )
        else:
            _say(f"{line.count} x {line.instance_type}: price unknown ({line.price.why_unknown})")
    _say(f"total: {est.summary()} in {est.region}")
    for note in est.notes:
        _say(f"note: {note}")
    for w in warnings:
        _say(f"warning: {w}", sys.stderr)
    return 0 if est.total_usd is not None else 2


def guard_rails_refuse(request: dict, target, yes: bool) -> bool:
    """For `smjob submit`: print the guard-rail warnings; True (refuse) when there are some and no --yes.
    Without settings nothing is looked up; prices are fetched only when a cost limit is set."""
    from smjob.pricing import Price, estimate
    from smjob.settings import guard_rail_warnings, load_checked

    settings, warnings = load_checked()  # a settings file that cannot be read: the rails are unchecked
    if not settings and not warnings:
        return False
    if "max_estimated_cost" in settings:
        est, _region = cost_of(request, target)
    else:
        est = estimate(request, "?", lambda t, r: Price(t, r, None, why_unknown="not needed"))
    warnings += guard_rail_warnings(est, settings)
    for w in warnings:
        _say(f"warning: {w}", sys.stderr)
    if warnings and not yes:
        _say("not submitted: over your guard rails (smjob settings get); --yes submits anyway", sys.stderr)
        return True
    return False


# --- preflight ----------------------------------------------------------------------------

_MARK = {"passed": "ok  ", "failed": "FAIL", "warning": "warn", "could not check": "??  "}


def cmd_preflight(args) -> int:
    from smjob.paths import format_path
    from smjob.preflight import run_preflight

    loaded = load_or_report(args.file)
    if loaded is None:
        return EXIT_UNREADABLE
    report = run_preflight(loaded.request, target_from(args), timeout=args.timeout)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
        return report.exit_code
    order = {"failed": 0, "could not check": 1, "warning": 2, "passed": 3}
    for c in sorted(report.checks, key=lambda c: order.get(c.status, 9)):
        where = f"{format_path(c.path)}: " if c.path else ""
        _say(f"{_MARK.get(c.status, c.status)} {c.title}: {where}{c.message}")
    counts = {s: sum(c.status == s for c in report.checks) for s in order}
    _say(
        f"{counts['passed']} passed, {counts['failed']} failed, {counts['could not check']} could not check, "
        f"{counts['warning']} warning(s) in {report.seconds:.2f} s ({report.region or 'no region'}); "
        "nothing was submitted",
        sys.stderr,
    )
    return report.exit_code


# --- settings -----------------------------------------------------------------------------


def cmd_settings(args) -> int:
    from smjob import settings

    if args.action == "set":
        if args.key is None or args.value is None:
            _say("usage: smjob settings set KEY VALUE (VALUE 'off' removes it)", sys.stderr)
            return EXIT_UNREADABLE
        try:
            note = settings.set_value(args.key, args.value)
        except (settings.SettingsError, OSError) as exc:
            _say(f"error: {exc}", sys.stderr)
            return EXIT_UNREADABLE
        if note:
            _say(f"smjob: {note}", sys.stderr)
    try:
        current = settings.load()
    except OSError as exc:  # smjob.files.UnreadableFile: names the file and what to do
        _say(f"error: {exc}", sys.stderr)
        return EXIT_UNREADABLE
    keys = [args.key] if args.key else list(settings.KNOWN)
    for key in keys:
        if key not in settings.KNOWN:
            _say(f"error: no setting {key!r}; settings: {', '.join(settings.KNOWN)}", sys.stderr)
            return EXIT_UNREADABLE
        value = current.get(key)
        _say(f"{key} = {'off' if value is None else value}    # {settings.KNOWN[key]}")
    return 0


def add_reality_commands(sub) -> None:
    p = sub.add_parser("instances", help="training instance types with their hardware; `instances refresh` rebuilds")
    p.add_argument("filter", nargs="*", metavar="FILTER", help="e.g. gpu>=4 mem>=192 a10g efa !nvme (ANDed)")
    p.add_argument("--sort", metavar="COLUMN", help="type, vcpu, mem, gpu, gpumem, accel, nvme, efa, net, ...")
    p.add_argument("--json", action="store_true")
    add_target_options(p)
    p.set_defaults(func=cmd_instances)

    p = sub.add_parser("cost", help="the cost upper bound of a request (exit 2 when a price is unknown)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--refresh-prices", action="store_true", help="ask the Price List API again")
    p.add_argument("--offline", action="store_true", help="use cached prices only")
    add_target_options(p)
    p.set_defaults(func=cmd_cost)

    p = sub.add_parser("preflight", help="check the job against the account (exit 0 ok, 1 failed, 2 could not check)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--timeout", type=float, default=5.0, help="seconds per AWS call (default 5)")
    add_target_options(p)
    p.set_defaults(func=cmd_preflight)

    p = sub.add_parser("settings", help="guard rails: max_estimated_cost, max_instance_count")
    p.add_argument("action", choices=("get", "set"))
    p.add_argument("key", nargs="?")
    p.add_argument("value", nargs="?")
    p.set_defaults(func=cmd_settings)
