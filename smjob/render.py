"""Renderers: pure functions of the request (JSON, YAML, Python; the CLI command is render_cli)."""

from __future__ import annotations

import json
import math
import re
import secrets
from typing import Any

from smjob.schema import Node, request_schema
from smjob.terminal_text import is_safe

FORMATS = ("json", "yaml", "cli", "python")


def ordered(value: Any, node: Node | None = None) -> Any:
    """A copy with structure keys in the API's member order (unknown keys keep their place at the end)."""
    if node is None:
        node = request_schema()
    if isinstance(value, dict):
        if node is not None and node.kind == "structure":
            out = {}
            for member in node.members:
                if member.name in value:
                    out[member.name] = ordered(value[member.name], member)
            for key, item in value.items():
                if key not in out:
                    out[key] = ordered(item, None)
            return out
        child = node.value if node is not None and node.kind == "map" else None
        return {k: ordered(v, child) for k, v in value.items()}
    if isinstance(value, list):
        child = node.item if node is not None and node.kind == "list" else None
        return [ordered(v, child) for v in value]
    return value


def to_json(request: dict) -> str:
    """Exactly what `aws sagemaker create-training-job --cli-input-json file://job.json` takes."""
    return _dumps(ordered(request), indent=2) + "\n"


def _dumps(value: Any, **kwargs) -> str:
    """json.dumps that never raises on a number and never writes `Infinity` or `NaN`, which JSON lacks.

    Such numbers get in only by typing (the loaders refuse them) and are errors in validation:
    infinity is written `1e999`, NaN as the string "NaN", and an integer past Python's 4,300-digit
    str() limit with all its digits. Each reads back to a clear error at its path."""
    try:
        return _escape_unsafe(json.dumps(value, ensure_ascii=False, allow_nan=False, **kwargs))
    except ValueError:
        pass
    raw: dict[str, str] = {}
    nonce = secrets.token_hex(8)

    def token(text: str) -> str:
        placeholder = f"@smjob-{nonce}-{len(raw)}@"
        raw[json.dumps(placeholder)] = text
        return placeholder

    def swap(item):
        if isinstance(item, dict):
            return {_json_key(k): swap(v) for k, v in item.items()}
        if isinstance(item, list):
            return [swap(v) for v in item]
        if isinstance(item, float) and not math.isfinite(item):
            return "NaN" if math.isnan(item) else token("1e999" if item > 0 else "-1e999")
        if isinstance(item, int) and not isinstance(item, bool) and not _prints(item):
            return token(int_text(item))
        return item

    text = _escape_unsafe(json.dumps(swap(value), ensure_ascii=False, **kwargs))
    return re.sub("|".join(map(re.escape, raw)), lambda m: raw[m.group()], text) if raw else text


def _escape_unsafe(text: str) -> str:
    """JSON or double-quoted YAML text with DEL, C1, bidi and separator characters as \\uXXXX escapes.

    json.dumps escapes C0 only, PyYAML not bidi: `cat job.json` would hand U+202E or CSI to the
    terminal. Outside strings both are ASCII, so every such character is inside a string, where
    the escape means the same character: the request stays exact."""
    if is_safe(text, multiline=True):
        return text
    return "".join([c if c == "\n" or is_safe(c) else f"\\u{ord(c):04x}" for c in text])


def _json_key(key):
    if isinstance(key, float) and not math.isfinite(key):
        return repr(key)
    if isinstance(key, int) and not isinstance(key, bool) and not _prints(key):
        return int_text(key)
    return key


def _prints(value: int) -> bool:
    try:
        str(value)
    except ValueError:
        return False
    return True


def int_text(value: int) -> str:
    """All the decimal digits of any int, also past the 4,300 that str() allows (in chunks below it)."""
    try:
        return str(value)
    except ValueError:
        pass
    sign, rest, chunks = "-" if value < 0 else "", abs(value), []
    while rest:
        rest, chunk = divmod(rest, 10**4000)
        chunks.append(chunk)
    return sign + str(chunks[-1]) + "".join(str(chunk).zfill(4000) for chunk in reversed(chunks[:-1]))


class JsonByMember:
    """`to_json` for a request edited one top-level member at a time, re-encoding only that member.

    json.dumps with indent runs in pure Python: ~5 ms for the largest request on every keystroke.
    The text is the same as `to_json`: each member is encoded on its own and indented into place.
    """

    def __init__(self) -> None:
        self._fragments: dict[str, str] = {}

    def render(self, request: dict, changed: set[str] | None = None) -> str:
        """`changed`: the top-level members edited since the last call; None: anything may have changed."""
        if changed is None or not isinstance(request, dict):
            self._fragments.clear()
        else:
            for name in changed:
                self._fragments.pop(name, None)
        if not isinstance(request, dict) or not request or not all(isinstance(k, str) for k in request):
            return to_json(request)  # json.dumps turns other keys into strings its own way
        schema = request_schema()
        names = [m.name for m in schema.members if m.name in request]
        names += [k for k in request if k not in names]
        parts = []
        for name in names:
            fragment = self._fragments.get(name)
            if fragment is None:
                member = schema.member(name)
                body = _dumps(ordered(request[name], member), indent=2)
                fragment = self._fragments[name] = f"  {json.dumps(name, ensure_ascii=False)}: " + body.replace(
                    "\n", "\n  "
                )
            parts.append(fragment)
        for stale in self._fragments.keys() - set(names):
            del self._fragments[stale]
        return "{\n" + ",\n".join(parts) + "\n}\n"


def to_yaml(request: dict) -> str:
    """For `--cli-input-yaml` (AWS CLI v2). Strings any YAML 1.1 or 1.2 reader would take for
    another type (`1e5`, `0o17`, `y`, `2024-01-01`, `1:30`, ...) are quoted."""
    import yaml

    text = yaml.dump(
        ordered(request),
        Dumper=_yaml_dumper(),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1 << 16,
    )
    return _escape_unsafe(text)  # strings holding such characters are double-quoted (represent_str)


# Plain scalars that some YAML reader resolves to a non-string: YAML 1.1's types (bool with y/n,
# null, int in bases 2/8/10/16 and sexagesimal, float, timestamp, merge, value) and YAML 1.2's
# core schema (0o octal, 1e5 floats), with the underscores, signs and case variants readers allow.
_YAML_NOT_A_STRING = re.compile(
    r"""(?x)
    (?: y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
      | ~|null|Null|NULL|<<|=
      | [-+]?(?:0[bB][01_]+|0[oO]?[0-7_]+|0[xX][0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)
      | [-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*)?\.[0-9._]*(?:[eE][-+]?[0-9]+)?
      | [-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
      | [-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}
        (?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?
    )""",
)
_yaml_dumper_class = None


def _yaml_dumper():
    global _yaml_dumper_class
    if _yaml_dumper_class is None:
        import yaml

        class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
            pass

        def represent_str(dumper, data: str):
            if not is_safe(data):  # control, bidi, newline: only double quotes can escape them
                style = '"'
            elif data == "" or _YAML_NOT_A_STRING.fullmatch(data):
                style = "'"
            else:
                style = None
            return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

        def represent_int(dumper, data: int):
            return dumper.represent_scalar("tag:yaml.org,2002:int", int_text(data))

        Dumper.add_representer(str, represent_str)
        Dumper.add_representer(int, represent_int)
        _yaml_dumper_class = Dumper
    return _yaml_dumper_class


def python_literal(value: Any, indent: int = 0) -> str:
    """Black-style literal: one member per line, repr() for scalars so any string stays exact."""
    pad, inner = " " * indent, " " * (indent + 4)
    if isinstance(value, dict) and value:
        items = [f"{inner}{_py_scalar(k)}: {python_literal(v, indent + 4)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value:
        items = [f"{inner}{python_literal(v, indent + 4)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    return _py_scalar(value)


def _py_scalar(value: Any) -> str:
    """repr(), except where it is no Python literal: inf, nan, and ints past 4,300 digits (as hex)."""
    if isinstance(value, float) and not math.isfinite(value):
        return f'float("{value!r}")'
    if isinstance(value, int) and not isinstance(value, bool) and not _prints(value):
        return f"{'-' if value < 0 else ''}0x{abs(value):x}"  # Python refuses long decimal literals
    return repr(value)


def to_python(request: dict) -> str:
    body = python_literal(ordered(request))
    return (
        "import boto3\n\n"
        f"request = {body}\n\n"
        'client = boto3.client("sagemaker")\n'
        "response = client.create_training_job(**request)\n"
        'print(response["TrainingJobArn"])\n'
    )


def render(request: dict, fmt: str) -> str:
    if fmt == "json":
        return to_json(request)
    if fmt == "yaml":
        return to_yaml(request)
    if fmt == "python":
        return to_python(request)
    if fmt == "cli":
        from smjob.render_cli import render_cli

        return render_cli(request)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
