"""Numbers a request cannot hold: integers beyond 64 bits and infinite or NaN floats.

Python reads `1e309` as inf and a 50,000-digit hex as an int that `str()` refuses (and JSON
integers over 4,300 digits raise in `int()`): nothing downstream should ever see them. The
parsers turn each such literal into a `BadNumber` holding its text and place; `first_bad_number`
finds the first one so the importer can refuse the file naming the field.
"""

from __future__ import annotations

import math

from smjob.paths import FieldPath, format_path

INT_MIN, INT_MAX = -(2**63), 2**63 - 1  # SageMaker's widest integer type is a 64-bit long
_SHOWN_DIGITS = 24


class BadNumber:
    """A number literal out of range or not finite; `mark` is the parser's location, if any."""

    __slots__ = ("finite", "mark", "text")

    def __init__(self, text: str, *, finite: bool, mark=None) -> None:
        self.text, self.finite, self.mark = text, finite, mark

    def __repr__(self) -> str:
        return f"BadNumber({shorten(self.text)!r})"

    def problem(self) -> str:
        if self.finite:
            return (
                f"the integer {shorten(self.text)} is out of range: a request holds whole numbers from "
                "-2**63 to 2**63-1 (put it in quotes if it is meant as text)"
            )
        return (
            f"{shorten(self.text)} is not a finite number: infinity and NaN cannot be sent to AWS "
            "(put it in quotes if it is meant as text)"
        )


def shorten(text: str) -> str:
    if len(text) <= 2 * _SHOWN_DIGITS:
        return text
    return f"{text[:_SHOWN_DIGITS]}...{text[-8:]} ({len(text):,} characters)"


def int_or_bad(text: str, value_of, *, mark=None):
    """`value_of(text)` when the literal is a 64-bit integer, else a BadNumber (never parses huge text)."""
    if len(text.lstrip("+-").lstrip("0")) > 40:  # no prefix or sign makes 40 significant characters fit 64 bits
        return BadNumber(text, finite=True, mark=mark)
    value = value_of(text)
    return value if INT_MIN <= value <= INT_MAX else BadNumber(text, finite=True, mark=mark)


def float_or_bad(text: str, value: float, *, mark=None):
    return value if math.isfinite(value) else BadNumber(text, finite=False, mark=mark)


def out_of_range(value) -> BadNumber | None:
    """A BadNumber for a Python int or float a request cannot hold (from AWS or built in code)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
        return BadNumber(_int_text(value), finite=True)
    if isinstance(value, float) and not math.isfinite(value):
        return BadNumber(repr(value), finite=False)
    return None


def _int_text(value: int) -> str:
    try:
        return str(value)
    except ValueError:  # more digits than Python will print
        return f"{'-' if value < 0 else ''}0x{abs(value):x}"


def first_bad_number(value, path: FieldPath = ()) -> tuple[FieldPath, BadNumber] | None:
    """The first BadNumber (or out-of-range int/float) in document order, keys included, with its path."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, dict):
            children = []
            for key, child in item.items():
                bad = key if isinstance(key, BadNumber) else out_of_range(key)
                if bad is not None:
                    return where, bad
                children.append((where + (key,), child))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(reversed([(where + (i,), child) for i, child in enumerate(item)]))
        else:
            bad = item if isinstance(item, BadNumber) else out_of_range(item)
            if bad is not None:
                return where, bad
    return None


def describe(path: FieldPath, bad: BadNumber) -> str:
    where = format_path(tuple(step if isinstance(step, (int, str)) else str(step) for step in path))
    return f"{where or 'the document'}: {bad.problem()}"
