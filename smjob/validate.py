"""Validate a request: one checker compiled from the schema tree, then cross-field rules.

The checker is built once, on first use, from `smjob.schema` (never written field by field): a
closure per node for strict types, min/max, enums, Java patterns with full-match semantics, and
unknown keys rejected with a "did you mean". It reports what pydantic-core's strict validators
report, in the same form and order (tests/test_differential.py compares the two on 20,000 requests):
smjob used pydantic-core until it was measured costing 3.5 MiB of RSS (its library and import) for
about 1 ms of checking per keystroke. Error locations become request paths.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable
from typing import Any

from smjob.paths import FieldPath
from smjob.problems import ERROR, Problem
from smjob.schema import Node, request_schema

# Patterns that accept everything are not worth a call per value.
_TRIVIAL_PATTERNS = frozenset({".*", "[\\S\\s]*", "[\\s\\S]*"})

# An error as pydantic-core reports one: {"type", "loc", "input", and "ctx" for some types}.
Error = dict
# A compiled check: (value, its location, the list errors are appended to).
Check = Callable[[Any, tuple, list], None]


# --- the checker, compiled from the field tree -------------------------------------------


def _int(value):
    return None if value is None else int(value)


def _bound(value, kind: str):
    if value is None:
        return None
    return int(value) if kind in ("integer", "long") and float(value).is_integer() else value


def _string_check(node: Node) -> Check:
    low, high = _int(node.min), _int(node.max)
    allowed = frozenset(node.enum) if node.enum else None  # an enum: the lengths, then membership
    pattern = node.pattern if node.pattern and node.pattern not in _TRIVIAL_PATTERNS and not allowed else None
    if pattern is not None:
        from smjob.javaregex import compile_java  # ~2 ms to import: only when the checker is built

        fullmatch = compile_java(pattern).fullmatch

    def check(value, loc: tuple, errors: list) -> None:
        if not isinstance(value, str):
            errors.append({"type": "string_type", "loc": loc, "input": value})
        elif low is not None and len(value) < low:
            errors.append({"type": "string_too_short", "loc": loc, "input": value, "ctx": {"min_length": low}})
        elif high is not None and len(value) > high:
            errors.append({"type": "string_too_long", "loc": loc, "input": value, "ctx": {"max_length": high}})
        elif allowed is not None:
            if value not in allowed:
                errors.append({"type": "literal_error", "loc": loc, "input": value})
        elif pattern is not None and fullmatch(value) is None:
            errors.append({"type": "pattern_mismatch", "loc": loc, "input": value, "ctx": {"pattern": pattern}})

    return check


# What the model's integer types hold (Smithy, which botocore's models follow: `integer` is a
# 32-bit and `long` a 64-bit signed integer, https://smithy.io/2.0/spec/simple-types.html). The
# service cannot read a larger number; where the model sets no min/max, these are the bounds.
INT_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


def _number_check(node: Node) -> Check:
    low, high = _bound(node.min, node.kind), _bound(node.max, node.kind)
    if node.kind in INT_RANGES:
        type_low, type_high = INT_RANGES[node.kind]
        low = type_low if low is None else low
        high = type_high if high is None else high
        accepted, type_error = int, "int_type"
    else:
        accepted, type_error = (int, float), "float_type"  # strict: an int is a number too, a bool is not

    def check(value, loc: tuple, errors: list) -> None:
        if isinstance(value, bool) or not isinstance(value, accepted):
            errors.append({"type": type_error, "loc": loc, "input": value})
        elif low is not None and not value >= low:  # `not >=`: NaN is out of every range
            errors.append({"type": "greater_than_equal", "loc": loc, "input": value, "ctx": {"ge": low}})
        elif high is not None and not value <= high:
            errors.append({"type": "less_than_equal", "loc": loc, "input": value, "ctx": {"le": high}})

    return check


def _bool_check(value, loc: tuple, errors: list) -> None:
    if not isinstance(value, bool):
        errors.append({"type": "bool_type", "loc": loc, "input": value})


def _any_check(value, loc: tuple, errors: list) -> None:
    pass  # timestamp/blob/document: CreateTrainingJob has none today


def _count_error(node: Node, value, loc: tuple, label: str) -> Error | None:
    """A list or map outside its item count; the items are checked all the same (botocore checks both)."""
    low, high, n = _int(node.min), _int(node.max), len(value)
    if low is not None and n < low:
        return {
            "type": "too_short",
            "loc": loc,
            "input": value,
            "ctx": {"field_type": label, "min_length": low, "actual_length": n},
        }
    if high is not None and n > high:
        return {
            "type": "too_long",
            "loc": loc,
            "input": value,
            "ctx": {"field_type": label, "max_length": high, "actual_length": n},
        }
    return None


_NOT_STR = "Keys should be strings"


def _step(key) -> str | int:
    """A map key as a path step: a str or an int as it is (a bool as its int), anything else as its str.
    (YAML gives any key; paths hold str and int. pydantic-core reported keys the same way.)"""
    if isinstance(key, bool):
        return int(key)
    return key if isinstance(key, (str, int)) else str(key)


class _Compiler:
    """Node tree -> checks. A structure shape met more than once is compiled once (it may recur)."""

    def __init__(self) -> None:
        self.structures: dict[str, Check] = {}

    def check(self, node: Node) -> Check:
        kind = node.kind
        if kind == "string":
            return _string_check(node)
        if kind in ("integer", "long", "float", "double"):
            return _number_check(node)
        if kind == "boolean":
            return _bool_check
        if kind == "list":
            return self._list(node)
        if kind == "map":
            return self._map(node)
        if kind == "structure":
            return self._structure(node)
        return _any_check

    def _list(self, node: Node) -> Check:
        item = self.check(node.item)
        counted = node.min is not None or node.max is not None

        def check(value, loc: tuple, errors: list) -> None:
            if not isinstance(value, list):
                errors.append({"type": "list_type", "loc": loc, "input": value})
                return
            if counted and (count := _count_error(node, value, loc, "List")) is not None:
                errors.append(count)
            for index, element in enumerate(value):
                item(element, (*loc, index), errors)

        return check

    def _map(self, node: Node) -> Check:
        key_check, value_check = self.check(node.key), self.check(node.value)
        counted = node.min is not None or node.max is not None

        def check(value, loc: tuple, errors: list) -> None:
            if not isinstance(value, dict):
                errors.append({"type": "dict_type", "loc": loc, "input": value})
                return
            if counted and (count := _count_error(node, value, loc, "Dictionary")) is not None:
                errors.append(count)
            for key, element in value.items():
                step = _step(key)
                key_check(key, (*loc, step, "[key]"), errors)
                value_check(element, (*loc, step), errors)

        return check

    def _structure(self, node: Node) -> Check:
        compiled = self.structures.get(node.shape)
        if compiled is not None:
            return compiled
        members: list[tuple[str, bool, Check]] = []
        names = frozenset(m.name for m in node.members)

        def check(value, loc: tuple, errors: list) -> None:
            if not isinstance(value, dict):
                errors.append({"type": "dict_type", "loc": loc, "input": value})
                return
            for name, required, member in members:
                if name in value:
                    member(value[name], (*loc, name), errors)
                elif required:
                    errors.append({"type": "missing", "loc": (*loc, name), "input": value})
            # Optional members may be absent; an explicit null is still checked (and rejected).
            if not names.issuperset(value):
                for key, element in value.items():
                    if not isinstance(key, str):  # from YAML: `1: x` or `null: x`
                        errors.append({"type": "invalid_key", "loc": (*loc, _step(key)), "input": key, "msg": _NOT_STR})
                    elif key not in names:
                        errors.append({"type": "extra_forbidden", "loc": (*loc, key), "input": element})

        self.structures[node.shape] = check  # before the members: a recursive shape refers to itself
        members.extend((m.name, m.required, self.check(m)) for m in node.members)
        return check


def compile_checker(root: Node) -> Check:
    """The check for a field tree (the request's, or any subtree)."""
    return _Compiler().check(root)


_lock = threading.Lock()
_checker: Check | None = None


def request_checker() -> Check:
    """The compiled check for the whole request: built on first use, once."""
    global _checker
    if _checker is None:
        with _lock:  # the editor may validate from a worker while the CLI path runs in the main thread
            if _checker is None:
                _checker = compile_checker(request_schema())
    return _checker


def schema_errors(request: Any) -> list[Error]:
    """The request's errors against the model, as pydantic-core would report them."""
    errors: list[Error] = []
    request_checker()(request, (), errors)
    return errors


# --- turning errors into problems -----------------------------------------

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
    errors = schema_errors(request)
    if not errors:
        return []
    schema = request_schema()
    return [_to_problem(error, schema) for error in errors]


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
