"""Durations people type (`2h30m`, `1d`, `90m`, `3600`) as whole seconds."""

from __future__ import annotations

import re

_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_PART = re.compile(r"(\d+)\s*([wdhms])", re.IGNORECASE)


def parse_duration(text: str) -> int | None:
    """Seconds for `3600`, `2h30m`, `1d 2h`, `45s`; None if the text is not a duration."""
    text = text.strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    compact = re.sub(r"\s+", "", text.lower())
    if not compact or not re.fullmatch(r"(\d+[wdhms])+", compact):
        return None
    return sum(int(n) * _UNITS[u.lower()] for n, u in _PART.findall(compact))


def format_duration(seconds: int) -> str:
    """`9000` -> `2h30m`; `0` -> `0s`."""
    if seconds <= 0:
        return f"{seconds}s"
    out = []
    for unit, size in _UNITS.items():
        if unit == "w":
            continue
        count, seconds = divmod(seconds, size)
        if count:
            out.append(f"{count}{unit}")
    return "".join(out)


def is_duration_field(name: str) -> bool:
    return name.endswith("InSeconds")
