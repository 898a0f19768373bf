"""`--set PATH=VALUE`: change one member of a request from the command line.

- PATH is a request path as the app shows it (smjob.paths): `ResourceConfig.InstanceCount`,
  `HyperParameters.lr`, `InputDataConfig[1].ChannelName`, `Environment["A.B"]`. It must exist in
  the API model; otherwise the error names the closest paths the model has.
- VALUE is JSON (`4`, `true`, `{"A": 1}`, `null` removes the member), or the text itself when it
  is not JSON (`lr=fast` is the string "fast").
- Where the model wants a string and VALUE is a JSON number or boolean, the member gets the text
  as typed (`HyperParameters.lr=0.010` is "0.010", never 0.01 re-printed): SageMaker takes only
  strings there, so anything else could only be refused. A note says so. An integer member ending
  in `InSeconds` also takes a duration (`2h30m`).
- A list index may be one past the end (it appends), never further: rows are not invented.
"""

from __future__ import annotations

import copy
import difflib
import json
from dataclasses import dataclass
from typing import Any

from smjob.paths import FieldPath, format_path, parse_path


class SetError(ValueError):
    """A --set that cannot be applied; the message names the path and what is expected."""


@dataclass(frozen=True, slots=True)
class Assignment:
    path: FieldPath
    text: str  # VALUE as given


def split_assignment(text: str) -> tuple[str, str]:
    """PATH and VALUE from `PATH=VALUE`: the first `=` outside `["..."]` map keys."""
    depth, quoted, i = 0, False, 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == '"' and depth:
            quoted = True
        elif ch == "=" and depth == 0:
            return text[:i], text[i + 1 :]
        i += 1
    raise SetError(f"--set {text!r}: expected PATH=VALUE, e.g. ResourceConfig.InstanceCount=4")


def parse_assignment(text: str) -> Assignment:
    path_text, value = split_assignment(text)
    try:
        path = parse_path(path_text.strip())
    except ValueError:
        path = ()
    if not path:
        raise SetError(f"--set {text!r}: {path_text!r} is not a request path, e.g. HyperParameters.lr")
    return Assignment(path, value)


def _shown(path) -> str:
    """A schema path for people: list items as [0], map keys as NAME."""
    return format_path(tuple("NAME" if step == "*" else step for step in path))


def _schema_paths() -> list[str]:
    from smjob.schema import request_schema

    return [_shown(p) for p, _ in request_schema().walk() if p]


def _general(root, path: FieldPath) -> FieldPath:
    """The user's path in the schema's terms (indexes as 0, map keys as '*'), for suggestions."""
    out, node = [], root
    for step in path:
        kind = node.kind if node is not None else None
        if isinstance(step, int):
            out.append(0)
        elif kind == "map":
            out.append("*")
        else:
            out.append(step)
        node = node.child(0 if isinstance(step, int) else step) if node is not None else None
    return tuple(out)


def check_path(path: FieldPath):
    """The schema node at `path`; SetError naming the closest valid paths when there is none."""
    from smjob.schema import request_schema

    root = request_schema()
    node = root.at(path)
    if node is not None:
        return node
    wanted = _shown(_general(root, path))
    close = difflib.get_close_matches(wanted, _schema_paths(), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else "; `smjob fields` lists the paths"
    raise SetError(f"--set: {format_path(path)} is not in the CreateTrainingJob model{hint}")


def _value(node, text: str, where: str) -> tuple[Any, str | None]:
    try:
        value = json.loads(text)
    except ValueError:
        value = text
    if (isinstance(value, float) and value != value) or value in (float("inf"), float("-inf")):
        value = text  # NaN / Infinity: not values a request can hold
    if node.kind == "string" and isinstance(value, (bool, int, float)):
        return text.strip(), f"{where}: the model wants a string; set the string {json.dumps(text.strip())}"
    if node.kind in ("integer", "long") and isinstance(value, str) and where.endswith("InSeconds"):
        from smjob.durations import parse_duration

        seconds = parse_duration(value)
        if seconds is not None:
            return seconds, None
    return value, None


def _check_indexes(request: dict, path: FieldPath) -> None:
    node: Any = request
    for depth, step in enumerate(path):
        if isinstance(step, int):
            size = len(node) if isinstance(node, list) else 0
            if step > size:
                raise SetError(
                    f"--set: {format_path(path)}: {format_path(path[:depth])} has {size} item(s); "
                    f"the index can be at most {size} (which adds one)"
                )
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            node = None


def apply_sets(request: dict, assignments) -> tuple[dict, list[str]]:
    """A copy of `request` with each `PATH=VALUE` (text or Assignment) applied in order, and notes
    on values turned into strings. SetError before anything is changed when one cannot apply."""
    from smjob.editing import set_at

    out = copy.deepcopy(request)
    notes = []
    for item in assignments:
        assignment = item if isinstance(item, Assignment) else parse_assignment(item)
        node = check_path(assignment.path)
        where = format_path(assignment.path)
        value, note = _value(node, assignment.text, where)
        _check_indexes(out, assignment.path)
        set_at(out, assignment.path, value)
        if note:
            notes.append(note)
    return out, notes
