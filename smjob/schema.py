"""The CreateTrainingJob request tree, derived from botocore's SageMaker service model.

Nothing here is hand-written per field: upgrading botocore brings new members, limits and
enum values. Loading the full service model costs ~0.13 s, so the compact tree is cached on
disk, keyed by botocore's version, and rebuilt on first use after an upgrade.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from smjob.files import write_atomic
from smjob.paths import FieldPath

OPERATION = "CreateTrainingJob"
CACHE_FORMAT = 2  # bump when the cached layout changes


@dataclass(frozen=True, slots=True)
class Node:
    """One member of the request: its shape's type and constraints, and its children."""

    name: str
    kind: str  # botocore type name: structure, list, map, string, integer, long, boolean, ...
    shape: str
    required: bool = False
    doc: str = ""
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    enum: tuple[str, ...] = ()
    members: tuple[Node, ...] = ()  # structure members, in the API's order
    required_members: tuple[str, ...] = ()
    item: Node | None = None  # list element
    key: Node | None = None  # map key
    value: Node | None = None  # map value
    _by_name: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({m.name: m for m in self.members})

    def member(self, name: str) -> Node | None:
        return self._by_name.get(name)

    def child(self, step: str | int) -> Node | None:
        """The node one path step below: a member name, a list index, or a map key."""
        if self.kind == "structure" and isinstance(step, str):
            return self.member(step)
        if self.kind == "list" and isinstance(step, int):
            return self.item
        if self.kind == "map" and isinstance(step, str):
            return self.value
        return None

    def at(self, path: FieldPath) -> Node | None:
        node: Node | None = self
        for step in path:
            if node is None:
                return None
            node = node.child(step)
        return node

    def constraint_text(self, max_pattern: int | None = None) -> str:
        """A short summary such as `str 1..63 /[a-z]+/` or `enum(225)`; long patterns elided."""
        if self.enum:
            return f"enum({len(self.enum)})"
        label = {
            "string": "str",
            "integer": "int",
            "long": "int",
            "boolean": "bool",
            "float": "float",
            "double": "float",
            "structure": "struct",
        }.get(self.kind, self.kind)
        parts = [label]
        if self.min is not None or self.max is not None:
            low = "" if self.min is None else _num(self.min)
            high = "" if self.max is None else _num(self.max)
            parts.append(f"{low}..{high}")
        if self.pattern and self.pattern not in (".*", "[\\S\\s]*"):
            if max_pattern is not None and len(self.pattern) > max_pattern:
                parts.append("pattern (F1 shows it)")
            else:
                parts.append(f"/{self.pattern}/")
        return " ".join(parts)

    def walk(self, prefix: FieldPath = ()):
        """Yield (path, node) for this node and every descendant; list items use index 0."""
        yield prefix, self
        for m in self.members:
            yield from m.walk(prefix + (m.name,))
        if self.item is not None:
            yield from self.item.walk(prefix + (0,))
        if self.value is not None:
            yield from self.value.walk(prefix + ("*",))


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# --- building from botocore -------------------------------------------------------------


def _from_shape(shape, name: str, required: bool, doc_html: str | None, depth: int = 0) -> Node:
    from smjob.doctext import html_to_text  # html.parser: only when building from botocore, not from the cache

    if depth > 30:  # the model has no recursion today; refuse to loop forever if it gains some
        raise ValueError(f"shape {shape.name} nests deeper than 30 levels")
    meta = shape.metadata
    kwargs: dict = dict(
        name=name,
        kind=shape.type_name,
        shape=shape.name,
        required=required,
        doc=html_to_text(doc_html if doc_html else shape.documentation or ""),
        min=meta.get("min"),
        max=meta.get("max"),
        pattern=meta.get("pattern"),
        enum=tuple(getattr(shape, "enum", None) or ()),
    )
    if shape.type_name == "structure":
        req = tuple(shape.required_members)
        kwargs["members"] = tuple(
            _from_shape(m, n, n in req, _member_doc(shape, n), depth + 1) for n, m in shape.members.items()
        )
        kwargs["required_members"] = req
    elif shape.type_name == "list":
        kwargs["item"] = _from_shape(shape.member, "member", False, None, depth + 1)
    elif shape.type_name == "map":
        kwargs["key"] = _from_shape(shape.key, "key", True, None, depth + 1)
        kwargs["value"] = _from_shape(shape.value, "value", True, None, depth + 1)
    return Node(**kwargs)


def _member_doc(parent_shape, member_name: str) -> str | None:
    # A member reference may carry its own documentation, more specific than the target shape's.
    ref = parent_shape._shape_model.get("members", {}).get(member_name, {})
    return ref.get("documentation")


def build_from_botocore() -> Node:
    import botocore.session

    model = botocore.session.get_session().get_service_model("sagemaker")
    shape = model.operation_model(OPERATION).input_shape
    return _from_shape(shape, OPERATION, True, model.operation_model(OPERATION).documentation)


# --- compact cache -----------------------------------------------------------------------

_KEYS = ("name", "kind", "shape", "required", "doc", "min", "max", "pattern", "enum", "required_members")


def to_data(node: Node) -> dict:
    # Drop defaults to keep the cache small; 0 is a real limit (min 0), so compare by identity.
    data = {k: v for k in _KEYS if not ((v := getattr(node, k)) is None or v is False or v == () or v == "")}
    for k in ("enum", "required_members"):
        if k in data:
            data[k] = list(data[k])
    if node.members:
        data["members"] = [to_data(m) for m in node.members]
    for k in ("item", "key", "value"):
        if getattr(node, k) is not None:
            data[k] = to_data(getattr(node, k))
    return data


def from_data(data: dict) -> Node:
    kwargs = {k: data[k] for k in _KEYS if k in data}
    for k in ("enum", "required_members"):
        if k in kwargs:
            kwargs[k] = tuple(kwargs[k])
    if "members" in data:
        kwargs["members"] = tuple(from_data(m) for m in data["members"])
    for k in ("item", "key", "value"):
        if k in data:
            kwargs[k] = from_data(data[k])
    return Node(**kwargs)


def botocore_version() -> str:
    import botocore  # the package's __init__ is cheap; the service model is what costs

    return botocore.__version__


def cache_dir() -> Path:
    override = os.environ.get("SMJOB_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("smjob"))


def cache_path() -> Path:
    return cache_dir() / f"schema-{OPERATION}-botocore-{botocore_version()}-v{CACHE_FORMAT}.json"


@lru_cache(maxsize=1)
def request_schema() -> Node:
    """The CreateTrainingJob input tree, from the on-disk cache when it matches botocore."""
    path = cache_path()
    try:
        return from_data(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing, stale or damaged: rebuild below
    root = build_from_botocore()
    with contextlib.suppress(OSError):  # a read-only cache dir only costs speed
        write_atomic(path, json.dumps(to_data(root), separators=(",", ":")))
    return root
