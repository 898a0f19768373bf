"""Edits to the request dict by path. The request stays exactly what the API takes."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from smjob.paths import FieldPath


def set_at(request: dict, path: FieldPath, value: Any) -> dict:
    """Set (or with value None, remove) the member at path, creating parents as needed.

    Removing the last member of a structure removes the structure too (an empty `{}` is noise
    in the request), but list items are never removed implicitly: they are the user's rows.
    """
    if not path:
        raise ValueError("cannot replace the whole request through set_at")
    if value is None:
        _remove(request, path)
        return request
    node: Any = request
    for step, nxt in itertools.pairwise(path):
        node = _child(node, step, [] if isinstance(nxt, int) else {})
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append({})
    node[last] = value
    return request


def _child(node: Any, step, empty):
    if isinstance(step, int):
        while len(node) <= step:
            node.append(copy.copy(empty))
        if not isinstance(node[step], (dict, list)):
            node[step] = copy.copy(empty)
        return node[step]
    if not isinstance(node.get(step), (dict, list)):
        node[step] = copy.copy(empty)
    return node[step]


def _remove(request: dict, path: FieldPath) -> None:
    chain = [request]
    node = request
    for step in path[:-1]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return
        chain.append(node)
    parent = chain[-1]
    last = path[-1]
    if isinstance(parent, dict):
        parent.pop(last, None)
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        parent.pop(last)
        return
    # Prune structures left empty, walking up until a list or a non-empty parent.
    for depth in range(len(path) - 1, 0, -1):
        holder, key = chain[depth - 1], path[depth - 1]
        if isinstance(holder, dict) and chain[depth] == {}:
            holder.pop(key, None)
        else:
            break
