"""Server validation messages -> request paths: the fields a ValidationException names.

AWS (the Coral validation layer) writes
    Value 'ml.nope' at 'resourceConfig.instanceType' failed to satisfy constraint: ...
    Value null at 'inputDataConfig.1.member.channelName' failed to satisfy constraint: ...
with several clauses joined by "; ". Segments are lowerCamel member names, matched here
case-insensitively against the request schema; `N.member` (or `member.N`) is a list element.
The index is 1-based: published messages show `.1.member.` for the first and only element
(e.g. DynamoDB `transactItems.1.member.update.key` for a one-item TransactItems, Bedrock
`toolConfig.tools.1.member.toolSpec.name` for a single tool), so `.N.` becomes index N-1.
A segment that matches nothing ends the path at the part that did match.
"""

from __future__ import annotations

import re

from smjob.paths import FieldPath
from smjob.problems import ERROR, Problem

_CLAUSE_AT = re.compile(r"\bat '([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*)' failed to satisfy constraint:\s*")
# A clause starts the message, or follows "N validation errors detected:" or the previous clause's "; ".
_VALUE_KEYWORD = re.compile(r"(?:^|(?<=[;:]))\s*(?P<kw>Value)\b")
_MAX_CONSTRAINT = 300


def server_problems(message: str) -> list[Problem]:
    """Problems for every `Value ... at 'a.b.1.member.c' failed to satisfy constraint: ...` clause."""
    if not message:
        return []
    matches = list(_CLAUSE_AT.finditer(message))
    problems: list[Problem] = []
    starts = []  # where each clause's "Value" keyword begins
    prev_end = 0
    for m in matches:
        keywords = list(_VALUE_KEYWORD.finditer(message, prev_end, m.start()))
        starts.append(keywords[-1].start("kw") if keywords else m.start())
        prev_end = m.end()
    for i, m in enumerate(matches):
        value_text = message[starts[i] + 5 : m.start()].strip() if message.startswith("Value", starts[i]) else ""
        end = starts[i + 1] if i + 1 < len(matches) else len(message)
        constraint = message[m.end() : end].strip().rstrip(";").strip()
        path = aws_path(m.group(1))
        text = f"rejected by AWS: {_shorten(constraint)}"
        value = _value(value_text)
        if value is not None:
            text += f" (value {value})"
        problems.append(Problem(path, text, ERROR, "aws.validation"))
    return problems


def _value(text: str) -> str | None:
    if not text or text == "null":
        return None
    if len(text) > 60:
        text = text[:57] + "..."
    return text if text.startswith(("'", "[", "{")) else repr(text)


def _shorten(constraint: str) -> str:
    if len(constraint) <= _MAX_CONSTRAINT:
        return constraint
    m = re.match(r"(.*?\[)(.*)(\].*)$", constraint, re.S)
    if m:
        items = [s.strip() for s in m.group(2).split(",")]
        kept, size = [], len(m.group(1))
        for item in items:
            if size + len(item) > _MAX_CONSTRAINT - 40:
                break
            kept.append(item)
            size += len(item) + 2
        return f"{m.group(1)}{', '.join(kept)}, ... {len(items) - len(kept)} more{m.group(3)}"
    return constraint[: _MAX_CONSTRAINT - 3] + "..."


def aws_path(text: str) -> FieldPath:
    """`inputDataConfig.1.member.dataSource` -> ("InputDataConfig", 0, "DataSource") via the schema.

    Indices are 1-based in AWS messages (see the module docstring); `member` marks a list
    element and is dropped. Unmatched segments end the path at the longest matched prefix.
    """
    from smjob.schema import request_schema

    node = request_schema()
    segs = text.split(".")
    out: list = []
    i = 0
    while i < len(segs) and node is not None:
        seg = segs[i]
        if node.kind == "list":
            if seg == "member" and i + 1 < len(segs) and segs[i + 1].isdigit():
                seg = segs[i + 1]
                i += 1
            if not seg.isdigit():
                break
            out.append(max(int(seg) - 1, 0))
            node = node.item
            i += 1
            if i < len(segs) and segs[i] == "member":
                i += 1
            continue
        if node.kind == "map":  # AWS reports map problems at the map itself; a key here is taken literally
            out.append(seg)
            node = node.value
            i += 1
            continue
        if node.kind != "structure":
            break
        member = next((m for m in node.members if m.name.lower() == seg.lower()), None)
        if member is None:
            break
        out.append(member.name)
        node = member
        i += 1
    return tuple(out)
