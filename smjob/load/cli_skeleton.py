"""AWS CLI skeletons (`aws sagemaker create-training-job --generate-cli-skeleton`): recognise, prune."""

from __future__ import annotations

from smjob.paths import FieldPath, format_path
from smjob.problems import WARNING, Problem
from smjob.schema import Node

_SKELETON_MAP_KEY = "KeyName"  # what the CLI skeleton puts in every map

# Skeleton placeholders: what botocore's ArgumentGenerator writes for each type. Enum strings are a
# random member of the enum, so they are *ambiguous*: dropped only with a section that holds
# nothing else.
_PLACEHOLDER, _AMBIGUOUS, _DEFINITE = "placeholder", "ambiguous", "definite"
_DROP = object()


def request_from_skeleton(data: dict, root: Node, notes: list[Problem]) -> dict:
    """The skeleton without its placeholders; what was removed, and the enum values kept, go to `notes`."""
    pruned: list[FieldPath] = []
    request = _prune_skeleton(data, root, (), pruned)
    if request is _DROP:
        request = {}
    if pruned:
        notes.append(
            Problem(
                (),
                f"This is an AWS CLI skeleton (--generate-cli-skeleton): removed {len(pruned)} unfilled "
                "placeholder(s): " + ", ".join(format_path(p) for p in pruned) + ". Empty strings, zeros, "
                "the skeleton's `true` booleans and sections holding nothing else count as placeholders; "
                "set any of them again if you meant it.",
                WARNING,
                "load.skeleton",
                tuple(pruned),
            )
        )
    kept: list[tuple[FieldPath, str]] = []
    _enum_leaves(request, root, (), kept)
    notes.extend(
        Problem(
            path,
            f"check {value!r}: this came from an AWS CLI skeleton, which fills every "
            "enum field with a random allowed value",
            WARNING,
            "load.skeleton-enum",
        )
        for path, value in kept
    )
    return request


def _leaf_class(value, node: Node | None) -> str:
    if node is None:
        return _DEFINITE
    if node.kind == "string" and isinstance(value, str):
        if value == "":
            return _PLACEHOLDER
        return _AMBIGUOUS if node.enum and value in node.enum else _DEFINITE
    if node.kind in ("integer", "long") and type(value) is int:
        return _PLACEHOLDER if value == 0 else _DEFINITE
    if node.kind in ("float", "double") and type(value) in (int, float):
        return _PLACEHOLDER if value == 0 else _DEFINITE
    if node.kind == "boolean" and value is True:
        return _PLACEHOLDER
    return _DEFINITE


def _census(value, node: Node | None, counts: dict) -> None:
    if node is not None and node.kind == "structure" and isinstance(value, dict):
        for key, item in value.items():
            _census(item, node.member(key) if isinstance(key, str) else None, counts)
    elif node is not None and node.kind == "list" and isinstance(value, list):
        for item in value:
            _census(item, node.item, counts)
    elif node is not None and node.kind == "map" and isinstance(value, dict):
        for key, item in value.items():
            if key == _SKELETON_MAP_KEY and item == "":
                counts[_PLACEHOLDER] += 1
            else:
                _census(item, node.value, counts)
    elif isinstance(value, (dict, list)):
        counts[_DEFINITE] += 1
    else:
        counts[_leaf_class(value, node)] += 1


def looks_like_skeleton(data: dict, root: Node) -> bool:
    """Most leaves are the CLI's placeholders ("", 0, true, {"KeyName": ""})."""
    counts = {_PLACEHOLDER: 0, _AMBIGUOUS: 0, _DEFINITE: 0}
    _census(data, root, counts)
    return counts[_PLACEHOLDER] >= 10 and counts[_PLACEHOLDER] > counts[_DEFINITE]


def _enum_leaves(value, node: Node | None, path: FieldPath, out: list) -> None:
    if node is None:
        return
    if node.kind == "structure" and isinstance(value, dict):
        for key, item in value.items():
            _enum_leaves(item, node.member(key) if isinstance(key, str) else None, path + (key,), out)
    elif node.kind == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            _enum_leaves(item, node.item, path + (index,), out)
    elif node.kind == "map" and isinstance(value, dict):
        for key, item in value.items():
            _enum_leaves(item, node.value, path + (key,), out)
    elif _leaf_class(value, node) == _AMBIGUOUS:
        out.append((path, value))


def _has_definite(value, node: Node | None) -> bool:
    if node is not None and node.kind == "structure" and isinstance(value, dict):
        return any(_has_definite(v, node.member(k) if isinstance(k, str) else None) for k, v in value.items())
    if node is not None and node.kind == "list" and isinstance(value, list):
        return any(_has_definite(v, node.item) for v in value)
    if node is not None and node.kind == "map" and isinstance(value, dict):
        return bool(value)
    if isinstance(value, (dict, list)):
        return True
    return _leaf_class(value, node) == _DEFINITE


def _prune_skeleton(value, node: Node | None, path: FieldPath, pruned: list[FieldPath]):
    """The value without placeholders, or _DROP. Records the topmost pruned paths only."""
    if node is None:
        return value  # not in the schema: leave it for validation to report
    if node.kind == "structure" and isinstance(value, dict):
        local: list[FieldPath] = []
        out = {}
        for key, item in value.items():
            child = node.member(key) if isinstance(key, str) else None
            kept = _prune_skeleton(item, child, path + (key,), local)
            if kept is _DROP:
                local.append(path + (key,))
            else:
                out[key] = kept
        if path and not _has_definite(out, node):
            return _DROP  # the caller records this path instead of every member
        pruned.extend(local)
        return out
    if node.kind == "list" and isinstance(value, list):
        local = []
        out_list = []
        for index, item in enumerate(value):
            kept = _prune_skeleton(item, node.item, path + (index,), local)
            if kept is _DROP:
                local.append(path + (index,))
            else:
                out_list.append(kept)
        if not out_list:
            return _DROP
        pruned.extend(local)
        return out_list
    if node.kind == "map" and isinstance(value, dict):
        out_map = {k: v for k, v in value.items() if not (k == _SKELETON_MAP_KEY and v == "")}
        if not out_map:
            return _DROP
        if len(out_map) != len(value):
            pruned.append(path + (_SKELETON_MAP_KEY,))
        return out_map
    return _DROP if _leaf_class(value, node) == _PLACEHOLDER else value
