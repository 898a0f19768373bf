"""Pasted `key=value` lines (shell exports, .env files, `key: value` lists) as rows."""

from __future__ import annotations

import re

_EXPORT = re.compile(r"export\s+")
_MAX_QUOTED = 40  # how much of a bad line an error message repeats


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_key_value_lines(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Rows from lines like `key=value`, `key: value` or `export KEY=value`.

    The key ends at the first `=` or `:`, so values may hold either (`a=b=c` -> ("a", "b=c")).
    Spaces around key and value are dropped, and so is one pair of quotes around the value
    (`export X="a b"` -> ("X", "a b")). Blank lines and lines starting with `#` are skipped.
    Returns (rows in input order, one error per line that is not a pair).
    """
    rows: list[tuple[str, str]] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        export = _EXPORT.match(line)
        if export:
            line = line[export.end() :]
        cut = min((i for i in (line.find("="), line.find(":")) if i >= 0), default=-1)
        if cut < 0:
            errors.append(f"line {number}: expected key=value, got {_quote(raw)}")
            continue
        key, value = line[:cut].strip(), _unquote(line[cut + 1 :].strip())
        if not key:
            errors.append(f"line {number}: empty key in {_quote(raw)}")
            continue
        rows.append((key, value))
    return rows, errors


def _quote(line: str) -> str:
    line = line.strip()
    return repr(line if len(line) <= _MAX_QUOTED else line[:_MAX_QUOTED] + "…")
