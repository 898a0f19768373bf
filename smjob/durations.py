"""Durations people type (`2h30m`, `1d`, `90m`, `3600`) as whole seconds."""

from __future__ import annotations

import math
import re

_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_PART = re.compile(r"([0-9]+)\s*([wdhms])", re.IGNORECASE)
MAX_SECONDS = 2**63 - 1  # the widest integer a request holds; beyond it nothing is a duration
_MAX_DIGITS = 19  # len(str(MAX_SECONDS)): longer digit runs are not parsed at all


def parse_duration(text: str) -> int | None:
    """Seconds for `3600`, `2h30m`, `1d 2h`, `45s`; None if the text is not a duration (or past 2**63-1)."""
    text = text.strip()
    if re.fullmatch(r"[0-9]+", text):
        seconds = int(text) if len(text.lstrip("0")) <= _MAX_DIGITS else None
    else:
        compact = re.sub(r"\s+", "", text.lower())
        if not compact or not re.fullmatch(r"([0-9]+[wdhms])+", compact):
            return None
        parts = _PART.findall(compact)
        if any(len(n.lstrip("0")) > _MAX_DIGITS for n, _ in parts):
            return None
        seconds = sum(int(n) * _UNITS[u.lower()] for n, u in parts)
    return seconds if seconds is not None and seconds <= MAX_SECONDS else None


def format_duration(seconds) -> str:
    """`9000` -> `2h30m`; `0` -> `0s`. Any other value (negative, float, huge) is shown, never raised on."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        return "not a number of seconds"
    if isinstance(seconds, float):
        if not math.isfinite(seconds):
            return "not a finite number of seconds"
        if not seconds.is_integer():
            return f"{seconds:g}s"
        seconds = int(seconds)
    if seconds <= 0 or seconds > MAX_SECONDS:
        return f"{seconds}s" if -MAX_SECONDS <= seconds <= MAX_SECONDS else "out of range"
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
