"""The YAML loader: PyYAML's safe loader (libyaml's when present) with YAML 1.2 core-schema scalars."""

from __future__ import annotations

import re

import yaml

from smjob.load.numbers import BadNumber, float_or_bad, int_or_bad

_YAML_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TAG = "tag:yaml.org,2002:"


class Loader(_YAML_BASE):
    """A safe loader with YAML 1.2 core-schema scalars, as `aws --cli-input-yaml` reads them.

    YAML 1.1 (PyYAML's default) turns `yes`/`no`/`on`/`off` into booleans, `010` into 8, `1:30`
    into 90 and `2024-01-01` into a date; here those stay strings or decimal numbers.
    """

    def construct_yaml_int(self, node):  # YAML 1.2: "010" is 10; 0o and 0x prefixes
        text = self.construct_scalar(node)
        try:  # beyond 64 bits: a BadNumber, which the importer refuses naming the field
            return int_or_bad(text, _yaml_int, mark=node.start_mark)
        except ValueError:
            raise _bad_scalar("an integer", text, node) from None

    def construct_yaml_float(self, node):
        text = self.construct_scalar(node)
        lower = text.lower()
        if lower.lstrip("+-") == ".inf" or lower == ".nan":
            return BadNumber(text, finite=False, mark=node.start_mark)
        try:
            return float_or_bad(text, float(lower), mark=node.start_mark)
        except ValueError:
            raise _bad_scalar("a number", text, node) from None

    def construct_yaml_bool(self, node):
        text = self.construct_scalar(node)
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise _bad_scalar("a boolean (true or false)", text, node)


def _yaml_int(text: str) -> int:
    sign = -1 if text[:1] == "-" else 1
    digits = text.lstrip("+-")
    return int(digits, 0) if digits[:2] in ("0o", "0x") else sign * int(digits, 10)


def _bad_scalar(what: str, text: str, node) -> yaml.YAMLError:
    return yaml.constructor.ConstructorError(None, None, f"{text!r} is not {what}", node.start_mark)


Loader.add_constructor(TAG + "int", Loader.construct_yaml_int)
Loader.add_constructor(TAG + "float", Loader.construct_yaml_float)
Loader.add_constructor(TAG + "bool", Loader.construct_yaml_bool)
Loader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in (TAG + t for t in ("bool", "int", "float", "timestamp", "value"))
    ]
    for first, resolvers in _YAML_BASE.yaml_implicit_resolvers.items()
}
for _tag, _pattern, _first in (
    (TAG + "bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (TAG + "int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        TAG + "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
):
    for _char in _first:
        Loader.yaml_implicit_resolvers.setdefault(_char, []).append((_tag, re.compile(_pattern)))
del _tag, _pattern, _first, _char
