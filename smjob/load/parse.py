"""Bytes -> text -> a mapping: decoding, limits, and JSON or YAML by name, by flag or by sniffing."""

from __future__ import annotations

import codecs

from smjob.load.json_parse import parse_json
from smjob.load.limits import too_big
from smjob.load.result import LoadError, line_col
from smjob.load.yaml_parse import parse_yaml


def parse_mapping(text: str, *, source: str, fmt: str | None, max_bytes: int) -> dict:
    """The document's top-level mapping; LoadError for anything else."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if len(text) > max_bytes:
        raise LoadError(too_big(len(text), max_bytes, unit="characters"), source=source)
    nul = text.find("\x00")
    if nul >= 0:
        line, column = line_col(text, nul)
        raise LoadError(
            f"contains a NUL character at offset {nul}: this is a binary file, "
            "or text in UTF-16/UTF-32 (save it as UTF-8)",
            source=source,
            line=line,
            column=column,
        )
    if not text.strip():
        raise LoadError("the document is empty", source=source)
    fmt = _normalise_format(fmt)
    if fmt == "json":
        data = parse_json(text, source)
    elif fmt == "yaml":
        data = parse_yaml(text, source)
    elif text.lstrip()[:1] in ("{", "["):
        try:
            data = parse_json(text, source)
        except LoadError as json_error:
            if not json_error._syntax:
                raise
            try:  # a flow-style YAML mapping also starts with "{"
                data = parse_yaml(text, source)
            except LoadError:
                raise json_error from None
    else:
        data = parse_yaml(text, source)
    if not isinstance(data, dict):
        what = "JSON object" if fmt == "json" or (fmt is None and text.lstrip()[:1] in "{[") else "mapping"
        line, column = line_col(text, len(text) - len(text.lstrip()))
        raise LoadError(
            f"the request must be a {what}, got {_type_name(data)}", source=source, line=line, column=column
        )
    return data


def decode(data: bytes, source: str) -> str:
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _byte_line_col(data, nul)
        raise LoadError(
            f"contains a NUL byte at byte offset {nul}: this is a binary file, "
            "or text in UTF-16/UTF-32 (save it as UTF-8)",
            source=source,
            line=line,
            column=column,
        )
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        line, column = _byte_line_col(data, offset)
        raise LoadError(
            f"invalid UTF-8 at byte offset {offset} (byte 0x{data[offset]:02x}); save the file as UTF-8",
            source=source,
            line=line,
            column=column,
        ) from None


def _byte_line_col(data: bytes, offset: int) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def format_from_name(name: str) -> str | None:
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
