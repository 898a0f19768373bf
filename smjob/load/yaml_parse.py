"""YAML -> Python safely: only plain tags, bounded depth and alias expansion, no recursive aliases, no
duplicate keys (`1`, `0x1` and `"1"` included: they collapse into one), no out-of-range numbers."""

from __future__ import annotations

import json

import yaml

from smjob.load.limits import MAX_DEPTH, MAX_YAML_NODES, too_deep
from smjob.load.numbers import BadNumber, describe, first_bad_number
from smjob.load.result import LoadError, line_col
from smjob.load.yaml_loader import TAG, Loader

_ALLOWED_TAGS = frozenset({"!"} | {TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq")})


def _reader_error(exc: yaml.reader.ReaderError, text: str, source: str) -> LoadError:
    """A character YAML does not allow raw (controls, C1, surrogates), at its line and column."""
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    offset = exc.position
    if not (0 <= offset < len(text) and ord(text[offset]) == code):  # libyaml counts UTF-8 bytes
        offset = len(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore"))
    line, column = line_col(text, min(max(offset, 0), len(text)))
    return LoadError(
        f"the character U+{code:04X} is not allowed raw in YAML; inside a double-quoted string "
        f'write it as "\\u{code:04x}"',
        source=source,
        line=line,
        column=column,
    )


def _yaml_error(exc: yaml.YAMLError, source: str, text: str = "") -> LoadError:
    if isinstance(exc, yaml.reader.ReaderError):
        return _reader_error(exc, text, source)
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if "maximum nesting depth" in problem:  # libyaml's own limit (1000 levels), hit before ours
        problem, context = too_deep(), None
    if context == "expected a single document in the stream":
        problem, context = "the file holds more than one YAML document (a second ---); a request is one document", None
    if (
        context
        and context_mark is not None
        and (mark is None or context_mark.line != mark.line or context_mark.column != mark.column)
    ):
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
    return "!!" + tag[len(TAG) :] if tag.startswith(TAG) else tag


def _check_yaml_events(text: str, source: str) -> None:
    """One streaming pass (no tree is built): nesting depth, tags, and alias expansion."""
    loader = Loader(text)
    depth = 0
    expanded = 0  # values in the document once every alias is replaced by what it names
    aliases = 0
    sizes: dict[str, int] = {}
    open_nodes: list[tuple[str | None, int]] = []
    open_anchors: set[str] = set()  # an alias to one of these would make the value contain itself
    try:
        while loader.check_event():
            event = loader.get_event()
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in _ALLOWED_TAGS:
                raise _mark_error(
                    f"the YAML tag {_show_tag(tag)} is not allowed: a request holds only mappings, lists, "
                    "strings, numbers, booleans and nulls (nothing is executed or constructed)",
                    event.start_mark,
                    source,
                )
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _mark_error(too_deep(), event.start_mark, source)
                open_nodes.append((event.anchor, expanded))
                if event.anchor is not None:
                    open_anchors.add(event.anchor)
                expanded += 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                anchor, before = open_nodes.pop()
                if anchor is not None:
                    sizes[anchor] = expanded - before
                    open_anchors.discard(anchor)
            elif isinstance(event, yaml.ScalarEvent):
                expanded += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor in open_anchors:
                    raise _mark_error(
                        f"the alias *{event.anchor} stands for a value that contains this alias: "
                        "a request cannot contain itself",
                        event.start_mark,
                        source,
                    )
                aliases += 1
                expanded += sizes.get(event.anchor, 1)
            if expanded > MAX_YAML_NODES:
                why = (
                    ' through YAML aliases (a "billion laughs" document?)'
                    if aliases
                    else "; a request has a few hundred"
                )
                raise _mark_error(
                    f"the document expands to more than {MAX_YAML_NODES:,} values{why}", event.start_mark, source
                )
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, source, text) from None
    finally:
        loader.dispose()


def _key_text(key):
    """The text a scalar key becomes in a string-keyed map (the importer's coercion): `1` -> "1"."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (int, float)):
        return repr(key)
    return key if isinstance(key, str) else None


def _check_yaml_duplicates(loader, node, source: str, seen_nodes: set) -> None:
    """Keys equal as values (`1`, `01`, `0x1`, `1.0`, `true`) or as text once coerced (`1`, `"1"`)."""
    if id(node) in seen_nodes:
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        by_value: dict = {}
        by_text: dict = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != TAG + "merge":
                key = loader.construct_object(key_node)
                text = _key_text(key)
                first = None
                if not isinstance(key, BadNumber):
                    first = by_value.get(key) or (by_text.get(text) if text is not None else None)
                    by_value.setdefault(key, key_node)
                    if text is not None:
                        by_text.setdefault(text, key_node)
                if first is not None:
                    same = "" if first.value == key_node.value else f" as {json.dumps(first.value, ensure_ascii=False)}"
                    raise _mark_error(
                        f"duplicate key {json.dumps(key_node.value, ensure_ascii=False)}{same} "
                        f"(first defined on line {first.start_mark.line + 1})",
                        key_node.start_mark,
                        source,
                    )
            _check_yaml_duplicates(loader, key_node, source, seen_nodes)
            _check_yaml_duplicates(loader, value_node, source, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_yaml_duplicates(loader, item, source, seen_nodes)


def parse_yaml(text: str, source: str):
    _check_yaml_events(text, source)
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise LoadError("the document is empty (only comments or a bare ---)", source=source)
        _check_yaml_duplicates(loader, node, source, set())
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, source, text) from None
    except RecursionError:  # the event pass bounds depth; keep a safety net
        raise LoadError(too_deep(), source=source) from None
    finally:
        loader.dispose()
    found = first_bad_number(data)
    if found is not None:
        path, bad = found
        raise _mark_error(describe(path, bad), bad.mark, source)
    return _unshare(data)


def _unshare(value):
    """Copy a YAML result so aliased nodes become independent values (safe to edit in place)."""
    if isinstance(value, dict):
        return {k: _unshare(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unshare(v) for v in value]
    return value
