"""The oracle for smjob.validate's checker: the pydantic-core validator smjob used before (its schema
builder, kept here unchanged), reporting errors that smjob.validate turns into problems.

pydantic-core is a test dependency only. tests/test_differential.py asserts that, on every fuzzed
request, smjob's checker reports exactly the problems this validator does, in the same order.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from pydantic_core import PydanticCustomError, SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from smjob.javaregex import compile_java
from smjob.schema import Node, request_schema
from smjob.validate import _TRIVIAL_PATTERNS, INT_RANGES, _bound, _int, _to_problem

_CUSTOM_ERRORS = {"pattern_mismatch": "does not match the pattern {pattern}"}


def _pattern_check(pattern: str):
    fullmatch = compile_java(pattern).fullmatch

    def check(value: str) -> str:
        if fullmatch(value) is None:
            raise PydanticCustomError("pattern_mismatch", _CUSTOM_ERRORS["pattern_mismatch"], {"pattern": pattern})
        return value

    return check


def _lengths(node: Node) -> dict:
    return {k: v for k, v in (("min_length", _int(node.min)), ("max_length", _int(node.max))) if v is not None}


def _string_schema(node: Node) -> cs.CoreSchema:
    schema = cs.str_schema(strict=True, **_lengths(node))
    if node.enum:
        return cs.chain_schema([schema, cs.literal_schema(list(node.enum))])
    if node.pattern and node.pattern not in _TRIVIAL_PATTERNS:
        return cs.no_info_after_validator_function(_pattern_check(node.pattern), schema)
    return schema


def _number_schema(node: Node) -> cs.CoreSchema:
    low, high = _bound(node.min, node.kind), _bound(node.max, node.kind)
    if node.kind in INT_RANGES:
        type_low, type_high = INT_RANGES[node.kind]
        low = type_low if low is None else low
        high = type_high if high is None else high
    bounds = {k: v for k, v in (("ge", low), ("le", high)) if v is not None}
    if node.kind in INT_RANGES:
        return cs.int_schema(strict=True, **bounds)
    return cs.float_schema(strict=True, **bounds)


def _details(error: dict) -> dict:
    kind, ctx = error["type"], error.get("ctx")
    if kind in _CUSTOM_ERRORS:
        kind = PydanticCustomError(kind, _CUSTOM_ERRORS[kind], ctx)
    details = {"type": kind, "loc": error["loc"], "input": error["input"]}
    if ctx is not None and not isinstance(kind, PydanticCustomError):
        details["ctx"] = ctx
    return details


def _counted(schema: cs.CoreSchema, node: Node, container: type, label: str) -> cs.CoreSchema:
    """pydantic-core stops at a list over its max_length without checking the items: counted here."""
    low, high = _int(node.min), _int(node.max)
    if low is None and high is None:
        return schema

    def check(value, handler):
        if not isinstance(value, container):
            return handler(value)
        n = len(value)
        if low is not None and n < low:
            count = {
                "type": "too_short",
                "loc": (),
                "input": value,
                "ctx": {"field_type": label, "min_length": low, "actual_length": n},
            }
        elif high is not None and n > high:
            count = {
                "type": "too_long",
                "loc": (),
                "input": value,
                "ctx": {"field_type": label, "max_length": high, "actual_length": n},
            }
        else:
            return handler(value)
        try:
            handler(value)
        except ValidationError as exc:
            items = [_details(e) for e in exc.errors(include_url=False)]
        else:
            items = []
        raise ValidationError.from_exception_data(label, [count, *items])

    return cs.no_info_wrap_validator_function(check, schema)


class _Builder:
    def __init__(self, root: Node) -> None:
        counts = Counter(n.shape for _, n in root.walk() if n.kind == "structure")
        self.shared = {shape for shape, count in counts.items() if count > 1}
        self.definitions: dict[str, cs.CoreSchema] = {}

    def schema(self, node: Node) -> cs.CoreSchema:
        kind = node.kind
        if kind == "string":
            return _string_schema(node)
        if kind in ("integer", "long", "float", "double"):
            return _number_schema(node)
        if kind == "boolean":
            return cs.bool_schema(strict=True)
        if kind == "list":
            return _counted(cs.list_schema(self.schema(node.item), strict=True), node, list, "List")
        if kind == "map":
            return _counted(
                cs.dict_schema(self.schema(node.key), self.schema(node.value), strict=True), node, dict, "Dictionary"
            )
        if kind == "structure":
            return self.structure(node)
        return cs.any_schema()

    def structure(self, node: Node) -> cs.CoreSchema:
        if node.shape not in self.shared:
            return self._typed_dict(node)
        if node.shape not in self.definitions:
            self.definitions[node.shape] = {}
            self.definitions[node.shape] = self._typed_dict(node, ref=node.shape)
        return cs.definition_reference_schema(node.shape)

    def _typed_dict(self, node: Node, ref: str | None = None) -> cs.CoreSchema:
        fields = {m.name: cs.typed_dict_field(self.schema(m), required=m.required) for m in node.members}
        return cs.typed_dict_schema(fields, extra_behavior="forbid", strict=True, ref=ref)

    def build(self, root: Node) -> cs.CoreSchema:
        schema = self.schema(root)
        if self.definitions:
            schema = cs.definitions_schema(schema, list(self.definitions.values()))
        return schema


@lru_cache(maxsize=1)
def oracle_validator() -> SchemaValidator:
    root = request_schema()
    return SchemaValidator(_Builder(root).build(root))


def oracle_problems(request) -> list:
    """The problems pydantic-core finds in a request (a dict), through smjob's own wording."""
    try:
        oracle_validator().validate_python(request)
    except ValidationError as exc:
        schema = request_schema()
        return [_to_problem(error, schema) for error in exc.errors(include_url=False)]
    return []
