"""Field-by-field differences between two requests, as smjob paths.

Structures (dicts) are compared key by key, lists by index (channel 0 with channel 0, ...),
scalars by value and type (`1` and `1.0` and `True` differ). Keys come out in the order of
`a`, then the keys only `b` has.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from smjob.paths import FieldPath, format_path

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True, slots=True)
class Change:
    path: FieldPath
    kind: str  # added | removed | changed
    old: Any = None
    new: Any = None

    @property
    def where(self) -> str:
        return format_path(self.path) or "(request)"

    def __str__(self) -> str:
        if self.kind == ADDED:
            return f"+ {self.where}: {_show(self.new)}"
        if self.kind == REMOVED:
            return f"- {self.where}: {_show(self.old)}"
        return f"~ {self.where}: {_show(self.old)} -> {_show(self.new)}"

    def to_dict(self) -> dict:
        return {"path": self.where, "kind": self.kind, "old": self.old, "new": self.new}


def diff(a: Any, b: Any, path: FieldPath = ()) -> list[Change]:
    out: list[Change] = []
    _diff(a, b, tuple(path), out)
    return out


def _diff(a, b, path: FieldPath, out: list[Change]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a:
            if key in b:
                _diff(a[key], b[key], path + (key,), out)
            else:
                out.append(Change(path + (key,), REMOVED, a[key], None))
        for key in b:
            if key not in a:
                out.append(Change(path + (key,), ADDED, None, b[key]))
        return
    if isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            if i >= len(b):
                out.append(Change(path + (i,), REMOVED, a[i], None))
            elif i >= len(a):
                out.append(Change(path + (i,), ADDED, None, b[i]))
            else:
                _diff(a[i], b[i], path + (i,), out)
        return
    if type(a) is not type(b) or a != b:
        out.append(Change(path, CHANGED, a, b))


def _show(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def format_changes(changes: list[Change]) -> str:
    return "\n".join(str(c) for c in changes) if changes else "no differences"
