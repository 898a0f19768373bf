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
        f"{p.where}: {p.message} [{p.rule}]"
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


def warnings_text(warnings: list[str], ignore_rules) -> Text:
    """At most SHOWN warning lines and one line of ignored rules (empty Text when neither)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if warnings:
        text.append(f"{len(warnings)} warning(s):\n", style="bold yellow")
        for line in warnings[:SHOWN]:
            text.append("! ", style="yellow")
            text.append_text(literal(line))
            text.append("\n")
        if len(warnings) > SHOWN:
            text.append(f"  …and {len(warnings) - SHOWN} more (F3 lists them)\n", style="yellow")
    if ignore_rules:
        text.append("Ignoring rules: ", style="bold")
        text.append_text(literal(", ".join(ignore_rules)))
    text.rstrip()
    return text


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
