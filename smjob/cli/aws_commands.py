"""Headless AWS commands: submit, status, history, clone. boto3 is imported only when they run."""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import UTC

from smjob.cli.main import (
    EXIT_INVALID,
    EXIT_UNREADABLE,
    add_output_options,
    add_target_options,
    load_or_report,
    open_history,
    target_from,
    write_output,
)

EXIT_AWS_ERROR, EXIT_NAME_IN_USE = 2, 3


def _aws_failed(exc) -> int:
    from smjob.terminal_text import visible  # messages quote server text and local file names

    print(visible(f"error: {exc.message}"), file=sys.stderr)
    for p in exc.problems:
        print(visible(f"  {p.severity}: {p.line()}"), file=sys.stderr)
    return EXIT_NAME_IN_USE if exc.kind == "name-in-use" else EXIT_AWS_ERROR


def _poll_seconds(text: str) -> float:
    import argparse

    from smjob.workflows.options import OptionError, poll_seconds

    try:
        return poll_seconds(text)
    except OptionError as exc:  # argparse: the message, usage and exit 2, before anything is sent
        raise argparse.ArgumentTypeError(str(exc)) from None


def _update_status(history, entry_id, status) -> None:
    import sqlite3

    if history is not None and entry_id is not None:
        with contextlib.suppress(sqlite3.Error, KeyError):
            history.update_status(entry_id, status)


def _print_problems(problems, stream=None) -> None:
    for p in problems:
        print(f"  {p.severity}: {p.line()} [{p.rule}]", file=stream or sys.stderr)


def _clock(value) -> str:
    return value.astimezone().strftime("%H:%M:%S") if hasattr(value, "astimezone") else "--:--:--"


def _print_job_status(status) -> None:
    from smjob.aws import format_seconds

    print(status.summary())
    if status.remaining_seconds is not None:
        print(f"  stops at the latest in {format_seconds(status.remaining_seconds)} (MaxRuntimeInSeconds)")
    if status.failure_reason:
        print(f"  failure reason: {status.failure_reason}")
    if status.model_artifacts and status.status == "Completed":
        print(f"  model: {status.model_artifacts}")


def _watch(name: str, target, poll_seconds: float, history=None, entry_id=None) -> int:
    from smjob import aws

    def update(status, fresh) -> None:
        for t in fresh:
            print(f"{_clock(t.start)}  {t.status}: {t.message}".rstrip(": "), flush=True)
        print(f"{_clock(datetime_now())}  {status.status} / {status.secondary_status}", flush=True)
        _update_status(history, entry_id, status.status)

    try:
        final = aws.watch(name, target, poll_seconds=poll_seconds, on_update=update)
    except KeyboardInterrupt:
        print(
            f"\nstopped watching; the job keeps running (`smjob status {name} --wait` to watch again)", file=sys.stderr
        )
        raise
    _print_job_status(final)
    return 0 if final.status == "Completed" else EXIT_INVALID


def datetime_now():
    from datetime import datetime

    return datetime.now(UTC)


def _submitted(submission, history) -> int:
    """Print a Submission (smjob.workflows.submitting) and return the exit status; --wait comes after."""
    for warning in submission.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if submission.error is not None and not submission.sent:  # refused by smjob or botocore: nothing sent
        print(f"error: {submission.error.message}", file=sys.stderr)
        _print_problems(submission.error.problems)
        return EXIT_INVALID
    _print_problems(submission.problems)  # warnings only
    if submission.error is not None:
        return _aws_failed(submission.error)
    if submission.result.note:
        print(f"note: {submission.result.note}", file=sys.stderr)
    return 0


def _then_watch(args, submission, history) -> int:
    from smjob import aws

    print(submission.arn, flush=True)
    if not args.wait:
        return 0
    try:
        return _watch(submission.job_name, submission.target, args.poll_seconds, history, submission.entry_id)
    except aws.AwsError as exc:
        return _aws_failed(exc)


def cmd_submit(args) -> int:
    from smjob.aws.progress import CallProgress, print_while_slow
    from smjob.cli.code_commands import apply_overrides, check_set_syntax, code_settings, progress_printer, report_code
    from smjob.cli.overrides import ignored_rule_ids, report_unknown_rules
    from smjob.terminal_text import visible
    from smjob.workflows import check_request, send

    if report_unknown_rules(args):
        return EXIT_UNREADABLE
    ignore_rules = ignored_rule_ids(args)
    code, ok = code_settings(args)
    if not ok or not check_set_syntax(args):
        return EXIT_UNREADABLE
    loaded = load_or_report(args.file)
    if loaded is None:
        return EXIT_UNREADABLE
    request = apply_overrides(loaded.request, args)
    if request is None:
        return EXIT_UNREADABLE
    checked = check_request(request, target_from(args), notes=loaded.notes, ignore_rules=ignore_rules)
    for p in checked.ignored:  # an override is never silent
        print(visible(f"ignored {p.severity}: {p.line()} [{p.rule}]"), file=sys.stderr)
    if checked.error is not None:  # said before the history is opened or anything sent
        print(f"{args.file}: invalid, not submitted", file=sys.stderr)
        _print_problems(checked.problems)
        return EXIT_INVALID
    from smjob.cli.reality_commands import guard_rails_refuse

    if guard_rails_refuse(request, target_from(args), args.yes):  # max cost / instance count settings
        return EXIT_INVALID
    history = open_history()
    watch = CallProgress()  # a server that never answers: attempts and seconds on stderr, not silence
    try:
        print_while_slow(watch)
        submission = send(checked, history, code=code, progress=progress_printer(), watch=watch)
        report_code(submission)
        status = _submitted(submission, history)
        return status if status or not submission.ok else _then_watch(args, submission, history)
    finally:
        watch.done = True
        if history is not None:
            history.close()


def cmd_status(args) -> int:
    import dataclasses
    import sqlite3

    from smjob import aws

    target = target_from(args)
    history = open_history()
    try:
        entry = history.latest_for_job(args.name) if history is not None else None
    except sqlite3.Error:
        entry = None
    try:
        if args.wait:
            return _watch(args.name, target, args.poll_seconds, history, entry.id if entry else None)
        status = aws.job_status(args.name, target)
        if entry is not None and entry.status != status.status:
            _update_status(history, entry.id, status.status)
    except aws.AwsError as exc:
        return _aws_failed(exc)
    finally:
        if history is not None:
            history.close()
    if args.json:
        print(json.dumps(dataclasses.asdict(status), indent=2, default=str))
        return 0
    _print_job_status(status)
    for t in status.transitions:
        print(f"  {_clock(t.start)}  {t.status}: {t.message}".rstrip(": "))
    return 0


def cmd_history_list(args) -> int:
    from smjob.history import History, where_of

    with History() as history:
        entries = history.list(text=args.filter, status=args.status, instance_type=args.instance_type, limit=args.limit)
    if args.json:
        print(json.dumps([e.to_dict() for e in entries], indent=2, ensure_ascii=False))
        return 0
    if not entries:
        print(
            "no history entries" + (" match" if (args.filter or args.status or args.instance_type) else ""),
            file=sys.stderr,
        )
        return 0
    print(f"{'ID':>5}  {'CREATED (UTC)':<16}  {'ACTION':<13}  {'STATUS':<10}  {'INSTANCE':<16}  JOB -> WHERE")
    for e in entries:
        where = where_of(e)  # what the history screen shows too
        what = " ".join(x for x in (e.job_name, where and f"-> {where}") if x)
        print(
            f"{e.id:>5}  {e.created[:16].replace('T', ' '):<16}  {e.action:<13}  {e.status or '':<10}  "
            f"{e.instance_type or '':<16}  {what}"
        )
    return 0


def _history_entry(history, entry_id):
    try:
        return history.get(entry_id)
    except KeyError:
        print(f"no history entry {entry_id} (`smjob history list` shows them)", file=sys.stderr)
        return None


def _read_entry(entry_id):
    """One entry, the history closed again (None after saying it is missing)."""
    from smjob.history import History

    with History() as history:
        return _history_entry(history, entry_id)


def cmd_history_show(args) -> int:
    entry = _read_entry(args.id)
    if entry is None:
        return EXIT_UNREADABLE
    if args.json:
        print(json.dumps(entry.to_dict(), indent=2, ensure_ascii=False))
        return 0
    for key in (
        "id",
        "created",
        "action",
        "job_name",
        "arn",
        "status",
        "profile",
        "region",
        "endpoint",
        "instance_type",
        "error",
        "path",
    ):
        value = getattr(entry, key)
        if value is not None:
            print(f"{key + ':':<15}{value}")
    if entry.request is not None:
        print(json.dumps(entry.request, indent=2, ensure_ascii=False))
    return 0


def cmd_history_diff(args) -> int:
    from smjob.diff import diff, format_changes
    from smjob.drafts import load_draft
    from smjob.history import History

    with History() as history:
        first = _history_entry(history, args.id)
        if first is None:
            return EXIT_UNREADABLE
        if args.draft:
            other, label = load_draft(), "the draft"
            if other is None:
                print("there is no saved draft", file=sys.stderr)
                return EXIT_UNREADABLE
        elif args.other is not None:
            entry = _history_entry(history, args.other)
            if entry is None:
                return EXIT_UNREADABLE
            other, label = entry.request, f"entry {entry.id}"
        else:
            entry = history.previous(first.id)
            if entry is None:
                print(f"entry {first.id} is the oldest; give a second ID or --draft", file=sys.stderr)
                return EXIT_UNREADABLE
            other, label = entry.request, f"entry {entry.id}"
    if args.draft or args.other is not None:  # ID -> ID2 / the draft, in the order given
        before, after, heading = first.request or {}, other or {}, f"entry {first.id} -> {label}"
    else:  # what changed since the entry before
        before, after, heading = other or {}, first.request or {}, f"{label} -> entry {first.id}"
    changes = diff(before, after)
    if args.json:
        print(json.dumps([c.to_dict() for c in changes], indent=2, ensure_ascii=False))
        return 0
    print(heading)
    print(format_changes(changes))
    return 0


def cmd_history_resubmit(args) -> int:
    from smjob.cli.code_commands import apply_overrides, check_set_syntax
    from smjob.history import History
    from smjob.workflows import WorkflowError, resubmission, submit

    if not check_set_syntax(args):
        return EXIT_UNREADABLE
    with History() as history:
        try:
            prepared = resubmission(history.get(args.id), target_from(args), datetime_now())
            request = apply_overrides(prepared.request, args)
            if request is None:
                return EXIT_UNREADABLE
            submission = submit(request, prepared.target, history, ignore_rules=prepared.ignore_rules)
        except KeyError:
            print(f"no history entry {args.id} (`smjob history list` shows them)", file=sys.stderr)
            return EXIT_UNREADABLE
        except WorkflowError as exc:
            print(exc, file=sys.stderr)
            return EXIT_UNREADABLE
        if submission.error is not None and not submission.sent:
            print(f"entry {prepared.entry_id} is not valid any more, not submitted", file=sys.stderr)
        status = _submitted(submission, history)
        if status or not submission.ok:
            return status
        print(
            f"resubmitted entry {prepared.entry_id} as {submission.job_name} (history entry {submission.entry_id})",
            file=sys.stderr,
        )
        return _then_watch(args, submission, history)


def _write_clone(result, args) -> int:
    """Both clones: say the notes, apply --set / --fresh-name, write the request."""
    from smjob.cli.code_commands import apply_overrides
    from smjob.terminal_text import visible  # notes quote the job's own (server) text

    for note in result.notes:
        print(visible(f"note: {note.where}: {note.message}"), file=sys.stderr)
    request = apply_overrides(result.request, args)
    if request is None:
        return EXIT_UNREADABLE
    return write_output(request, args.to, args.output, force=args.force)


def cmd_clone(args) -> int:
    from smjob import aws
    from smjob.cli.code_commands import check_set_syntax
    from smjob.workflows import clone_job

    if not check_set_syntax(args):
        return EXIT_UNREADABLE
    try:
        result = clone_job(args.name, target_from(args), keep_name=args.keep_name, now=datetime_now())
    except aws.AwsError as exc:
        return _aws_failed(exc)
    return _write_clone(result, args)


def cmd_history_clone(args) -> int:
    from smjob.workflows import WorkflowError, clone_entry

    entry = _read_entry(args.id)
    if entry is None:
        return EXIT_UNREADABLE
    try:
        result = clone_entry(entry, now=datetime_now())
    except WorkflowError as exc:
        print(exc, file=sys.stderr)
        return EXIT_UNREADABLE
    return _write_clone(result, args)


def add_aws_commands(sub) -> None:
    from smjob.cli.code_commands import add_code_options, add_set_options
    from smjob.cli.overrides import add_ignore_rule_option

    p = sub.add_parser("submit", help="submit a request to SageMaker (exit 1 invalid, 2 AWS error, 3 name taken)")
    p.add_argument("file", metavar="FILE")
    add_target_options(p)
    p.add_argument("--wait", action="store_true", help="poll until the job ends (exit 0 Completed, 1 Failed/Stopped)")
    p.add_argument("--poll-seconds", type=_poll_seconds, default=30.0, metavar="N")
    add_set_options(p)
    add_code_options(p)
    p.add_argument("--yes", action="store_true", help="submit even when over the guard rails in `smjob settings`")
    add_ignore_rule_option(p)
    p.set_defaults(func=cmd_submit)

    p = sub.add_parser("status", help="a training job's status and transitions")
    p.add_argument("name", metavar="NAME")
    add_target_options(p)
    p.add_argument("--wait", action="store_true", help="poll until the job ends (exit 0 Completed, 1 Failed/Stopped)")
    p.add_argument("--poll-seconds", type=_poll_seconds, default=30.0, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("clone", help="a request rebuilt from an existing training job, with a fresh name")
    p.add_argument("name", metavar="JOB_NAME")
    add_output_options(p)
    p.add_argument("--keep-name", action="store_true", help="keep the job's name (it cannot be submitted again)")
    add_target_options(p)
    add_set_options(p)
    p.set_defaults(func=cmd_clone)

    history = sub.add_parser("history", help="what was submitted and exported")
    hsub = history.add_subparsers(dest="history_command", required=True)
    p = hsub.add_parser("list", help="entries, newest first")
    p.add_argument("--filter", metavar="TEXT", help="part of a job name, ARN, instance type or error")
    p.add_argument("--status", metavar="S", help="e.g. Completed, Failed, InProgress")
    p.add_argument("--instance-type", metavar="TYPE")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_history_list)

    p = hsub.add_parser("show", help="one entry with its request")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_history_show)

    p = hsub.add_parser("diff", help="changes from ID to ID2 or to the draft (default: from the entry before ID)")
    p.add_argument("id", type=int, metavar="ID")
    which = p.add_mutually_exclusive_group()
    which.add_argument("other", type=int, nargs="?", metavar="ID2")
    which.add_argument("--draft", action="store_true", help="compare with the app's saved draft")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_history_diff)

    p = hsub.add_parser("resubmit", help="submit an entry's request again under a fresh name")
    p.add_argument("id", type=int, metavar="ID")
    add_target_options(p)
    p.add_argument("--wait", action="store_true")
    p.add_argument("--poll-seconds", type=_poll_seconds, default=30.0, metavar="N")
    add_set_options(p)  # the name is always fresh here; --fresh-name is accepted for symmetry
    p.set_defaults(func=cmd_history_resubmit)

    p = hsub.add_parser("clone", help="an entry's request under a fresh name, to edit")
    p.add_argument("id", type=int, metavar="ID")
    add_output_options(p)
    add_set_options(p)
    p.set_defaults(func=cmd_history_clone)
