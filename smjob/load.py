"""Importers: a JSON or YAML file, an AWS CLI skeleton or a DescribeTrainingJob response -> a request dict.

Pure functions: the only I/O is reading the file `load_file` is given. Every failure is a
`LoadError` carrying the source, a 1-based line and column when known, and a plain message.
Whatever the importer changed is reported as `notes` (Problems) next to the request.

What gets changed, and when:
- every document: numbers and booleans given for string fields (typically YAML's `lr: 0.1` or
  `flag: true` in HyperParameters or Environment) become strings, one warning per value;
- an AWS CLI skeleton (`aws sagemaker create-training-job --generate-cli-skeleton`): its unfilled
  placeholders are pruned, in one summary note;
- a DescribeTrainingJob response: every member the CreateTrainingJob input does not have (per the
  botocore model, at any depth), members documented as read-only, and ResponseMetadata are dropped,
  in one summary note.
A plain request keeps unknown keys: validation reports them (with "did you mean").
"""

from __future__ import annotations

import codecs
import json
import math
import os
import re
import stat
from dataclasses import dataclass, field

import yaml

from smjob.paths import Path, format_path
from smjob.problems import WARNING, Problem
from smjob.schema import Node, request_schema

MAX_BYTES = 10 * 1024 * 1024  # HyperParameters alone can reach ~300 KB; 10 MB is generous
MAX_DEPTH = 100  # a CreateTrainingJob request is at most ~7 levels deep
MAX_YAML_NODES = 200_000  # values after expanding YAML aliases (a "billion laughs" guard)

KINDS = ("request", "describe-response", "skeleton")

__all__ = ["KINDS", "MAX_BYTES", "MAX_DEPTH", "LoadError", "LoadResult", "from_describe", "load_file", "load_text"]

# Keys that only a DescribeTrainingJob response has. Used to *recognise* a response; what gets
# dropped is computed from the request schema, not from this list.
_DESCRIBE_MARKERS = frozenset({"TrainingJobArn", "TrainingJobStatus", "SecondaryStatus", "ModelArtifacts",
                               "CreationTime", "LastModifiedTime", "SecondaryStatusTransitions"})
_RESPONSE_METADATA = "ResponseMetadata"
# Members that share a shape with the request but are documented as output-only
# (ResourceConfig.SelectedInstanceType/SelectedInstanceCount today).
_READ_ONLY_DOC = re.compile(r"read-only and (?:isn't|is not|isn’t) accepted in\s+CreateTrainingJob", re.I)
_SKELETON_MAP_KEY = "KeyName"  # what the CLI skeleton puts in every map


class LoadError(Exception):
    """A document that cannot be turned into a request."""

    _syntax = False  # a JSON syntax error: when the format was only sniffed, YAML gets a try

    def __init__(self, message: str, *, source: str = "<text>", line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass
class LoadResult:
    request: dict
    notes: list[Problem] = field(default_factory=list)
    kind: str = "request"  # "request" | "describe-response" | "skeleton"


# --- entry points --------------------------------------------------------------------------

def load_file(path, *, fmt: str | None = None, max_bytes: int = MAX_BYTES) -> LoadResult:
    """Read and import a request file (.json, .yaml, .yml; anything else is sniffed)."""
    source = os.fspath(path)
    try:
        info = os.stat(source)
    except FileNotFoundError:
        raise LoadError("no such file", source=source) from None
    except NotADirectoryError:
        raise LoadError("no such file (part of the path is not a directory)", source=source) from None
    except PermissionError:
        raise LoadError("permission denied (cannot look up the file)", source=source) from None
    except OSError as exc:
        raise LoadError(exc.strerror or str(exc), source=source) from None
    if stat.S_ISDIR(info.st_mode):
        raise LoadError("is a directory, not a request file", source=source)
    if stat.S_ISFIFO(info.st_mode) or stat.S_ISSOCK(info.st_mode):
        raise LoadError("not a regular file", source=source)
    if info.st_size > max_bytes:
        raise LoadError(_too_big(info.st_size, max_bytes), source=source)
    try:
        with open(source, "rb") as fh:
            data = fh.read(max_bytes + 1)  # devices and growing files can exceed st_size
    except PermissionError:
        raise LoadError("permission denied: cannot read the file", source=source) from None
    except IsADirectoryError:
        raise LoadError("is a directory, not a request file", source=source) from None
    except OSError as exc:
        raise LoadError(f"cannot read the file: {exc.strerror or exc}", source=source) from None
    if len(data) > max_bytes:
        raise LoadError(_too_big(None, max_bytes), source=source)
    if not data.strip():
        raise LoadError("the file is empty", source=source)
    text = _decode(data, source)
    return load_text(text, source=source, fmt=fmt or _format_from_name(source), max_bytes=max_bytes)


def load_text(text: str, *, source: str = "<text>", fmt: str | None = None,
              max_bytes: int = MAX_BYTES) -> LoadResult:
    """Import a request from JSON or YAML text. `fmt` is "json", "yaml" or None (sniff)."""
    if not isinstance(text, str):
        raise TypeError(f"load_text needs a str, got {type(text).__name__}")
    if text.startswith("\ufeff"):
        text = text[1:]
    if len(text) > max_bytes:
        raise LoadError(_too_big(len(text), max_bytes, unit="characters"), source=source)
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _line_col(text, nul)
        raise LoadError(f"contains a NUL character at offset {nul}: this is a binary file, "
                        "or text in UTF-16/UTF-32 (save it as UTF-8)", source=source, line=line, column=column)
    if not text.strip():
        raise LoadError("the document is empty", source=source)
    fmt = _normalise_format(fmt)
    if fmt == "json":
        data = _parse_json(text, source)
    elif fmt == "yaml":
        data = _parse_yaml(text, source)
    elif text.lstrip()[:1] in ("{", "["):
        try:
            data = _parse_json(text, source)
        except LoadError as json_error:
            if not json_error._syntax:
                raise
            try:  # a flow-style YAML mapping also starts with "{"
                data = _parse_yaml(text, source)
            except LoadError:
                raise json_error from None
    else:
        data = _parse_yaml(text, source)
    if not isinstance(data, dict):
        what = "JSON object" if fmt == "json" or (fmt is None and text.lstrip()[:1] in "{[") else "mapping"
        line, column = _line_col(text, len(text) - len(text.lstrip()))
        raise LoadError(f"the request must be a {what}, got {_type_name(data)}",
                        source=source, line=line, column=column)
    return _import(data)


def from_describe(response: dict, tags: list | dict | None = None) -> LoadResult:
    """A request cloned from a DescribeTrainingJob response plus the job's ListTags result.

    `tags` is ListTags' `Tags` list (or the whole ListTags response). Keys starting with `aws:`
    are AWS-managed and cannot be set, so they are dropped with a note.
    """
    if not isinstance(response, dict):
        raise TypeError(f"from_describe needs the response dict, got {type(response).__name__}")
    root = request_schema()
    notes: list[Problem] = []
    request = _from_describe(response, root, notes)
    if isinstance(tags, dict):
        tags = tags.get("Tags", [])
    if tags is None:
        notes.append(_tags_missing_note())
    else:
        kept, managed = [], []
        for tag in tags:
            key = tag.get("Key") if isinstance(tag, dict) else None
            if isinstance(key, str) and key.lower().startswith("aws:"):
                managed.append(key)
            elif isinstance(tag, dict):
                kept.append({k: tag[k] for k in ("Key", "Value") if k in tag})
        if managed:
            notes.append(Problem(
                ("Tags",), f"Dropped {len(managed)} AWS-managed tag(s) that a request cannot set "
                f"(the aws: prefix is reserved): {', '.join(managed)}.", WARNING, "load.aws-tags"))
        if kept:
            request["Tags"] = kept
    request = _coerce_strings(request, root, (), notes)
    return LoadResult(_api_order(request, root), notes, "describe-response")


# --- decoding ---------------------------------------------------------------------------

def _decode(data: bytes, source: str) -> str:
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _byte_line_col(data, nul)
        raise LoadError(f"contains a NUL byte at byte offset {nul}: this is a binary file, "
                        "or text in UTF-16/UTF-32 (save it as UTF-8)", source=source, line=line, column=column)
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        line, column = _byte_line_col(data, offset)
        raise LoadError(f"invalid UTF-8 at byte offset {offset} (byte 0x{data[offset]:02x}); "
                        "save the file as UTF-8", source=source, line=line, column=column) from None


def _byte_line_col(data: bytes, offset: int) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _too_big(size: int | None, limit: int, unit: str = "bytes") -> str:
    if size is None:
        what = f"more than {_human(limit)}"
    else:
        what = _human(size) if unit == "bytes" else f"{size:,} {unit}"
    return (f"the file is {what}; the limit is {_human(limit)}. A request is a few KB "
            "(a few hundred KB with very large hyperparameters), so this is probably not a request file")


def _human(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}".replace(".0 ", " ")
        size /= 1024
    return f"{size} bytes"  # pragma: no cover


def _format_from_name(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".json"):
        return "json"
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    return None


def _normalise_format(fmt: str | None) -> str | None:
    if fmt is None:
        return None
    value = fmt.lower().lstrip(".")
    if value == "json":
        return "json"
    if value in ("yaml", "yml"):
        return "yaml"
    raise ValueError(f"unknown format {fmt!r}; use 'json', 'yaml' or None to detect it")


def _type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


# --- JSON ---------------------------------------------------------------------------------

class _DuplicateKey(Exception):
    pass


class _BadConstant(Exception):
    pass


def _pairs(pairs):
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _constant(name):
    raise _BadConstant(name)


# Strings (unrolled-loop form: fast on long strings) and brackets; used only for depth and locations.
_JSON_STRUCT = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:,]|[^\s\[\]{}:,"]+', re.S)


def _json_error(message: str, text: str, offset: int | None, source: str) -> LoadError:
    if offset is None:
        return LoadError(message, source=source)
    line, column = _line_col(text, offset)
    return LoadError(message, source=source, line=line, column=column)


def _check_json_depth(text: str, source: str) -> None:
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return  # cannot nest deeper than the number of openers
    depth = 0
    for match in _JSON_STRUCT.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _json_error(_too_deep(), text, match.start(), source)
        elif char in "]}":
            depth -= 1


def _too_deep() -> str:
    return (f"the document nests deeper than {MAX_DEPTH} levels; a CreateTrainingJob request "
            "is at most about 7 levels deep")


def _parse_json(text: str, source: str):
    _check_json_depth(text, source)
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except _DuplicateKey as exc:
        raise _locate_json_duplicate(text, exc.args[0], source) from None
    except _BadConstant as exc:
        offset = next((m.start() for m in _JSON_TOKENS.finditer(text) if m.group() == exc.args[0]), None)
        raise _json_error(f"{exc.args[0]} is not valid JSON (JSON numbers must be finite)",
                          text, offset, source) from None
    except RecursionError:  # the pre-check makes this unreachable; keep it as a safety net
        raise LoadError(_too_deep(), source=source) from None
    except json.JSONDecodeError as exc:
        message = exc.msg
        if message.startswith("Expecting property name") and _trailing_comma(text, exc.pos):
            message += " (a trailing comma before '}'?)"
        error = LoadError(message, source=source, line=exc.lineno, column=exc.colno)
        error._syntax = True
        raise error from None


def _trailing_comma(text: str, pos: int) -> bool:
    return text[pos:pos + 1] == "}" and text[:pos].rstrip().endswith(",")


def _locate_json_duplicate(text: str, key: str, source: str) -> LoadError:
    """The text is valid JSON apart from duplicates: find the first repeated key in text order."""
    stack: list[list] = []  # [is_object, {key: offset}, expecting_key]
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token == "{":
            stack.append([True, {}, True])
        elif token == "[":
            stack.append([False, None, False])
        elif token in "]}":
            if stack:
                stack.pop()
        elif token == ",":
            if stack and stack[-1][0]:
                stack[-1][2] = True
        elif token.startswith('"') and stack and stack[-1][0] and stack[-1][2]:
            stack[-1][2] = False
            name = json.loads(token)
            seen = stack[-1][1]
            if name in seen:
                first_line, _ = _line_col(text, seen[name])
                return _json_error(f"duplicate key {json.dumps(name, ensure_ascii=False)} "
                                   f"(first defined on line {first_line})", text, match.start(), source)
            seen[name] = match.start()
    return LoadError(f"duplicate key {json.dumps(key, ensure_ascii=False)}", source=source)


# --- YAML ---------------------------------------------------------------------------------

_YAML_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset({"!"} | {_TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq")})


class _Loader(_YAML_BASE):
    """A safe loader with YAML 1.2 core-schema scalars, as `aws --cli-input-yaml` reads them.

    YAML 1.1 (PyYAML's default) turns `yes`/`no`/`on`/`off` into booleans, `010` into 8, `1:30`
    into 90 and `2024-01-01` into a date; here those stay strings or decimal numbers.
    """

    def construct_yaml_int(self, node):  # YAML 1.2: "010" is 10; 0o and 0x prefixes
        text = self.construct_scalar(node)
        sign = -1 if text[:1] == "-" else 1
        digits = text.lstrip("+-")
        try:
            return int(digits, 0) if digits[:2] in ("0o", "0x") else sign * int(digits, 10)
        except ValueError:
            raise _bad_scalar("an integer", text, node) from None

    def construct_yaml_float(self, node):
        text = self.construct_scalar(node)
        lower = text.lower()
        if lower.lstrip("+-") == ".inf":
            return -math.inf if lower.startswith("-") else math.inf
        if lower == ".nan":
            return math.nan
        try:
            return float(lower)
        except ValueError:
            raise _bad_scalar("a number", text, node) from None

    def construct_yaml_bool(self, node):
        text = self.construct_scalar(node)
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise _bad_scalar("a boolean (true or false)", text, node)


def _bad_scalar(what: str, text: str, node) -> yaml.YAMLError:
    return yaml.constructor.ConstructorError(None, None, f"{text!r} is not {what}", node.start_mark)


_Loader.add_constructor(_TAG + "int", _Loader.construct_yaml_int)
_Loader.add_constructor(_TAG + "float", _Loader.construct_yaml_float)
_Loader.add_constructor(_TAG + "bool", _Loader.construct_yaml_bool)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in (_TAG + t for t in ("bool", "int", "float", "timestamp", "value"))]
    for first, resolvers in _YAML_BASE.yaml_implicit_resolvers.items()
}
for _tag, _pattern, _first in (
    (_TAG + "bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_TAG + "int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (_TAG + "float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
):
    for _char in _first:
        _Loader.yaml_implicit_resolvers.setdefault(_char, []).append((_tag, re.compile(_pattern)))
del _tag, _pattern, _first, _char


def _yaml_error(exc: yaml.YAMLError, source: str) -> LoadError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if "maximum nesting depth" in problem:  # libyaml's own limit (1000 levels), hit before ours
        problem, context = _too_deep(), None
    if context == "expected a single document in the stream":
        problem, context = "the file holds more than one YAML document (a second ---); a request is one document", None
    if context and context_mark is not None and (mark is None or context_mark.line != mark.line
                                                 or context_mark.column != mark.column):
        problem += f" ({context} at line {context_mark.line + 1}, column {context_mark.column + 1})"
    elif context:
        problem += f" ({context})"
    if mark is None:
        return LoadError(problem, source=source)
    return LoadError(problem, source=source, line=mark.line + 1, column=mark.column + 1)


def _mark_error(message: str, mark, source: str) -> LoadError:
    if mark is None:
        return LoadError(message, source=source)
    return LoadError(message, source=source, line=mark.line + 1, column=mark.column + 1)


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _check_yaml_events(text: str, source: str) -> None:
    """One streaming pass (no tree is built): nesting depth, tags, and alias expansion."""
    loader = _Loader(text)
    depth = 0
    expanded = 0  # values in the document once every alias is replaced by what it names
    aliases = 0
    sizes: dict[str, int] = {}
    open_nodes: list[tuple[str | None, int]] = []
    try:
        while loader.check_event():
            event = loader.get_event()
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in _ALLOWED_TAGS:
                raise _mark_error(
                    f"the YAML tag {_show_tag(tag)} is not allowed: a request holds only mappings, lists, "
                    "strings, numbers, booleans and nulls (nothing is executed or constructed)",
                    event.start_mark, source)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _mark_error(_too_deep(), event.start_mark, source)
                open_nodes.append((event.anchor, expanded))
                expanded += 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                anchor, before = open_nodes.pop()
                if anchor is not None:
                    sizes[anchor] = expanded - before
            elif isinstance(event, yaml.ScalarEvent):
                expanded += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                expanded += sizes.get(event.anchor, 1)
            if expanded > MAX_YAML_NODES:
                why = (" through YAML aliases (a \"billion laughs\" document?)" if aliases
                       else "; a request has a few hundred")
                raise _mark_error(f"the document expands to more than {MAX_YAML_NODES:,} values{why}",
                                  event.start_mark, source)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, source) from None
    finally:
        loader.dispose()


def _check_yaml_duplicates(node, source: str, seen_nodes: set) -> None:
    if id(node) in seen_nodes:
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: dict = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _TAG + "merge":
                ident = (key_node.tag, key_node.value)
                if ident in keys:
                    raise _mark_error(f"duplicate key {json.dumps(key_node.value, ensure_ascii=False)} "
                                      f"(first defined on line {keys[ident].line + 1})",
                                      key_node.start_mark, source)
                keys[ident] = key_node.start_mark
            _check_yaml_duplicates(key_node, source, seen_nodes)
            _check_yaml_duplicates(value_node, source, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_yaml_duplicates(item, source, seen_nodes)


def _parse_yaml(text: str, source: str):
    _check_yaml_events(text, source)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise LoadError("the document is empty (only comments or a bare ---)", source=source)
        _check_yaml_duplicates(node, source, set())
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, source) from None
    except RecursionError:  # the event pass bounds depth; keep a safety net
        raise LoadError(_too_deep(), source=source) from None
    finally:
        loader.dispose()
    return _unshare(data)


def _unshare(value):
    """Copy a YAML result so aliased nodes become independent values (safe to edit in place)."""
    if isinstance(value, dict):
        return {k: _unshare(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unshare(v) for v in value]
    return value


# --- normalisation ---------------------------------------------------------------------------

def _import(data: dict) -> LoadResult:
    root = request_schema()
    notes: list[Problem] = []
    if _looks_like_describe(data):
        kind = "describe-response"
        request = _from_describe(data, root, notes)
        if "Tags" not in request:
            notes.append(_tags_missing_note())
        request = _api_order(request, root)
    elif _looks_like_skeleton(data, root):
        kind = "skeleton"
        pruned: list[Path] = []
        request = _prune_skeleton(data, root, (), pruned)
        if request is _DROP:
            request = {}
        if pruned:
            notes.append(Problem(
                (), f"This is an AWS CLI skeleton (--generate-cli-skeleton): removed {len(pruned)} unfilled "
                "placeholder(s): " + ", ".join(format_path(p) for p in pruned) + ". Empty strings, zeros, "
                "the skeleton's `true` booleans and sections holding nothing else count as placeholders; "
                "set any of them again if you meant it.", WARNING, "load.skeleton", tuple(pruned)))
        kept: list[tuple[Path, str]] = []
        _enum_leaves(request, root, (), kept)
        notes.extend(Problem(path, f"check {value!r}: this came from an AWS CLI skeleton, which fills every "
                             "enum field with a random allowed value", WARNING, "load.skeleton-enum")
                     for path, value in kept)
    else:
        kind = "request"
        request = data
    request = _coerce_strings(request, root, (), notes)
    return LoadResult(request, notes, kind)


def _looks_like_describe(data: dict) -> bool:
    return _RESPONSE_METADATA in data or any(key in data for key in _DESCRIBE_MARKERS)


def _tags_missing_note() -> Problem:
    return Problem(("Tags",), "DescribeTrainingJob does not return the job's tags; add them again "
                   "(ListTags on the job's ARN shows them).", WARNING, "load.tags-missing")


def _is_read_only(node: Node) -> bool:
    return bool(node.doc) and _READ_ONLY_DOC.search(node.doc) is not None


def _from_describe(response: dict, root: Node, notes: list[Problem]) -> dict:
    dropped: list[Path] = []
    request = _drop_output_members(response, root, (), dropped)
    name = request.get("TrainingJobName")
    if dropped:
        notes.append(Problem(
            (), f"Imported a DescribeTrainingJob response: dropped {len(dropped)} read-only field(s) that "
            "CreateTrainingJob does not accept: " + ", ".join(format_path(p) for p in dropped) + ".",
            WARNING, "load.describe-readonly", tuple(dropped)))
    if isinstance(name, str) and name:
        notes.append(Problem(
            ("TrainingJobName",), f"Copied the name of the existing job {name!r}; training job names are "
            "unique per account and Region and cannot be reused, so choose a new one before submitting.",
            WARNING, "load.clone-name"))
    return request


def _drop_output_members(value, node: Node | None, path: Path, dropped: list[Path]):
    if node is None:
        return value
    if node.kind == "structure" and isinstance(value, dict):
        out = {}
        for key, item in value.items():
            child = node.member(key) if isinstance(key, str) else None
            if child is None or _is_read_only(child):
                dropped.append(path + (key,))
                continue
            out[key] = _drop_output_members(item, child, path + (key,), dropped)
        return out
    if node.kind == "list" and isinstance(value, list):
        return [_drop_output_members(v, node.item, path + (i,), dropped) for i, v in enumerate(value)]
    if node.kind == "map" and isinstance(value, dict):
        return {k: _drop_output_members(v, node.value, path + (k,), dropped) for k, v in value.items()}
    return value


def _api_order(value, node: Node | None):
    """Structure keys in the API's member order (unknown keys, if any, keep their place at the end)."""
    if node is None:
        return value
    if node.kind == "structure" and isinstance(value, dict):
        ordered = {m.name: _api_order(value[m.name], m) for m in node.members if m.name in value}
        ordered.update({k: v for k, v in value.items() if k not in ordered})
        return ordered
    if node.kind == "list" and isinstance(value, list):
        return [_api_order(v, node.item) for v in value]
    if node.kind == "map" and isinstance(value, dict):
        return {k: _api_order(v, node.value) for k, v in value.items()}
    return value


# Skeleton placeholders: what botocore's ArgumentGenerator writes for each type. Enum strings are a
# random member of the enum, so they are *ambiguous*: dropped only with a section that holds
# nothing else.
_PLACEHOLDER, _AMBIGUOUS, _DEFINITE = "placeholder", "ambiguous", "definite"
_DROP = object()


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


def _looks_like_skeleton(data: dict, root: Node) -> bool:
    """Most leaves are the CLI's placeholders ("", 0, true, {"KeyName": ""})."""
    counts = {_PLACEHOLDER: 0, _AMBIGUOUS: 0, _DEFINITE: 0}
    _census(data, root, counts)
    return counts[_PLACEHOLDER] >= 10 and counts[_PLACEHOLDER] > counts[_DEFINITE]


def _enum_leaves(value, node: Node | None, path: Path, out: list) -> None:
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


def _prune_skeleton(value, node: Node | None, path: Path, pruned: list[Path]):
    """The value without placeholders, or _DROP. Records the topmost pruned paths only."""
    if node is None:
        return value  # not in the schema: leave it for validation to report
    if node.kind == "structure" and isinstance(value, dict):
        local: list[Path] = []
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


def _coerce_strings(value, node: Node | None, path: Path, notes: list[Problem]):
    """Numbers and booleans given where the model wants a string (map keys included) become strings."""
    if node is None:
        return value
    if node.kind == "structure" and isinstance(value, dict):
        return {k: _coerce_strings(v, node.member(k) if isinstance(k, str) else None, path + (k,), notes)
                for k, v in value.items()}
    if node.kind == "list" and isinstance(value, list):
        return [_coerce_strings(v, node.item, path + (i,), notes) for i, v in enumerate(value)]
    if node.kind == "map" and isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if node.key is not None and node.key.kind == "string" and _is_scalar_number(key):
                text = _as_string(key)
                notes.append(Problem(path + (text,), f"converted the key {_show(key)} to the string "
                                     f"{json.dumps(text)}", WARNING, "load.string-coerced"))
                key = text
            out[key] = _coerce_strings(item, node.value, path + (key,), notes)
        return out
    if node.kind == "string" and _is_scalar_number(value):
        text = _as_string(value)
        notes.append(Problem(path, f"converted {_show(value)} to the string {json.dumps(text)}: "
                             "SageMaker takes this field as a string", WARNING, "load.string-coerced"))
        return text
    return value


def _is_scalar_number(value) -> bool:
    return isinstance(value, (bool, int, float))


def _as_string(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)  # shortest text that round-trips: 0.1 -> "0.1", 1e-05 -> "1e-05"


def _show(value) -> str:
    if isinstance(value, bool):
        return f"the boolean {_as_string(value)}"
    return f"the number {_as_string(value)}"
