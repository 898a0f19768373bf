"""What the submit confirmation warns about, and its progress line while the request is out.

Warnings make the dialog start on Cancel, not Submit: a large instance count or any other rule
warning, an image from another region's registry (checked again with the region the target
really resolves to), a role in another account than the caller's. The job's ignored rules are
listed too: an override is never silent.
"""

from __future__ import annotations

import re

from rich.text import Text

from smjob.problems import ERROR
from smjob.widgets.base import literal
from smjob.widgets.hanging import Hanging, Row

_ROLE_ACCOUNT = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}):role/")
SHOWN = 3  # warning lines in the dialog; the rest are counted (F3 lists them)


def role_account(request: dict) -> str | None:
    role = request.get("RoleArn")
    m = _ROLE_ACCOUNT.match(role) if isinstance(role, str) else None
    return m[1] if m else None


def rule_warnings(request: dict, region: str | None, ignore_rules) -> list[str]:
    """The request's warnings (rule ids shown), checked for `region`."""
    from smjob.validate import validate

    return [
        f"{p.line()} [{p.rule}]"
        for p in validate(request, region=region, ignore_rules=ignore_rules)
        if p.severity != ERROR
    ]


def account_warning(request: dict, caller_account: str | None) -> str | None:
    account = role_account(request)
    if account and caller_account and account != caller_account:
        return (
            f"RoleArn is in account {account}, but you are signed in to account {caller_account}: "
            "the role must trust SageMaker and allow you to pass it."
        )
    return None


def warnings_text(warnings: list[str], ignore_rules) -> Hanging:
    """At most SHOWN warnings, each wrapped under itself, and the ignored rules (empty when neither)."""
    rows = []
    if warnings:
        rows.append(Row(Text(""), Text(f"{len(warnings)} warning(s):", style="bold yellow")))
        rows += [Row(Text("! ", style="yellow"), literal(line)) for line in warnings[:SHOWN]]
        if len(warnings) > SHOWN:
            rows.append(Row(Text("  "), Text(f"…and {len(warnings) - SHOWN} more (F3 lists them)", style="yellow")))
    if ignore_rules:
        rows.append(Row(Text("Ignoring rules: ", style="bold"), literal(", ".join(ignore_rules))))
    return Hanging(rows)


def progress_text(watch, job_name: str | None) -> Text:
    """While the request is out: attempt, what it waits for, seconds; and that Escape stops waiting."""
    if not watch.operation:
        return Text("")  # nothing sent to SageMaker yet (a code upload shows its own progress)
    text = Text(watch.describe())
    if watch.elapsed >= 2:
        text.append(" — Escape stops waiting (the job may still be created: ", style="dim")
        text.append_text(literal(f"smjob status {job_name or 'NAME'}"))
        text.append(")", style="dim")
    return text
