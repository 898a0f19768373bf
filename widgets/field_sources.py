"""Where a new job's field value came from, for its header: "from config.yaml" (the SDK's file) or
"from smjob defaults" (`smjob defaults set`, "Save as my default")."""

from __future__ import annotations

import os


def source_note(editor) -> str:
    """The note for `editor` (a field editor) when its owner's new job filled it or a structure above it."""
    try:
        sources = getattr(editor.owner, "field_sources", None)
    except LookupError:  # not mounted under an owner yet
        return ""
    if not sources:
        return ""
    path = editor.path
    for depth in range(len(path), 0, -1):
        where = sources.get(path[:depth])
        if where:
            return "from " + ("smjob defaults" if where.startswith("smjob defaults") else os.path.basename(where))
    return ""
