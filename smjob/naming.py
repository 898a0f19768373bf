"""Fresh training job names: `base-YYYYMMDD-HHMMSS`, valid for CreateTrainingJob.

A job name can never be reused, so a resubmission needs a new one. An existing trailing
timestamp (ours, `-YYYYMMDDHHMMSS`, or the SageMaker Python SDK's `-YYYY-MM-DD-HH-MM-SS-mmm`)
is replaced rather than stacked; characters the name pattern does not allow become '-'; the
base is cut so the whole name fits in 63 characters and still matches
`[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

MAX_LENGTH = 63
FALLBACK_BASE = "job"

_INVALID = re.compile(r"[^A-Za-z0-9-]+")
_TRAILING_STAMP = re.compile(r"-+(?:\d{8}-\d{6}(?:-\d{3})?|\d{14}|\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}(?:-\d{3})?)$")


def timestamp(now: datetime, *, millis: bool = False) -> str:
    """`YYYYMMDD-HHMMSS` (plus `-mmm`); an aware `now` is converted to UTC, a naive one is used as is."""
    if now.tzinfo is not None:
        now = now.astimezone(UTC)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{now.microsecond // 1000:03d}" if millis else stamp


def strip_stamp(name: str) -> str:
    """The name without its trailing timestamp suffix(es) and trailing hyphens."""
    while True:
        shorter = _TRAILING_STAMP.sub("", name).rstrip("-")
        if shorter == name:
            return name
        name = shorter


def fresh_name(base: str, now: datetime) -> str:
    name = _fresh(base, timestamp(now))
    if (base or "").startswith(name):  # the base was stamped this very second: go finer
        name = _fresh(base, timestamp(now, millis=True))
    return name


def _fresh(base: str, suffix: str) -> str:
    room = MAX_LENGTH - len(suffix) - 1
    # Strip an old stamp before cutting: a cut could leave a partial stamp that no longer matches.
    text = strip_stamp(_INVALID.sub("-", base or "").strip("-"))
    while True:  # cutting can expose a timestamp or hyphens at the end: repeat until stable
        cut = strip_stamp(text[:room].rstrip("-")).lstrip("-")
        if cut == text:
            break
        text = cut
    return f"{text or FALLBACK_BASE}-{suffix}"
