"""`--ignore-rule ID` (repeatable): overriding a cross-field rule for one request, headless.

Only rule ids (`smjob rules`) can be ignored, never the API model's checks; an unknown id is a
usage error that names the closest ids, before anything is read or written.
"""

from __future__ import annotations

import sys


def add_ignore_rule_option(parser) -> None:
    parser.add_argument(
        "--ignore-rule",
        action="append",
        default=[],
        metavar="ID",
        help="drop this rule's findings for this request (repeatable; `smjob rules` lists the ids); "
        "the API model's checks cannot be ignored",
    )


def ignored_rule_ids(args) -> list[str]:
    return list(dict.fromkeys(getattr(args, "ignore_rule", None) or ()))


def report_unknown_rules(args) -> bool:
    """Print why each unknown --ignore-rule id is refused; True when there was one."""
    from smjob.terminal_text import visible
    from smjob.validate import unknown_rule_problems

    problems = unknown_rule_problems(ignored_rule_ids(args))
    for problem in problems:
        print(f"smjob: --ignore-rule: {visible(problem.message)}", file=sys.stderr)
    return bool(problems)
