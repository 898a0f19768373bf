"""AWS model patterns are Java regexes that the service applies to the whole value.

Engines: Python's `re` in ASCII mode, and unicodedata for a lone class of Unicode categories (Tags);
not `regex` (~2 MiB, ~8 ms to import), which the tests use as the reference these must agree with.
In ASCII mode `\\w \\d \\s` are Java's ASCII classes, negated ones included, inside sets too. The rest
that differs from Java is translated once: `\\p{Alnum}` and the other POSIX names are ASCII classes,
`.` excludes every line terminator, not only `\\n`, and a surrogate pair is one code point.
Matching is always `fullmatch`, as the service does. What neither engine can do exactly (Unicode
categories inside a longer pattern, nested or intersected classes) raises PatternError; no
CreateTrainingJob pattern needs it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_SPACE = " \\t\\n\\x0B\\f\\r"
_POSIX = {  # java.util.regex.Pattern's POSIX classes (US-ASCII only)
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7F",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1F\\x7F",
    "XDigit": "0-9a-fA-F",
    "Space": _SPACE,
}
_DOT = "[^\\n\\r\\u0085\\u2028\\u2029]"
# Escapes that Python's `re` reads differently from Java (or not at all): refused, never guessed.
_UNLIKE_JAVA = frozenset("hHvVRXQEZzG")


class PatternError(ValueError):
    pass


def translate(pattern: str) -> str:
    """Python source for the Java pattern, to compile with re.ASCII. Unicode categories (`\\p{L}`)
    are left as written: `re` refuses them, the `regex` module (the tests' reference) reads them."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if i + 1 >= n:
                raise PatternError(f"pattern ends with a backslash: {pattern!r}")
            nxt = pattern[i + 1]
            if nxt in "pP" and i + 2 < n and pattern[i + 2] == "{":
                end = pattern.find("}", i + 3)
                if end < 0:
                    raise PatternError(f"unclosed \\{nxt}{{ in {pattern!r}")
                body = _POSIX.get(pattern[i + 3 : end])
                if body is None:
                    out.append(pattern[i : end + 1])
                elif nxt == "p":
                    out.append(body if in_class else f"[{body}]")
                elif in_class:
                    raise PatternError(f"a negated POSIX class inside a class (a nested set) in {pattern!r}")
                else:
                    out.append(f"[^{body}]")
                i = end + 1
                continue
            if nxt == "u" and _is_surrogate_pair(pattern, i):
                # Java writes supplementary characters as UTF-16 surrogate pairs.
                high, low = int(pattern[i + 2 : i + 6], 16), int(pattern[i + 8 : i + 12], 16)
                out.append(f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}")
                i += 12
                continue
            if nxt in _UNLIKE_JAVA:
                raise PatternError(f"\\{nxt} means something else (or nothing) in Python: {pattern!r}")
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if ch == "[" or pattern.startswith("&&", i):
                raise PatternError(f"a nested or intersected class in {pattern!r}")
            in_class = ch != "]"
            out.append(ch)
        elif ch == "[":
            in_class = True
            out.append(ch)
            if pattern.startswith("^", i + 1):
                out.append("^")
                i += 1
            if pattern.startswith("]", i + 1):  # "[]...]" : a leading ] is literal
                out.append("\\]")
                i += 1
        else:
            out.append(_DOT if ch == "." else ch)
        i += 1
    if in_class:
        raise PatternError(f"unclosed character class in {pattern!r}")
    return "".join(out)


def _is_surrogate_pair(pattern: str, i: int) -> bool:
    chunk = pattern[i : i + 12]
    if len(chunk) < 12 or chunk[6:8] != "\\u":
        return False
    try:
        high, low = int(chunk[2:6], 16), int(chunk[8:12], 16)
    except ValueError:
        return False
    return 0xD800 <= high <= 0xDBFF and 0xDC00 <= low <= 0xDFFF


# One class, not negated, of categories, single characters, ranges and escaped punctuation; repeated.
_CATEGORY_CLASS = re.compile(
    r"\(?\[(?!\^)((?:\\p\{[A-Z][a-z]?\}|\\[^A-Za-z0-9]|[^\\\[\]&])+)\](\*|\+|\{(\d+)(?:,(\d*))?\})\)?"
)
_CLASS_ITEM = re.compile(r"\\p\{([A-Z][a-z]?)\}|(\\.|[^\\])(?:-(\\.|[^\\]))?")


class CategoryClassMatcher:
    """`[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*` (the Tags patterns) checked with unicodedata.
    Has the `fullmatch` that validation uses."""

    def __init__(self, categories: tuple[str, ...], singles: frozenset, ranges: tuple, low: int, high: int | None):
        self.categories, self.singles, self.ranges, self.low, self.high = categories, singles, ranges, low, high

    @classmethod
    def parse(cls, pattern: str) -> CategoryClassMatcher | None:
        whole = _CATEGORY_CLASS.fullmatch(pattern)
        if whole is None or pattern.startswith("(") != pattern.endswith(")") or "\\p{" not in whole.group(1):
            return None
        categories, singles, ranges = [], set(), []
        for item in _CLASS_ITEM.finditer(whole.group(1)):
            category, first, last = item.groups()
            if category:
                categories.append(category)
                continue
            first, last = first[-1], last[-1] if last else None
            if last is None:
                singles.add(first)
            else:
                ranges.append((first, last))
        quantifier, low, high = whole.group(2), whole.group(3), whole.group(4)
        if quantifier == "*":
            bounds = (0, None)
        elif quantifier == "+":
            bounds = (1, None)
        else:
            bounds = (int(low), int(low) if high is None else (int(high) if high else None))
        return cls(tuple(categories), frozenset(singles), tuple(ranges), *bounds)

    def _allowed(self, ch: str) -> bool:
        if ch in self.singles or any(lo <= ch <= hi for lo, hi in self.ranges):
            return True
        category = unicodedata.category(ch)
        return any(category.startswith(c) for c in self.categories)

    def fullmatch(self, value: str):
        if len(value) < self.low or (self.high is not None and len(value) > self.high):
            return None
        return value if all(self._allowed(ch) for ch in value) else None


@cache
def compile_java(pattern: str):
    """Something with a `fullmatch` that accepts exactly the strings Java accepts for `pattern`."""
    by_category = CategoryClassMatcher.parse(pattern)
    if by_category is not None:
        return by_category
    try:
        return re.compile(translate(pattern), re.ASCII)
    except re.error as exc:
        raise PatternError(f"cannot compile {pattern!r}: {exc}") from exc
