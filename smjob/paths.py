"""Paths into a request: tuples like ("InputDataConfig", 1, "S3Uri"), printed as `InputDataConfig[1].S3Uri`."""

from __future__ import annotations

import re

FieldPath = tuple  # (member, index, key, ...): a place in the request, e.g. ("InputDataConfig", 0, "ChannelName")

_TOKEN = re.compile(r"\[(\d+)\]|\[\"((?:[^\"\\]|\\.)*)\"\]|\.?([^.\[\]]+)")


def format_path(path: FieldPath) -> str:
    out = []
    for step in path:
        if isinstance(step, int):
            out.append(f"[{step}]")
        elif step and re.fullmatch(r"[A-Za-z0-9_:/@+\-]+", step):
            out.append(f".{step}" if out else step)
        else:  # map keys with dots, spaces or brackets stay unambiguous
            out.append('["' + step.replace("\\", "\\\\").replace('"', '\\"') + '"]')
    return "".join(out)


def parse_path(text: str) -> FieldPath:
    """Inverse of format_path. Raises ValueError on text that is not a path."""
    steps: list = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"not a request path: {text!r}")
        if m.group(1) is not None:
            steps.append(int(m.group(1)))
        elif m.group(2) is not None:
            steps.append(re.sub(r"\\(.)", r"\1", m.group(2)))
        else:
            steps.append(m.group(3))
        pos = m.end()
    return tuple(steps)


def get_at(request, path: FieldPath, default=None):
    node = request
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return default
    return node
