"""Validate a request: pydantic models generated from the schema tree, then cross-field rules.

The models are built once from `smjob.schema` (never written field by field): strict types,
min/max, enums, Java patterns with full-match semantics, and unknown keys rejected with a
"did you mean". Pydantic's error locations become request paths.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    create_model,
)
from pydantic_core import PydanticCustomError

from smjob.javaregex import compile_java
from smjob.paths import Path
from smjob.problems import ERROR, Problem
from smjob.schema import Node, request_schema

# Patterns that accept everything are not worth a Python call per value.
_TRIVIAL_PATTERNS = frozenset({".*", "[\\S\\s]*", "[\\s\\S]*"})


def _pattern_check(pattern: str):
    compiled = compile_java(pattern)

    def check(value: str) -> str:
        if compiled.fullmatch(value) is None:
            raise PydanticCustomError("pattern_mismatch", "does not match the pattern {pattern}", {"pattern": pattern})
        return value

    return check


def _enum_check(values: tuple[str, ...]):
    allowed = frozenset(values)

    def check(value: str) -> str:
        if value not in allowed:
            raise PydanticCustomError("enum", "is not an allowed value", {"allowed": values})
        return value

    return check


def _string_type(node: Node):
    constraints: list = []
    if node.min is not None or node.max is not None:
        constraints.append(Field(min_length=_int(node.min), max_length=_int(node.max)))
    if node.enum:
        constraints.append(AfterValidator(_enum_check(node.enum)))
    elif node.pattern and node.pattern not in _TRIVIAL_PATTERNS:
        constraints.append(AfterValidator(_pattern_check(node.pattern)))
    return Annotated[StrictStr, *constraints] if constraints else StrictStr


def _int(value):
    return None if value is None else int(value)


def _bounded(base, node: Node):
    if node.min is None and node.max is None:
        return base
    return Annotated[base, Field(ge=node.min, le=node.max)]


def _sized(base, node: Node):
    if node.min is None and node.max is None:
        return base
    return Annotated[base, Field(min_length=_int(node.min), max_length=_int(node.max))]


def field_type(node: Node, models: dict[str, type[BaseModel]]) -> Any:
    kind = node.kind
    if kind == "string":
        return _string_type(node)
    if kind in ("integer", "long"):
        return _bounded(StrictInt, node)
    if kind in ("float", "double"):
        return _bounded(StrictFloat, node)
    if kind == "boolean":
        return StrictBool
    if kind == "list":
        return _sized(list[field_type(node.item, models)], node)
    if kind == "map":
        return _sized(dict[field_type(node.key, models), field_type(node.value, models)], node)
    if kind == "structure":
        return structure_model(node, models)
    return Any  # timestamp/blob/document: CreateTrainingJob has none today


def structure_model(node: Node, models: dict[str, type[BaseModel]]) -> type[BaseModel]:
    if node.shape in models:
        return models[node.shape]
    fields = {}
    for member in node.members:
        annotation = field_type(member, models)
        # Optional members default to None without validation; an explicit null is still an error.
        fields[member.name] = (annotation, ... if member.required else None)
    model = create_model(
        node.shape,
        __config__=ConfigDict(extra="forbid", strict=True, protected_namespaces=(), defer_build=False),
        **fields,
    )
    models[node.shape] = model
    return model


@lru_cache(maxsize=1)
def request_model() -> type[BaseModel]:
    return structure_model(request_schema(), {})


# --- turning pydantic errors into problems ---------------------------------------------

_KIND_WORDS = {
    "string": "a string", "integer": "an integer", "long": "an integer", "boolean": "true or false",
    "float": "a number", "double": "a number", "list": "a list", "map": "an object (key: value map)",
    "structure": "an object",
}


def _describe_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _to_problem(error: dict, schema: Node) -> Problem:
    loc = list(error["loc"])
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        loc.pop()
    path: Path = tuple(loc)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    node = schema.at(path[:-1]) if is_key else schema.at(path)
    if is_key and node is not None:
        node = node.key
    noun = "key" if is_key else "value"
    what = f"key {_short(value)}" if is_key else noun

    if kind == "missing":
        return Problem(path, f"{path[-1]} is required", ERROR, "schema.required")
    if kind == "extra_forbidden":
        parent = schema.at(path[:-1])
        names = [m.name for m in parent.members] if parent else []
        guess = difflib.get_close_matches(str(path[-1]), names, n=1, cutoff=0.6)
        hint = f"; did you mean {guess[0]!r}?" if guess else f"; allowed: {', '.join(names)}" if names else ""
        return Problem(path, f"unknown field {path[-1]!r}{hint}", ERROR, "schema.unknown")
    if kind.endswith("_type") or kind in ("model_attributes_type", "bool_parsing", "int_from_float"):
        expected = _KIND_WORDS.get(node.kind if node else "", "another type")
        return Problem(path, f"{noun} must be {expected}, got {_describe_value(value)}", ERROR, "schema.type")
    if kind == "string_too_short":
        n = ctx.get("min_length")
        msg = f"{what} must not be empty" if n == 1 else f"{what} must be at least {n} characters (is {len(value)})"
        return Problem(path, msg, ERROR, "schema.length")
    if kind == "string_too_long":
        return Problem(path, f"{what} must be at most {ctx.get('max_length')} characters (is {len(value)})", ERROR, "schema.length")
    if kind == "too_short":
        return Problem(path, f"needs at least {ctx.get('min_length')} item(s), has {ctx.get('actual_length')}", ERROR, "schema.count")
    if kind == "too_long":
        return Problem(path, f"allows at most {ctx.get('max_length')} item(s), has {ctx.get('actual_length')}", ERROR, "schema.count")
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        word = "at least" if kind == "greater_than_equal" else "at most"
        return Problem(path, f"must be {word} {_fmt_num(bound)} (is {_fmt_num(value)})", ERROR, "schema.range")
    if kind == "pattern_mismatch":
        return Problem(path, f"{what} {_short(value)} does not match the required pattern {ctx['pattern']}", ERROR, "schema.pattern")
    if kind == "enum":
        allowed = ctx.get("allowed", ())
        guess = difflib.get_close_matches(str(value), allowed, n=3, cutoff=0.5)
        if len(allowed) <= 8:
            hint = f"; allowed: {', '.join(allowed)}"
        else:
            hint = f"; did you mean {' or '.join(guess)}?" if guess else f" ({len(allowed)} allowed values)"
        return Problem(path, f"{_short(value)} is not an allowed value{hint}", ERROR, "schema.enum")
    return Problem(path, error.get("msg", kind), ERROR, f"schema.{kind}")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def _fmt_num(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def schema_problems(request: Any) -> list[Problem]:
    """Problems a single field can have on its own: type, required, limits, enum, pattern, unknown keys."""
    if not isinstance(request, dict):
        return [Problem((), f"the request must be a JSON object, got {_describe_value(request)}", ERROR, "schema.type")]
    try:
        request_model().model_validate(request)
    except ValidationError as exc:
        schema = request_schema()
        return [_to_problem(err, schema) for err in exc.errors(include_url=False)]
    return []


def validate(request: Any) -> list[Problem]:
    """Every problem in the request: field checks, then cross-field rules. Errors first."""
    problems = schema_problems(request)
    if isinstance(request, dict):
        from smjob.rules import check_rules

        rule_problems = check_rules(request)
        # Where a rule explains a wrong type better (e.g. "quote the number"), keep only the rule's.
        explained = {p.path for p in rule_problems if p.severity == ERROR}
        problems = [p for p in problems if not (p.rule == "schema.type" and p.path in explained)] + rule_problems
    return sorted(problems, key=lambda p: p.severity != ERROR)

