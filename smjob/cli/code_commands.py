"""Headless options and commands of "from request to running code":

- `--source-dir DIR --entry-point FILE [--requirements [FILE]]` on submit (smjob.code);
- `--set PATH=VALUE` and `--fresh-name` on submit, render, validate, clone and history
  resubmit / clone (smjob.set_paths, smjob.naming);
- `smjob logs NAME [--follow] [--host algo-2] [--since 10m] [--search TEXT]` (smjob.logs);
- `smjob jobs [--status S] [--name TEXT] [--since 7d] [--limit N]` (smjob.jobs_list).

Everything printed that came from a file or from AWS goes through smjob.terminal_text.visible.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_USAGE = 2


def _say(text: str, stream=None) -> None:
    from smjob.terminal_text import visible

    print(visible(text), file=stream or sys.stderr)


# --- --set and --fresh-name ---------------------------------------------------------------------


def add_set_options(p) -> None:
    p.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="change one member (repeatable): VALUE is JSON or text, e.g. ResourceConfig.InstanceCount=4, "
        "HyperParameters.lr=0.01 (a string: the model takes strings there), InputDataConfig[1].ChannelName=val; "
        "null removes it",
    )
    p.add_argument("--fresh-name", action="store_true", help="rename the job `<name>-YYYYMMDD-HHMMSS` (after --set)")


def apply_overrides(request, args):
    """`request` with the --set assignments and --fresh-name applied, or None after printing why
    (nothing is read further, sent or written then)."""
    from smjob.set_paths import SetError, apply_sets

    sets = getattr(args, "sets", None) or []
    if sets:
        if not isinstance(request, dict):
            _say("error: --set needs a request that is a mapping")
            return None
        try:
            request, notes = apply_sets(request, sets)
        except SetError as exc:
            _say(f"error: {exc}")
            return None
        for note in notes:
            _say(f"note: --set {note}")
    if getattr(args, "fresh_name", False) and isinstance(request, dict):
        from smjob.workflows.submitting import renamed_fresh

        request = renamed_fresh(request)
    return request


def check_set_syntax(args) -> bool:
    """Every --set parses and names a model path; said before anything is loaded or sent."""
    from smjob.set_paths import SetError, check_path, parse_assignment

    ok = True
    for text in getattr(args, "sets", None) or []:
        try:
            check_path(parse_assignment(text).path)
        except SetError as exc:
            _say(f"error: {exc}")
            ok = False
    return ok


# --- code -------------------------------------------------------------------------------------


def add_code_options(p) -> None:
    g = p.add_argument_group("code (uploaded to S3 and run as ModelTrainer does; see the README)")
    g.add_argument("--source-dir", metavar="DIR", help="the folder with the training code")
    g.add_argument("--entry-point", metavar="FILE", help="the script to run, relative to DIR: .py or .sh")
    g.add_argument(
        "--requirements",
        nargs="?",
        const="requirements.txt",
        metavar="FILE",
        help="pip install -r this file of DIR first (default requirements.txt)",
    )
    g.add_argument(
        "--code-ignore",
        action="append",
        default=[],
        metavar="PATTERN",
        help="also leave out files or folders matching this (repeatable; .git, __pycache__, .venv are left out)",
    )
    g.add_argument("--code-s3-prefix", metavar="S3URI", help="upload under this prefix (default <output>/<job>/code/)")


def code_settings(args):
    """(CodeSettings or None, ok): ok is False after printing a usage error."""
    from smjob.code import DEFAULT_IGNORE, CodeSettings

    source, entry = getattr(args, "source_dir", None), getattr(args, "entry_point", None)
    if not source and not entry:
        if getattr(args, "requirements", None) or getattr(args, "code_s3_prefix", None):
            _say("error: --requirements and --code-s3-prefix need --source-dir and --entry-point")
            return None, False
        return None, True
    if not source or not entry:
        _say("error: --source-dir and --entry-point go together")
        return None, False
    ignore = DEFAULT_IGNORE + tuple(args.code_ignore or ())
    source = os.path.abspath(os.path.expanduser(source))  # drafts and history must not depend on the cwd
    return CodeSettings(source, entry, args.requirements, ignore, args.code_s3_prefix), True


def progress_printer(stream=None):
    """An upload progress callback that prints at most every 10% (only for uploads over 1 MiB)."""
    state = {"shown": -1}

    def progress(done: int, total: int, name: str) -> None:
        if total < 1024 * 1024:
            return
        tenth = done * 10 // total
        if tenth != state["shown"]:
            state["shown"] = tenth
            _say(f"uploading code: {done * 100 // total}% ({name})", stream)

    return progress


def report_code(submission) -> None:
    prepared = submission.code
    if prepared is None:
        return
    for warning in prepared.warnings:
        _say(f"warning: code: {warning}")
    if prepared.upload is not None:
        _say(prepared.upload.summary())


# --- smjob logs -------------------------------------------------------------------------------


def _since_ms(text: str | None) -> int | None:
    import time

    from smjob.durations import parse_duration

    if not text:
        return None
    seconds = parse_duration(text)
    if seconds is None:
        raise argparse.ArgumentTypeError(f"--since {text!r}: expected a duration such as 10m, 2h or 1d")
    return int((time.time() - seconds) * 1000)


def _instances(describe: dict) -> int:
    rc = describe.get("ResourceConfig") or {}
    groups = rc.get("InstanceGroups") or []
    if groups:
        return sum(int(g.get("InstanceCount") or 0) for g in groups if isinstance(g, dict))
    return int(rc.get("InstanceCount") or 1)


def cmd_logs(args) -> int:
    from smjob import aws
    from smjob.cli.aws_commands import _aws_failed
    from smjob.cli.main import target_from
    from smjob.logs import JobPoller, LogLine, LogReader, Notice, follow
    from smjob.terminal_text import visible

    try:
        since = _since_ms(args.since)
    except argparse.ArgumentTypeError as exc:
        _say(f"error: {exc}")
        return EXIT_USAGE
    target = target_from(args)
    try:
        sm = aws.client(target)
        described = aws.describe(args.name, target, client=sm)  # not-found: a clear error, not "no streams"
    except aws.AwsError as exc:
        return _aws_failed(exc)
    prefix_hosts = not args.host and _instances(described) > 1
    reader = LogReader(args.name, target, host=args.host, since_ms=since, search=args.search)

    def show(item) -> None:
        if isinstance(item, LogLine):
            text = f"[{item.host}] {item.message}" if prefix_hosts else item.message
            print(visible(text.rstrip("\n")), flush=True)
        elif isinstance(item, Notice):
            _say(f"smjob logs: {item.message}")

    try:
        if not args.follow:
            for item in reader.poll():
                show(item)
            return 0
        final = None
        for item in follow(reader, JobPoller(args.name, target, client=sm, every=args.poll_seconds)):
            if isinstance(item, (LogLine, Notice)):
                show(item)
            else:
                final = item
    except aws.AwsError as exc:
        return _aws_failed(exc)
    except KeyboardInterrupt:
        _say(f"stopped following; the job keeps running (`smjob logs {args.name} --follow` to follow again)")
        raise
    reason = f": {final.failure_reason}" if final.failure_reason else ""
    _say(f"{args.name}: {final.status}{reason}")
    return 0 if final.status == "Completed" else 1


def cmd_jobs(args) -> int:
    import json
    from datetime import UTC, datetime, timedelta

    from smjob import aws
    from smjob.cli.aws_commands import _aws_failed
    from smjob.cli.main import target_from
    from smjob.durations import parse_duration
    from smjob.jobs_list import JobPager, JobQuery
    from smjob.terminal_text import visible

    after = None
    if args.since:
        seconds = parse_duration(args.since)
        if seconds is None:
            _say(f"error: --since {args.since!r}: expected a duration such as 10m, 2h or 7d")
            return EXIT_USAGE
        after = datetime.now(UTC) - timedelta(seconds=seconds)
    query = JobQuery(status=args.status, name_contains=args.name, created_after=after)
    rows = []
    try:
        for page in JobPager(query, target_from(args), page_size=min(100, args.limit)):
            rows += page
            if len(rows) >= args.limit:
                break
    except aws.AwsError as exc:
        return _aws_failed(exc)
    rows = rows[: args.limit]
    if args.json:
        print(json.dumps([_row(r) for r in rows], indent=2))
        return 0
    for r in rows:
        created = r.creation_time.strftime("%Y-%m-%d %H:%M") if r.creation_time else ""
        print(visible(f"{created:<16}  {r.status:<10}  {r.name}"))
    return 0


def _row(r) -> dict:
    return {
        "name": r.name,
        "arn": r.arn,
        "status": r.status,
        "creation_time": r.creation_time.isoformat() if r.creation_time else None,
        "end_time": r.end_time.isoformat() if r.end_time else None,
    }


def add_logs_commands(sub) -> None:
    from smjob.cli.aws_commands import _poll_seconds
    from smjob.cli.main import add_target_options
    from smjob.jobs_list import STATUSES

    p = sub.add_parser("logs", help="a training job's CloudWatch logs (--follow: until it ends, exit 0 Completed)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--follow", "-f", action="store_true", help="keep printing new lines until the job ends")
    p.add_argument("--host", metavar="HOST", help="one host's lines, e.g. algo-2 (default: all, interleaved)")
    p.add_argument("--since", metavar="DURATION", help="only lines from the last DURATION, e.g. 10m, 2h")
    p.add_argument("--search", metavar="TEXT", help="only lines containing TEXT (case-insensitive)")
    p.add_argument("--poll-seconds", type=_poll_seconds, default=10.0, metavar="N", help="job status poll interval")
    add_target_options(p)
    p.set_defaults(func=cmd_logs)

    p = sub.add_parser("jobs", help="the account's training jobs (ListTrainingJobs), newest first")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--name", metavar="TEXT", help="part of the job name")
    p.add_argument("--since", metavar="DURATION", help="created in the last DURATION, e.g. 7d")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--json", action="store_true")
    add_target_options(p)
    p.set_defaults(func=cmd_jobs)


# --- render / export with code -------------------------------------------------------------------


def add_render_code_options(p) -> None:
    add_code_options(p)
    p.add_argument(
        "--upload-code",
        action="store_true",
        help="upload the folder now (needs AWS); without it a CLI script (--to cli -o FILE) uploads it with "
        "`aws s3 sync` before creating the job",
    )
    from smjob.cli.main import add_target_options

    add_target_options(p)


def render_with_code(args, request: dict, settings) -> int:
    """`smjob render --source-dir ...`: the completed request; with -o an export (see smjob.code.export)."""
    from smjob import aws
    from smjob.cli.main import EXIT_UNREADABLE, open_history, print_rendered
    from smjob.code import CodeError
    from smjob.code.export import plan_code_export
    from smjob.code.upload import UploadError
    from smjob.render import render

    target = None
    if args.upload_code:
        from smjob.cli.main import target_from

        target = target_from(args)
    try:
        plan, prepared = plan_code_export(
            request,
            settings,
            args.to,
            args.output or "-",
            upload=args.upload_code,
            target=target,
            progress=progress_printer(),
        )
    except (CodeError, UploadError, aws.AwsError, ValueError) as exc:
        _say(f"error: {exc}")
        return EXIT_UNREADABLE
    for warning in prepared.warnings:
        _say(f"warning: code: {warning}")
    if prepared.upload is not None:
        _say(prepared.upload.summary())
    elif args.to != "cli" or not args.output:
        _say(f"note: the code is not uploaded yet ({prepared.uri}): --upload-code, or --to cli -o FILE for a script")
    if not args.output:
        print_rendered(render(prepared.request, args.to))
        return 0
    from smjob.workflows.exporting import write_export

    taken = [p for p in plan.companions if p in plan.existing]
    if taken and not args.force:
        _say(
            f"error: {plan.path} reads its request from {taken[0]} beside it, which exists; nothing was written "
            "(--force replaces it)"
        )
        return EXIT_UNREADABLE
    history = open_history()
    try:
        from smjob.cli.overrides import ignored_rule_ids

        result = write_export(plan, history, ignore_rules=ignored_rule_ids(args))
    except OSError as exc:
        _say(f"error: could not write {args.output}: {exc}")
        return EXIT_UNREADABLE
    finally:
        if history is not None:
            history.close()
    for warning in result.warnings:
        _say(f"warning: {warning}")
    _say("wrote " + " and ".join(str(p) for p in result.written))
    return 0
