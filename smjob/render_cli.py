"""Render a CreateTrainingJob request as an `aws sagemaker create-training-job` command.

The output follows the serializer spec in shared/research/shorthand-and-moto.md (section 3),
which was round-trip tested against AWS CLI v1 and v2:

* one option per set top-level member, in the API's member order, named the way the AWS CLI
  names it (botocore's ``xform_name(name, '-')``);
* booleans as ``--x`` / ``--no-x``;
* structures and maps in shorthand (``A=1,B={C=[x,y]}``), a list of structures as one shorthand
  argument per element;
* the whole option as compact JSON whenever shorthand cannot carry a value exactly (a string
  ending in a backslash, a map key outside ``[A-Za-z0-9_.#/:-]``, an empty top-level container,
  an argument that would start with ``file://``/``fileb://``/``http://``/``https://`` or, for a
  list element, with ``-``, a top-level list of scalars or lists, a value whose Python type does
  not match the model, a NUL character or a lone surrogate, ...);
* ``--opt=value`` when a top-level argument starts with ``-``.

Everything here is a pure function of the request: no I/O, no AWS, no textual/awscli/boto3.
The output is for POSIX shells (bash, zsh, dash); fish and PowerShell quote differently.
"""

from __future__ import annotations

import json
import math
import re
import shlex

from smjob.terminal_text import is_safe, visible

__all__ = [
    "COMMAND",
    "PARAMFILE_PREFIXES",
    "CliRenderError",
    "cli_arguments",
    "cli_option_name",
    "option_groups",
    "render_cli",
]

COMMAND = ("aws", "sagemaker", "create-training-job")

# A whole CLI argument starting with one of these is replaced by the file's (or URL's) contents.
PARAMFILE_PREFIXES = ("file://", "fileb://", "http://", "https://")

# Linux: one argv string may hold at most 128 KiB (MAX_ARG_STRLEN); argv + environment share
# ARG_MAX (2 MiB by default). Keep well below both.
DEFAULT_MAX_ARG_BYTES = 100_000
DEFAULT_MAX_TOTAL_BYTES = 1_000_000


class CliRenderError(ValueError):
    """The request (or one of its members) cannot be written as command-line options."""


class _NeedJson(Exception):
    """Internal: shorthand cannot carry this option exactly; write the whole option as JSON."""


def cli_option_name(member: str) -> str:
    """The AWS CLI option for a top-level member: `HyperParameters` -> `--hyper-parameters`."""
    from botocore import xform_name  # botocore's package __init__ only: the schema has loaded it already

    return "--" + xform_name(member, "-")


# --- shorthand ---------------------------------------------------------------------------

_BARE = re.compile(r"[A-Za-z0-9_./:@+\-]+\Z")  # strings written without quotes
_KEY = re.compile(r"[A-Za-z0-9_.#/:\-]+\Z")  # the only characters a shorthand key may hold
# NUL cannot travel in argv; a lone surrogate cannot be encoded as UTF-8.
_UNPORTABLE = re.compile("[\x00\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")

_INT_KINDS = ("integer", "long")
_FLOAT_KINDS = ("float", "double")


def _sh_string(s: str) -> str:
    if _BARE.match(s):
        return s
    if s.endswith("\\") or _UNPORTABLE.search(s):
        # A quoted value ending in `\` runs past its closing quote (rule 1).
        raise _NeedJson
    # Prefer "..."; use '...' when that avoids escaping.
    q = "'" if ('"' in s and "'" not in s) else '"'
    # The CLI decodes s.replace('\\'+q, q).replace('\\\\', '\\'), so double the backslashes
    # only when one of those two sequences is present; `\d` and `\.` stay readable.
    if "\\\\" in s or ("\\" + q) in s:
        s = s.replace("\\", "\\\\")
    return q + s.replace(q, "\\" + q) + q


def _sh_scalar(value, node) -> str:
    kind = node.kind if node is not None else None
    t = type(value)
    if t is str:
        if kind not in (None, "string"):
            raise _NeedJson
        return _sh_string(value)
    # Shorthand has no types: the CLI converts by the model. Without a matching model type
    # (or for an unknown member) only JSON keeps the value's type.
    if t is bool and kind == "boolean":
        return "true" if value else "false"
    if t is int and kind in _INT_KINDS and _prints(value):
        return str(value)
    if t is float and kind in _FLOAT_KINDS and math.isfinite(value):
        return repr(value)
    raise _NeedJson  # JSON refuses what the CLI cannot send either (inf, nan, thousands of digits)


def _child(node, key: str):
    if node is None:
        return None
    if node.kind == "map":
        return node.value
    return node.member(key)


def _ordered_items(d: dict, node):
    """A structure's members in the API's order (unknown keys last); a map's in its own order."""
    if node is None or node.kind != "structure":
        return d.items()
    known = [(m.name, d[m.name]) for m in node.members if m.name in d]
    if len(known) == len(d):
        return known
    names = {m.name for m in node.members}
    return known + [(k, v) for k, v in d.items() if k not in names]


def _sh_body(d: dict, node) -> str:
    """`k=v,k2=v2` for a structure or map (no braces)."""
    parts = []
    for key, val in _ordered_items(d, node):
        if type(key) is not str or not _KEY.match(key):
            raise _NeedJson  # rule 2: empty or odd map key
        parts.append(key + "=" + _sh_value(val, _child(node, key)))
    return ",".join(parts)


def _sh_value(value, node) -> str:
    """A nested value: scalar, `{...}` or `[...]` (never an implicit CSV list)."""
    kind = node.kind if node is not None else None
    if isinstance(value, dict):
        if kind not in (None, "structure", "map"):
            raise _NeedJson
        return "{" + _sh_body(value, node) + "}"
    if isinstance(value, list):
        if kind not in (None, "list"):
            raise _NeedJson
        item = node.item if node is not None else None
        return "[" + ",".join([_sh_value(v, item) for v in value]) + "]"
    return _sh_scalar(value, node)


def _json(value, where: str) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:  # ValueError: inf, nan, an int past 4,300 digits
        raise CliRenderError(f"{where}: value cannot be written as JSON: {exc}") from None
    if _SURROGATE.search(text):
        text = json.dumps(value, separators=(",", ":"))  # \udxxx escapes survive argv
    return text


# --- one option ---------------------------------------------------------------------------


def _scalar_option(opt: str, name: str, value, kind: str) -> list[str]:
    t = type(value)
    if kind == "string" and t is str:
        text = value
    elif kind in _INT_KINDS and t is int and _prints(value):
        text = str(value)
    elif kind in _FLOAT_KINDS and t in (int, float) and _finite_float(value):
        text = repr(float(value))
    else:
        raise CliRenderError(f"{name}: a {kind} option cannot carry the {t.__name__} {value!r}")
    if text.startswith(PARAMFILE_PREFIXES):
        raise CliRenderError(
            f"{name}: a value starting with {text.split('//', 1)[0]}// would be read as a file or URL by the AWS CLI"
        )
    if _UNPORTABLE.search(text):
        raise CliRenderError(f"{name}: a NUL character or lone surrogate cannot be passed as an argument")
    if text == "--":
        # argparse drops a lone `--` even in `--opt=--` (the CLI then sends an empty list).
        raise CliRenderError(f"{name}: the value '--' cannot be passed as an argument")
    if text.startswith("-"):
        return [f"{opt}={text}"]  # otherwise argparse takes `-x` for an option
    return [opt, text]


def _prints(value: int) -> bool:
    try:
        str(value)
    except ValueError:  # past Python's 4,300-digit limit
        return False
    return True


def _finite_float(value) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int past float's range
        return False


def _container_option(opt: str, name: str, value, node) -> list[str]:
    kind = node.kind
    if kind in ("structure", "map"):
        if not isinstance(value, dict):
            raise CliRenderError(f"{name}: expected an object, got {type(value).__name__}")
        if not value:
            return [opt, "{}"]  # rule 3
        try:
            body = _sh_body(value, node)
        except _NeedJson:
            return [opt, _json(value, name)]
        if body.startswith(PARAMFILE_PREFIXES):
            return [opt, _json(value, name)]  # rule 4: a first map key like `file://x`
        if body.startswith("-"):
            return [f"{opt}={body}"]
        return [opt, body]

    # list
    if not isinstance(value, list):
        raise CliRenderError(f"{name}: expected a list, got {type(value).__name__}")
    item = node.item
    if not value or item is None or item.kind not in ("structure", "map"):
        return [opt, _json(value, name)]  # rules 3 and 6
    args = [opt]
    try:
        for element in value:
            if not isinstance(element, dict) or not element:
                raise _NeedJson
            body = _sh_body(element, item)
            if body.startswith("-") or body.startswith(PARAMFILE_PREFIXES):
                raise _NeedJson  # rules 5 and 4
            args.append(body)
    except _NeedJson:
        return [opt, _json(value, name)]
    return args


def _option(name: str, value, node) -> list[str]:
    opt = cli_option_name(name)
    kind = node.kind
    if kind == "boolean":
        if type(value) is not bool:
            raise CliRenderError(f"{name}: a flag needs true or false, got {value!r}")
        return [opt] if value else ["--no-" + opt[2:]]
    if kind in ("structure", "map", "list"):
        return _container_option(opt, name, value, node)
    return _scalar_option(opt, name, value, kind)


# --- public API -----------------------------------------------------------------------------


def option_groups(request: dict, schema=None) -> list[list[str]]:
    """The arguments of `cli_arguments`, grouped per option: [['--opt', 'value', ...], ...]."""
    if schema is None:
        from smjob.schema import request_schema

        schema = request_schema()
    if not isinstance(request, dict):
        raise CliRenderError(f"the request must be an object, got {type(request).__name__}")
    unknown = [k for k, v in request.items() if v is not None and schema.member(k) is None]
    if unknown:
        raise CliRenderError(f"no AWS CLI option for {', '.join(map(str, unknown))}")
    groups = []
    for member in schema.members:
        value = request.get(member.name)
        if value is not None:
            groups.append(_option(member.name, value, member))
    return groups


def cli_arguments(request: dict, schema=None) -> list[str]:
    """The argv after `aws sagemaker create-training-job` that makes the AWS CLI send `request`.

    `schema` is the CreateTrainingJob `Node` tree (default: `smjob.schema.request_schema()`).
    Members whose value is None are treated as unset. Raises CliRenderError when the request
    cannot be expressed as options at all: an unknown top-level member, a top-level value of
    the wrong type, or a top-level scalar starting with a paramfile prefix (``file://``,
    ``fileb://``, ``http://``, ``https://``) or equal to ``--``.
    """
    return [arg for group in option_groups(request, schema) for arg in group]


def _utf8_len(s: str) -> int:
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogatepass"))


def render_cli(
    request: dict,
    *,
    schema=None,
    max_arg_bytes: int = DEFAULT_MAX_ARG_BYTES,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    input_json_path: str = "job.json",
) -> str:
    """The full shell command, one option per line:

        aws sagemaker create-training-job \\
          --training-job-name demo \\
          --hyper-parameters epochs=10,lr=0.1 \\
          ...

    Each argument is quoted with `shell_quote`: shlex.quote, or bash's $'...' for an argument
    holding a control, bidi or separator character, so the script has none of them raw.

    Fallback: when the request cannot be written as options (CliRenderError from
    `cli_arguments`), or any single argument is longer than `max_arg_bytes` UTF-8 bytes (Linux
    refuses arguments over 128 KiB, and HyperParameters alone can reach ~276 KB), or all
    arguments together exceed `max_total_bytes`, the result is instead a comment saying why
    and asking the user to save the request JSON to `input_json_path`, followed by

        aws sagemaker create-training-job \\
          --cli-input-json file://<input_json_path>

    which is still a valid shell script. Writing that file is the caller's job.
    """
    try:
        groups = option_groups(request, schema)
    except CliRenderError as exc:
        return _fallback(str(exc), input_json_path)
    total = 0
    for group in groups:
        for arg in group:
            size = _utf8_len(arg)
            if size > max_arg_bytes:
                return _fallback(
                    f"{group[0].split('=', 1)[0]} is {size:,} bytes long; "
                    f"one command-line argument may hold at most {max_arg_bytes:,}",
                    input_json_path,
                )
            total += size + 1
    if total > max_total_bytes:
        return _fallback(f"the options add up to {total:,} bytes, more than {max_total_bytes:,}", input_json_path)
    lines = [" ".join(COMMAND)]
    lines += ["  " + " ".join([shell_quote(a) for a in group]) for group in groups]
    return " \\\n".join(lines)


def shell_quote(arg: str) -> str:
    """`arg` as one bash word that is exactly `arg`, with no raw control character in the text.

    shlex.quote's '...' keeps ESC, C1 controls and U+202E raw, so the script itself would drive
    the terminal of whoever reads it. Those arguments use ANSI-C quoting, $'...', with each unsafe
    character as its UTF-8 bytes in \\xHH escapes (bytes, unlike \\u, do not depend on the locale).
    """
    if is_safe(arg):
        return shlex.quote(arg)
    return "$'" + "".join([_ansi_c(char) for char in arg]) + "'"


def _ansi_c(char: str) -> str:
    if char in "\\'":
        return "\\" + char
    if is_safe(char):
        return char
    return "".join([f"\\x{byte:02x}" for byte in char.encode("utf-8", "surrogatepass")])


def _fallback(reason: str, input_json_path: str) -> str:
    def comment(text: str) -> str:
        return "# " + visible(" ".join(text.split()))  # no newline ends it early, no control char is raw

    return "\n".join(
        [
            comment(f"This request cannot be passed as command-line options: {reason}."),
            comment(f"Save the request as JSON to {input_json_path} first, then run:"),
            " ".join(COMMAND) + " \\",
            "  --cli-input-json " + shell_quote("file://" + input_json_path),
        ]
    )
