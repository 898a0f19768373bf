"""Validate a request: one pydantic-core validator generated from the schema tree, then cross-field rules.

The validator is compiled once, on first use, from a `pydantic_core.core_schema` tree built from
`smjob.schema` (never written field by field): strict types, min/max, enums, Java patterns with
full-match semantics, and unknown keys rejected with a "did you mean". Only `pydantic_core` is
imported, not `pydantic`: the BaseModel layer costs memory and adds nothing here. Error
locations become request paths.
"""

from __future__ import annotations

import difflib
import threading
from collections import Counter
from typing import Any

from pydantic_core import PydanticCustomError, SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from smjob.paths import FieldPath
from smjob.problems import ERROR, Problem
from smjob.schema import Node, request_schema

# Patterns that accept everything are not worth a Python call per value.
_TRIVIAL_PATTERNS = frozenset({".*", "[\\S\\s]*", "[\\s\\S]*"})

# Error types raised here (not pydantic-core's own), with their message templates.
_CUSTOM_ERRORS = {"pattern_mismatch": "does not match the pattern {pattern}"}


# --- the core schema, generated from the field tree --------------------------------------


def _pattern_check(pattern: str):
    from smjob.javaregex import compile_java  # ~2 ms to import: only when the validator is built

    fullmatch = compile_java(pattern).fullmatch

    def check(value: str) -> str:
        if fullmatch(value) is None:
            raise PydanticCustomError("pattern_mismatch", _CUSTOM_ERRORS["pattern_mismatch"], {"pattern": pattern})
        return value

    return check


def _int(value):
    return None if value is None else int(value)


def _bound(value, kind: str):
    if value is None:
        return None
    return int(value) if kind in ("integer", "long") and float(value).is_integer() else value


def _lengths(node: Node) -> dict:
    return {k: v for k, v in (("min_length", _int(node.min)), ("max_length", _int(node.max))) if v is not None}


def _string_schema(node: Node) -> cs.CoreSchema:
    schema = cs.str_schema(strict=True, **_lengths(node))
    if node.enum:  # lengths first, then membership (a Rust set lookup, no Python call)
        return cs.chain_schema([schema, cs.literal_schema(list(node.enum))])
    if node.pattern and node.pattern not in _TRIVIAL_PATTERNS:
        return cs.no_info_after_validator_function(_pattern_check(node.pattern), schema)
    return schema


# What the model's integer types hold (Smithy, which botocore's models follow: `integer` is a
# 32-bit and `long` a 64-bit signed integer, https://smithy.io/2.0/spec/simple-types.html). The
# service cannot read a larger number; where the model sets no min/max, these are the bounds.
INT_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


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


def _counted(schema: cs.CoreSchema, node: Node, container: type, label: str) -> cs.CoreSchema:
    """A list or map with its item count checked here, not by pydantic-core.

    pydantic-core stops at a list over its max_length without checking the items, and reports a
    count problem only when every item is valid; botocore (and the user) want both.
    """
    low, high = _int(node.min), _int(node.max)
    if low is None and high is None:
        return schema

    def check(value, handler):
        if not isinstance(value, container):
            return handler(value)  # the wrong type: pydantic-core says so
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


def _details(error: dict) -> dict:
    """A reported error back into the form ValidationError.from_exception_data takes."""
    kind, ctx = error["type"], error.get("ctx")
    if kind in _CUSTOM_ERRORS:
        kind = PydanticCustomError(kind, _CUSTOM_ERRORS[kind], ctx)
    details = {"type": kind, "loc": error["loc"], "input": error["input"]}
    if ctx is not None and not isinstance(kind, PydanticCustomError):
        details["ctx"] = ctx
    return details


class _Builder:
    """Node tree -> core schema. A structure shape met more than once becomes one definition."""

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
        return cs.any_schema()  # timestamp/blob/document: CreateTrainingJob has none today

    def structure(self, node: Node) -> cs.CoreSchema:
        if node.shape not in self.shared:
            return self._typed_dict(node)
        if node.shape not in self.definitions:
            self.definitions[node.shape] = {}  # placeholder: a recursive shape refers to itself
            self.definitions[node.shape] = self._typed_dict(node, ref=node.shape)
        return cs.definition_reference_schema(node.shape)

    def _typed_dict(self, node: Node, ref: str | None = None) -> cs.CoreSchema:
        # Optional members may be absent; an explicit null is still validated (and rejected).
        fields = {m.name: cs.typed_dict_field(self.schema(m), required=m.required) for m in node.members}
        return cs.typed_dict_schema(fields, extra_behavior="forbid", strict=True, ref=ref)

    def build(self, root: Node) -> cs.CoreSchema:
        schema = self.schema(root)
        if self.definitions:
            schema = cs.definitions_schema(schema, list(self.definitions.values()))
        return schema


def core_schema_for(root: Node) -> cs.CoreSchema:
    """The pydantic-core schema for a field tree (the request's, or any subtree)."""
    return _Builder(root).build(root)


_lock = threading.Lock()
_validator: SchemaValidator | None = None


def request_validator() -> SchemaValidator:
    """The compiled validator for the whole request: built on first use, once."""
    global _validator
    if _validator is None:
        with _lock:  # the editor may validate from a worker while the CLI path runs in the main thread
            if _validator is None:
                _validator = SchemaValidator(core_schema_for(request_schema()))
    return _validator


# --- turning pydantic-core errors into problems -----------------------------------------

_KIND_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "long": "an integer",
    "boolean": "true or false",
    "float": "a number",
    "double": "a number",
    "list": "a list",
    "map": "an object (key: value map)",
    "structure": "an object",
}


def _describe_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    text = _fmt_num(value) if isinstance(value, int) else repr(value)  # repr() refuses 4,300+ digits
    return text if len(text) <= 40 else text[:37] + "..."


def _to_problem(error: dict, schema: Node) -> Problem:
    loc = list(error["loc"])
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        loc.pop()
    path: FieldPath = tuple(loc)
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
    if kind.endswith("_type") or kind in ("bool_parsing", "int_from_float"):
        expected = _KIND_WORDS.get(node.kind if node else "", "another type")
        return Problem(path, f"{noun} must be {expected}, got {_describe_value(value)}", ERROR, "schema.type")
    if kind == "string_too_short":
        n = ctx.get("min_length")
        msg = f"{what} must not be empty" if n == 1 else f"{what} must be at least {n} characters (is {len(value)})"
        return Problem(path, msg, ERROR, "schema.length")
    if kind == "string_too_long":
        return Problem(
            path, f"{what} must be at most {ctx.get('max_length')} characters (is {len(value)})", ERROR, "schema.length"
        )
    if kind == "too_short":
        return Problem(
            path,
            f"needs at least {ctx.get('min_length')} item(s), has {ctx.get('actual_length')}",
            ERROR,
            "schema.count",
        )
    if kind == "too_long":
        return Problem(
            path,
            f"allows at most {ctx.get('max_length')} item(s), has {ctx.get('actual_length')}",
            ERROR,
            "schema.count",
        )
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        word = "at least" if kind == "greater_than_equal" else "at most"
        model_bound = node is not None and (node.min if kind == "greater_than_equal" else node.max) is not None
        if not model_bound and node is not None and node.kind in INT_RANGES:
            # Not the model's limit but its type's: botocore does not check it (its own rule id keeps the
            # differential test's comparison with botocore exact); the service cannot read the number.
            bits = 32 if node.kind == "integer" else 64
            return Problem(
                path,
                f"must be {word} {_fmt_num(bound)}, the limit of a {bits}-bit integer (is {_fmt_num(value)})",
                ERROR,
                "schema.int-range",
            )
        return Problem(path, f"must be {word} {_fmt_num(bound)} (is {_fmt_num(value)})", ERROR, "schema.range")
    if kind == "pattern_mismatch":
        # In words where the pattern can be read (smjob.pattern_words); F1 still shows the regex.
        from smjob.pattern_words import describe

        words = describe(ctx["pattern"], value, node.shape if node else "")
        if words is not None:
            return Problem(path, f"{what + ' ' if is_key else ''}{words.message()}", ERROR, "schema.pattern")
        shown = what if is_key else f"value {_short(value)}"
        return Problem(path, f"{shown} does not match the required pattern {ctx['pattern']}", ERROR, "schema.pattern")
    if kind == "literal_error":  # an enum member: the allowed values come from the tree, not the error
        allowed = node.enum if node else ()
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
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        sign = " negative" if value < 0 else ""
        digits = len(str(abs(value))) if value.bit_length() < 14_000 else "more-than-4,000"  # str() refuses 4,300+
        return f"a {digits}-digit{sign} number"  # 10**100 would fill the problems list
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def schema_problems(request: Any) -> list[Problem]:
    """Problems a single field can have on its own: type, required, limits, enum, pattern, unknown keys."""
    if not isinstance(request, dict):
        return [Problem((), f"the request must be a JSON object, got {_describe_value(request)}", ERROR, "schema.type")]
    try:
        request_validator().validate_python(request)
    except ValidationError as exc:
        schema = request_schema()
        return [_to_problem(err, schema) for err in exc.errors(include_url=False)]
    return []


class Validation(list):
    """validate()'s answer: the problems (a list, errors first), and in `ignored` the rule findings
    that `ignore_rules` dropped, so callers can show what was overridden."""

    def __init__(self, problems=(), ignored=()) -> None:
        super().__init__(problems)
        self.ignored: tuple[Problem, ...] = tuple(ignored)


UNKNOWN_RULE = "override.unknown-rule"


def unknown_rule_problems(ignore_rules) -> list[Problem]:
    """An error for each id in `ignore_rules` that names no rule, with the closest ids."""
    from smjob.rules import closest_rule_ids, rule_ids

    known = rule_ids()
    out = []
    for rule_id in dict.fromkeys(ignore_rules):
        if rule_id in known:
            continue
        if str(rule_id).startswith("schema."):
            why = "checks of the API model (types, limits, enums, patterns, required) cannot be ignored"
        else:
            close = closest_rule_ids(str(rule_id))
            why = f"did you mean {' or '.join(close)}?" if close else "`smjob rules` lists the rule ids"
        out.append(Problem((), f"cannot ignore {rule_id!r}: it is not a rule id; {why}", ERROR, UNKNOWN_RULE))
    return out


def validate(request: Any, *, region: str | None = None, ignore_rules=()) -> Validation:
    """Every problem in the request: field checks, then cross-field rules. Errors first.

    `region`: where the job will be submitted, when known (rules compare the image's region).
    `ignore_rules`: rule ids whose findings are dropped for this request (a user's override);
    the dropped ones come back in `.ignored`. Model checks (schema.*) are never dropped, and an
    id that names no rule is an error.
    """
    problems = schema_problems(request)
    ignored: list[Problem] = []
    if isinstance(request, dict):
        from smjob.rules import Context, check_rules

        rule_problems = check_rules(request, context=Context(region=region or None))
        skip = set(ignore_rules)
        ignored = [p for p in rule_problems if p.rule in skip]
        rule_problems = [p for p in rule_problems if p.rule not in skip]
        # Where a rule explains a wrong type better (e.g. "quote the number"), keep only the rule's;
        # when that rule is ignored, the model's type error stands.
        explained = {p.path for p in rule_problems if p.severity == ERROR}
        problems = [p for p in problems if not (p.rule == "schema.type" and p.path in explained)] + rule_problems
    problems += unknown_rule_problems(ignore_rules)
    return Validation(sorted(problems, key=lambda p: p.severity != ERROR), ignored)
