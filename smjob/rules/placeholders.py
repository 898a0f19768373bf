"""Rules on `<placeholders>` left in a request (smjob.skeleton writes them; so do AWS examples).

`<account-id>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>` passes the model's pattern, so
only this check stops a template from being submitted. Every string is read, keys included.
HyperParameters and Environment are free text where `<s>` or `<pad>` can be a real value (a
tokenizer's special token), so there a placeholder is a warning; anywhere else an error, except in
regular expressions, which match literal log text such as XGBoost's `test dcg <score>=`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from smjob.paths import FieldPath
from smjob.problems import ERROR, WARNING
from smjob.rules.core import Finding, Rule, name_list

SKELETON_URL = "https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-skeleton.html"

# `<name>` as smjob.skeleton and the AWS docs write them: a letter, then letters, digits, - _ .
_PLACEHOLDER = re.compile(r"<([A-Za-z][A-Za-z0-9_.-]{0,62})>")
# Regex syntax that looks like one: named groups (?<name> (?P<name> and back-references \k<name>.
_REGEX_NAME_BEFORE = ("(?", "(?P", "\\k")
FREE_TEXT = frozenset({"HyperParameters", "Environment"})  # top-level maps of arbitrary strings


def placeholders_in(text: str) -> list[str]:
    """The `<placeholders>` in `text`, in order, without regex group names."""
    found = []
    for m in _PLACEHOLDER.finditer(text):
        if not text[: m.start()].endswith(_REGEX_NAME_BEFORE):
            found.append(m.group(0))
    return list(dict.fromkeys(found))


def _strings_with_brackets(node: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    """(path, text) of every string below `node` that holds a "<", map keys included (a key's path
    is its entry's). Iterative: a hostile request can nest deeper than Python's recursion limit;
    paths are built only for the few strings that need one."""
    if isinstance(node, str) and "<" in node:
        yield path, node
    if not isinstance(node, (dict, list)):
        return
    stack: list[tuple[FieldPath, Any]] = [(path, node)]
    while stack:
        path, node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(key, str) and "<" in key:
                yield path + (key,), key
            if isinstance(value, str):
                if "<" in value:
                    yield path + (key,), value
            elif isinstance(value, (dict, list)) and value:
                stack.append((path + (key,), value))


def _is_regex(path: FieldPath) -> bool:
    """The model's own word: string shapes named like `MetricRegex` hold regular expressions."""
    from smjob.schema import request_schema

    node = request_schema().at(path)
    return node is not None and node.kind == "string" and node.shape.endswith("Regex")


def _findings(request: Any, free_text: bool) -> Iterator[Finding]:
    if not isinstance(request, dict):
        return
    seen: set[FieldPath] = set()
    for member, value in request.items():
        for path, text in _strings_with_brackets(value, (member,)):
            if (member in FREE_TEXT) != free_text or _is_regex(path):
                continue
            names = placeholders_in(text)
            if not names or path in seen:
                continue
            seen.add(path)  # a map key and its value share a path: one finding
            what = f"{'Placeholders' if len(names) > 1 else 'Placeholder'} {name_list(names, 8)}"
            if free_text:
                yield Finding(
                    path,
                    f"{what} looks like a template left unfilled: fill in "
                    f"{name_list(names, 8)}, or ignore this check if the text is meant literally.",
                )
            else:
                yield Finding(path, f"{what} left from a template: fill in {name_list(names, 8)}.")


def check_placeholders(req: dict) -> Iterator[Finding]:
    yield from _findings(req, free_text=False)


def check_placeholders_free_text(req: dict) -> Iterator[Finding]:
    yield from _findings(req, free_text=True)


RULES: tuple[Rule, ...] = (
    Rule(
        "placeholder.unfilled",
        ERROR,
        "No <placeholder> may be left in a request",
        SKELETON_URL,
        check_placeholders,
    ),
    Rule(
        "placeholder.free-text",
        WARNING,
        "A <placeholder> in HyperParameters or Environment is probably unfilled",
        SKELETON_URL,
        check_placeholders_free_text,
    ),
)
