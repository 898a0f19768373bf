"""AWS model patterns are Java regexes that the service applies to the whole value.

Patterns compile with Python's `re`; a class of Unicode categories (the Tags patterns) is checked
with unicodedata; the `regex` module (~2 MiB) is loaded only for nested sets and other Unicode
properties, which no CreateTrainingJob pattern needs. What differs from Java is translated once:
Java's `\\w \\d \\s` are ASCII-only, `\\p{Alnum}` and the other POSIX names are ASCII classes,
and `.` excludes every line terminator, not only `\\n`.
Matching is always `fullmatch`, as the service does.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_SPACE = " \\t\\n\\x0B\\f\\r"
_CLASS_BODY = {  # escape -> class body (without brackets), ASCII as in Java by default
    "w": "a-zA-Z_0-9",
    "d": "0-9",
    "s": _SPACE,
}
_NEGATED = {"W": "w", "D": "d", "S": "s"}
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


V1 = 0x100  # regex.VERSION1, spelled out so that translating does not import `regex`


class PatternError(ValueError):
    pass


def translate(pattern: str) -> tuple[str, int]:
    """Return (python `regex` source, flags) equivalent to the Java pattern."""
    out: list[str] = []
    flags = 0
    i, n = 0, len(pattern)
    in_class = 0
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
                name = pattern[i + 3 : end]
                body = _POSIX.get(name)
                if body is not None:
                    negate = nxt == "P"
                    if in_class and not negate:
                        out.append(body)
                    else:
                        out.append(f"[{'^' if negate else ''}{body}]")
                        flags |= V1 if in_class else 0
                else:  # a Unicode property such as L, Z, N, Lu: the regex module knows them
                    out.append(pattern[i : end + 1])
                i = end + 1
                continue
            if nxt == "u" and _is_surrogate_pair(pattern, i):
                # Java writes supplementary characters as UTF-16 surrogate pairs.
                high, low = int(pattern[i + 2 : i + 6], 16), int(pattern[i + 8 : i + 12], 16)
                out.append(f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}")
                i += 12
                continue
            if nxt in _CLASS_BODY:
                body = _CLASS_BODY[nxt]
                out.append(body if in_class else f"[{body}]")
            elif nxt in _NEGATED:
                body = _CLASS_BODY[_NEGATED[nxt]]
                out.append(f"[^{body}]")
                if in_class:  # a nested set needs the regex module's VERSION1 syntax
                    flags |= V1
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        single = _single_negated_class(pattern, i) if ch == "[" and not in_class else None
        if single is not None:  # "[\\S]" is "\\S": no nested set, so `re` can take it
            out.append(single)
            i += 4
            continue
        if ch == "[":
            in_class += 1
            out.append(ch)
            if i + 1 < n and pattern[i + 1] == "^":
                out.append("^")
                i += 1
            if i + 1 < n and pattern[i + 1] == "]":  # "[]...]" : leading ] is literal
                out.append("\\]")
                i += 1
        elif ch == "]" and in_class:
            in_class -= 1
            out.append(ch)
        elif ch == "." and not in_class:
            out.append(_DOT)
        else:
            out.append(ch)
        i += 1
    if in_class:
        raise PatternError(f"unclosed character class in {pattern!r}")
    return "".join(out), flags


def _single_negated_class(pattern: str, i: int) -> str | None:
    """`[\\S]` (a class holding only a negated escape) as a plain negated class, or None."""
    chunk = pattern[i : i + 4]
    if len(chunk) == 4 and chunk[0] == "[" and chunk[1] == "\\" and chunk[2] in _NEGATED and chunk[3] == "]":
        return f"[^{_CLASS_BODY[_NEGATED[chunk[2]]]}]"
    return None


def _is_surrogate_pair(pattern: str, i: int) -> bool:
    chunk = pattern[i : i + 12]
    if len(chunk) < 12 or chunk[6:8] != "\\u":
        return False
    try:
        high, low = int(chunk[2:6], 16), int(chunk[8:12], 16)
    except ValueError:
        return False
    return 0xD800 <= high <= 0xDBFF and 0xDC00 <= low <= 0xDFFF


_CATEGORY_CLASS = re.compile(r"\(?\[((?:\\p\{[A-Z][a-z]?\}|\\[^pPuU]|[^\\\[\]])+)\](\*|\+|\{(\d+)(?:,(\d*))?\})\)?")
_CLASS_ITEM = re.compile(r"\\p\{([A-Z][a-z]?)\}|(\\.|[^\\])(?:-(\\.|[^\\]))?")


class CategoryClassMatcher:
    """`[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*` (the Tags patterns) checked with unicodedata, so that
    the `regex` module (~2 MiB) is not loaded for them. Has the `fullmatch` that validation uses."""

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
    """A compiled pattern with Java's semantics. Python's `re` when the translation needs nothing
    more (it matches the same strings); the `regex` module (~2 MiB) only for Unicode properties
    and nested sets, which no CreateTrainingJob pattern uses today."""
    source, flags = translate(pattern)
    by_category = CategoryClassMatcher.parse(pattern)
    if by_category is not None:
        return by_category
    if not flags and "\\p{" not in source and "\\P{" not in source:
        try:
            return re.compile(source)
        except re.error:
            pass  # something only `regex` understands
    import regex

    try:
        return regex.compile(source, flags)
    except regex.error as exc:
        raise PatternError(f"cannot compile {pattern!r}: {exc}") from exc


def full_match(pattern: str, value: str) -> bool:
    return compile_java(pattern).fullmatch(value) is not None
