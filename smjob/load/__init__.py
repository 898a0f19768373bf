"""Importers: a JSON or YAML file, an AWS CLI skeleton or a DescribeTrainingJob response -> a request dict.

Pure functions: the only I/O is reading the file `load_file` is given. Every failure is a
`LoadError` carrying the source, a 1-based line and column when known, and a plain message.
Whatever the importer changed is reported as `notes` (Problems) next to the request.

What gets changed, and when:
- every document: numbers and booleans given for string fields (typically YAML's `lr: 0.1` or
  `flag: true` in HyperParameters or Environment) become strings, one warning per value;
- an AWS CLI skeleton (`aws sagemaker create-training-job --generate-cli-skeleton`): its unfilled
  placeholders are pruned, in one summary note;
- a DescribeTrainingJob response: members that DescribeTrainingJob returns (botocore's output
  shape, at any depth) and CreateTrainingJob does not take or documents as read-only, and
  ResponseMetadata, are dropped, in one summary note.
Any other unknown key stays, in every kind of document: validation reports it at its path (with
"did you mean"). Refused with a LoadError at its place: duplicate keys (also `1` and `"1"` in
YAML), self-containing YAML aliases, integers beyond 64 bits and infinite or NaN numbers.

Modules: `parse` (bytes and text -> a mapping, with `json_parse`, `yaml_parse`, `yaml_loader` and
`numbers`), `describe`, `response_shape` and `cli_skeleton` (recognising and cleaning those documents),
`normalise` (string coercion, API member order), `limits`, `result` (LoadResult, LoadError).
"""

from __future__ import annotations

import os
import stat

from smjob.load.cli_skeleton import looks_like_skeleton, request_from_skeleton
from smjob.load.describe import from_describe, looks_like_describe, request_from_response
from smjob.load.limits import MAX_BYTES, MAX_DEPTH, MAX_YAML_NODES, too_big
from smjob.load.normalise import coerce_strings
from smjob.load.parse import decode, format_from_name, parse_mapping
from smjob.load.result import KINDS, LoadError, LoadResult
from smjob.problems import Problem
from smjob.schema import request_schema

__all__ = [
    "KINDS",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_YAML_NODES",
    "LoadError",
    "LoadResult",
    "from_describe",
    "load_file",
    "load_text",
]


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
    if not stat.S_ISREG(info.st_mode):  # a terminal (/dev/tty), pipe or socket would block the reader for good
        raise LoadError("not a regular file (a terminal, device, pipe or socket)", source=source)
    if info.st_size > max_bytes:
        raise LoadError(too_big(info.st_size, max_bytes), source=source)
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
        raise LoadError(too_big(None, max_bytes), source=source)
    if not data.strip():
        raise LoadError("the file is empty", source=source)
    text = decode(data, source)
    result = load_text(text, source=source, fmt=fmt or format_from_name(source), max_bytes=max_bytes)
    result.source = source
    return result


def load_text(text: str, *, source: str = "<text>", fmt: str | None = None, max_bytes: int = MAX_BYTES) -> LoadResult:
    """Import a request from JSON or YAML text. `fmt` is "json", "yaml" or None (sniff)."""
    if not isinstance(text, str):
        raise TypeError(f"load_text needs a str, got {type(text).__name__}")
    return _import(parse_mapping(text, source=source, fmt=fmt, max_bytes=max_bytes))


def _import(data: dict) -> LoadResult:
    root = request_schema()
    notes: list[Problem] = []
    if looks_like_describe(data):
        kind = "describe-response"
        request = request_from_response(data, root, notes)
    elif looks_like_skeleton(data, root):
        kind = "skeleton"
        request = request_from_skeleton(data, root, notes)
    else:
        kind = "request"
        request = data
    request = coerce_strings(request, root, (), notes)
    return LoadResult(request, notes, kind)
