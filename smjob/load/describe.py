"""DescribeTrainingJob responses -> requests: drop what CreateTrainingJob does not accept, add tags."""

from __future__ import annotations

import re

from smjob.load import response_shape
from smjob.load.normalise import api_order, coerce_strings
from smjob.load.result import LoadResult
from smjob.paths import FieldPath, format_path
from smjob.problems import WARNING, Problem
from smjob.schema import Node, request_schema

_RESPONSE_METADATA = "ResponseMetadata"  # boto3 adds it to every response
# Members that share a shape with the request but are documented as output-only
# (ResourceConfig.SelectedInstanceType/SelectedInstanceCount today).
_READ_ONLY_DOC = re.compile(r"read-only and (?:isn't|is not|isn’t) accepted in\s+CreateTrainingJob", re.I)


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
            notes.append(
                Problem(
                    ("Tags",),
                    f"Dropped {len(managed)} AWS-managed tag(s) that a request cannot set "
                    f"(the aws: prefix is reserved): {', '.join(managed)}.",
                    WARNING,
                    "load.aws-tags",
                )
            )
        if kept:
            request["Tags"] = kept
    request = coerce_strings(request, root, (), notes)
    return LoadResult(api_order(request, root), notes, "describe-response")


def request_from_response(data: dict, root: Node, notes: list[Problem]) -> dict:
    """An imported response (no ListTags result to go with it), in the API's member order."""
    request = _from_describe(data, root, notes)
    if "Tags" not in request:
        notes.append(_tags_missing_note())
    return api_order(request, root)


def looks_like_describe(data: dict) -> bool:
    """A top-level member that DescribeTrainingJob returns and CreateTrainingJob does not take."""
    if _RESPONSE_METADATA in data:
        return True
    tree, root = response_shape.response_tree(), request_schema()
    return any(
        response_shape.member(tree, key) is not None and root.member(key) is None
        for key in data
        if isinstance(key, str)
    )


def _tags_missing_note() -> Problem:
    return Problem(
        ("Tags",),
        "DescribeTrainingJob does not return the job's tags; add them again (ListTags on the job's ARN shows them).",
        WARNING,
        "load.tags-missing",
    )


def _is_read_only(node: Node) -> bool:
    return bool(node.doc) and _READ_ONLY_DOC.search(node.doc) is not None


def _from_describe(response: dict, root: Node, notes: list[Problem]) -> dict:
    dropped: list[FieldPath] = []
    request = _drop_output_members(response, root, response_shape.response_tree(), (), dropped)
    name = request.get("TrainingJobName")
    if dropped:
        notes.append(
            Problem(
                (),
                f"Imported a DescribeTrainingJob response: dropped {len(dropped)} read-only field(s) that "
                "CreateTrainingJob does not accept: " + ", ".join(format_path(p) for p in dropped) + ".",
                WARNING,
                "load.describe-readonly",
                tuple(dropped),
            )
        )
    if isinstance(name, str) and name:
        notes.append(
            Problem(
                ("TrainingJobName",),
                f"Copied the name of the existing job {name!r}; training job names are "
                "unique per account and Region and cannot be reused, so choose a new one before submitting.",
                WARNING,
                "load.clone-name",
            )
        )
    return request


def _drop_output_members(value, node: Node | None, tree, path: FieldPath, dropped: list[FieldPath]):
    """`value` without the members DescribeTrainingJob returns and CreateTrainingJob does not take.

    Only members of the response shape (`tree`) are dropped: anything else, a misspelt `RoleArm`
    or `InstanceCont`, stays for validation to report at its path."""
    if node is None:
        return value
    if node.kind == "structure" and isinstance(value, dict):
        out = {}
        for key, item in value.items():
            child = node.member(key) if isinstance(key, str) else None
            returned = response_shape.member(tree, key)
            output_only = (child is None or _is_read_only(child)) and returned is not None
            if output_only or (not path and key == _RESPONSE_METADATA):
                dropped.append(path + (key,))
                continue
            out[key] = _drop_output_members(item, child, returned, path + (key,), dropped)
        return out
    if node.kind == "list" and isinstance(value, list):
        inner = response_shape.item(tree)
        return [_drop_output_members(v, node.item, inner, path + (i,), dropped) for i, v in enumerate(value)]
    if node.kind == "map" and isinstance(value, dict):
        inner = response_shape.value(tree)
        return {k: _drop_output_members(v, node.value, inner, path + (k,), dropped) for k, v in value.items()}
    return value
