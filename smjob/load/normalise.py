"""Shape fixes every importer applies: numbers given for strings, and the API's member order."""

from __future__ import annotations

import json

from smjob.paths import FieldPath
from smjob.problems import WARNING, Problem
from smjob.schema import Node


def api_order(value, node: Node | None):
    """Structure keys in the API's member order (unknown keys, if any, keep their place at the end)."""
    if node is None:
        return value
    if node.kind == "structure" and isinstance(value, dict):
        ordered = {m.name: api_order(value[m.name], m) for m in node.members if m.name in value}
        ordered.update({k: v for k, v in value.items() if k not in ordered})
        return ordered
    if node.kind == "list" and isinstance(value, list):
        return [api_order(v, node.item) for v in value]
    if node.kind == "map" and isinstance(value, dict):
        return {k: api_order(v, node.value) for k, v in value.items()}
    return value


def coerce_strings(value, node: Node | None, path: FieldPath, notes: list[Problem]):
    """Numbers and booleans given where the model wants a string (map keys included) become strings."""
    if node is None:
        return value
    if node.kind == "structure" and isinstance(value, dict):
        return {
            k: coerce_strings(v, node.member(k) if isinstance(k, str) else None, path + (k,), notes)
            for k, v in value.items()
        }
    if node.kind == "list" and isinstance(value, list):
        return [coerce_strings(v, node.item, path + (i,), notes) for i, v in enumerate(value)]
    if node.kind == "map" and isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if node.key is not None and node.key.kind == "string" and _is_scalar_number(key):
                text = _as_string(key)
                notes.append(
                    Problem(
                        path + (text,),
                        f"converted the key {_show(key)} to the string {json.dumps(text)}",
                        WARNING,
                        "load.string-coerced",
                    )
                )
                key = text
            out[key] = coerce_strings(item, node.value, path + (key,), notes)
        return out
    if node.kind == "string" and _is_scalar_number(value):
        text = _as_string(value)
        notes.append(
            Problem(
                path,
                f"converted {_show(value)} to the string {json.dumps(text)}: SageMaker takes this field as a string",
                WARNING,
                "load.string-coerced",
            )
        )
        return text
    return value


def _is_scalar_number(value) -> bool:
    return isinstance(value, (bool, int, float))


def _as_string(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)  # shortest text that round-trips: 0.1 -> "0.1", 1e-05 -> "1e-05"


def _show(value) -> str:
    if isinstance(value, bool):
        return f"the boolean {_as_string(value)}"
    return f"the number {_as_string(value)}"
