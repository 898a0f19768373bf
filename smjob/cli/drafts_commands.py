"""`smjob drafts [list|show ID|rm ID] [--json]`: the shelf of autosaved drafts, without the app.

Job names come from the user's files: shown through terminal_text.visible, never raw."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from smjob.terminal_text import is_safe, visible

EXIT_OK, EXIT_MISSING = 0, 2


def _json(value) -> str:
    """Readable JSON, unless a string in it holds characters the terminal would act on: then all
    non-ASCII is escaped (still the same JSON for any parser)."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text if is_safe(text, multiline=True) else json.dumps(value, indent=2, ensure_ascii=True)


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).astimezone().strftime("%Y-%m-%d %H:%M")


def _summary(draft) -> dict:
    from smjob.drafts import problem_counts

    errors, warnings = problem_counts(draft.request, draft.ignore_rules)
    return {
        "id": draft.id,
        "file": str(draft.path),
        "modified": datetime.fromtimestamp(draft.modified).astimezone().isoformat(timespec="seconds"),
        "name": draft.request.get("TrainingJobName"),
        "valid": errors == 0,
        "errors": errors,
        "warnings": warnings,
    }


def _scan():
    from smjob.drafts import scan

    drafts, problems = scan()
    for problem in problems:
        print(f"smjob: {visible(problem.message)}", file=sys.stderr)
    return drafts


def cmd_drafts(args) -> int:
    action = args.drafts_command or "list"
    drafts = _scan()
    if action == "list":
        if args.json:
            print(_json([_summary(d) for d in drafts]))
        elif not drafts:
            print("no drafts (the app autosaves one per job as you edit)", file=sys.stderr)
        for draft in [] if args.json else drafts:
            s = _summary(draft)
            status = "valid" if s["valid"] else f"{s['errors']} error(s)"
            print(f"{draft.id}  {_when(draft.modified)}  {status:<12} {visible(draft.name)}")
        return EXIT_OK
    from smjob.drafts import find_draft, remove_draft

    draft = find_draft(args.id, drafts)
    if draft is None:
        print(f"no draft {visible(args.id)}; `smjob drafts list` shows them", file=sys.stderr)
        return EXIT_MISSING
    if action == "show":
        if args.json:
            print(_json({**_summary(draft), "request": draft.request}))
            return EXIT_OK
        s = _summary(draft)
        print(f"id:       {draft.id}\nfile:     {visible(str(draft.path))}\nmodified: {s['modified']}")
        print(f"name:     {visible(draft.name)}\nstatus:   " + ("valid" if s["valid"] else f"{s['errors']} error(s)"))
        print(_json(draft.request))
        return EXIT_OK
    removed = remove_draft(draft.id)
    if args.json:
        print(_json({"removed": [str(p) for p in removed]}))
    else:
        for path in removed:
            print(f"removed {visible(str(path))}")
    return EXIT_OK


def add_drafts_command(sub) -> None:
    p = sub.add_parser("drafts", help="the autosaved drafts: list (default), show ID, rm ID")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    actions = p.add_subparsers(dest="drafts_command")
    for name, what in (
        ("list", "every draft, newest first: id, time, validity, job name"),
        ("show", "print a draft's request"),
        ("rm", "remove a draft"),
    ):
        a = actions.add_parser(name, help=what)
        # --json before or after the action; SUPPRESS: absent here does not undo it given before
        a.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
        if name != "list":
            a.add_argument("id", metavar="ID", help="the draft's id (first column of `smjob drafts list`) or file name")
    p.set_defaults(func=cmd_drafts)


def latest_for_app():
    """For plain `smjob`: the most recent draft (or None) and notes for the app; each unreadable
    draft is also named on stderr, where it stays readable after the app exits."""
    from smjob.drafts import Unreadable, latest_draft

    try:
        draft, problems = latest_draft()
    except OSError as exc:  # the shelf itself cannot be listed: start a new job, and say why
        problems = [Unreadable(getattr(exc, "filename", None) or "the drafts directory", None, str(exc))]
        draft = None
    for problem in problems:
        print(f"smjob: {visible(problem.message)}", file=sys.stderr)
    return draft, problems
