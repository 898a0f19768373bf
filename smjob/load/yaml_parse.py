"""YAML -> Python safely: only plain tags, bounded depth and alias expansion, no duplicate keys."""

from __future__ import annotations

import json

import yaml

from smjob.load.limits import MAX_DEPTH, MAX_YAML_NODES, too_deep
from smjob.load.result import LoadError
from smjob.load.yaml_loader import TAG, Loader

_ALLOWED_TAGS = frozenset({"!"} | {TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq")})


def _yaml_error(exc: yaml.YAMLError, source: str) -> LoadError:
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
                why = (
                    ' through YAML aliases (a "billion laughs" document?)'
                    if aliases
                    else "; a request has a few hundred"
                )
                raise _mark_error(
                    f"the document expands to more than {MAX_YAML_NODES:,} values{why}", event.start_mark, source
                )
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
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != TAG + "merge":
                ident = (key_node.tag, key_node.value)
                if ident in keys:
                    raise _mark_error(
                        f"duplicate key {json.dumps(key_node.value, ensure_ascii=False)} "
                        f"(first defined on line {keys[ident].line + 1})",
                        key_node.start_mark,
                        source,
                    )
                keys[ident] = key_node.start_mark
            _check_yaml_duplicates(key_node, source, seen_nodes)
            _check_yaml_duplicates(value_node, source, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_yaml_duplicates(item, source, seen_nodes)


def parse_yaml(text: str, source: str):
    _check_yaml_events(text, source)
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise LoadError("the document is empty (only comments or a bare ---)", source=source)
        _check_yaml_duplicates(node, source, set())
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, source) from None
    except RecursionError:  # the event pass bounds depth; keep a safety net
        raise LoadError(too_deep(), source=source) from None
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
