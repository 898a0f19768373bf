"""JSON -> Python, with duplicate keys, non-finite numbers and deep nesting reported at file:line:col."""

from __future__ import annotations

import json
import re

from smjob.load.limits import MAX_DEPTH, too_deep
from smjob.load.numbers import BadNumber, describe, first_bad_number, float_or_bad, int_or_bad
from smjob.load.result import LoadError, line_col


class _DuplicateKey(Exception):
    pass


def _pairs(pairs):
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _int(text: str):
    return int_or_bad(text, int)  # never int() on thousands of digits (ValueError past 4,300)


def _float(text: str):
    return float_or_bad(text, float(text))  # 1e309 reads as inf


def _constant(name: str):
    return BadNumber(name, finite=False)  # NaN, Infinity, -Infinity: Python's extensions to JSON


# Strings (unrolled-loop form: fast on long strings) and brackets; used only for depth and locations.
_JSON_STRUCT = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:,]|[^\s\[\]{}:,"]+', re.S)


def _json_error(message: str, text: str, offset: int | None, source: str) -> LoadError:
    if offset is None:
        return LoadError(message, source=source)
    line, column = line_col(text, offset)
    return LoadError(message, source=source, line=line, column=column)


def _check_json_depth(text: str, source: str) -> None:
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return  # cannot nest deeper than the number of openers
    depth = 0
    for match in _JSON_STRUCT.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _json_error(too_deep(), text, match.start(), source)
        elif char in "]}":
            depth -= 1


def parse_json(text: str, source: str):
    _check_json_depth(text, source)
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except _DuplicateKey as exc:
        raise _locate_json_duplicate(text, exc.args[0], source) from None
    except RecursionError:  # the pre-check makes this unreachable; keep it as a safety net
        raise LoadError(too_deep(), source=source) from None
    except json.JSONDecodeError as exc:
        message = exc.msg
        if message.startswith("Expecting property name") and _trailing_comma(text, exc.pos):
            message += " (a trailing comma before '}'?)"
        error = LoadError(message, source=source, line=exc.lineno, column=exc.colno)
        error._syntax = True
        raise error from None
    found = first_bad_number(data)
    if found is not None:
        path, bad = found
        # Document order is text order (no duplicate keys), so the first such literal is this one.
        offset = next((m.start() for m in _JSON_TOKENS.finditer(text) if m.group() == bad.text), None)
        raise _json_error(describe(path, bad), text, offset, source)
    return data


def _trailing_comma(text: str, pos: int) -> bool:
    return text[pos : pos + 1] == "}" and text[:pos].rstrip().endswith(",")


def _locate_json_duplicate(text: str, key: str, source: str) -> LoadError:
    """The text is valid JSON apart from duplicates: find the first repeated key in text order."""
    stack: list[list] = []  # [is_object, {key: offset}, expecting_key]
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token == "{":
            stack.append([True, {}, True])
        elif token == "[":
            stack.append([False, None, False])
        elif token in "]}":
            if stack:
                stack.pop()
        elif token == ",":
            if stack and stack[-1][0]:
                stack[-1][2] = True
        elif token.startswith('"') and stack and stack[-1][0] and stack[-1][2]:
            stack[-1][2] = False
            name = json.loads(token)
            seen = stack[-1][1]
            if name in seen:
                first_line, _ = line_col(text, seen[name])
                return _json_error(
                    f"duplicate key {json.dumps(name, ensure_ascii=False)} (first defined on line {first_line})",
                    text,
                    match.start(),
                    source,
                )
            seen[name] = match.start()
    return LoadError(f"duplicate key {json.dumps(key, ensure_ascii=False)}", source=source)
