"""Messages widgets post upward: where to go and what to show. Edits are not messages.

Widgets never read each other, and one handler owns the request: every edit is a direct call to
the widgets' RequestOwner (widgets/owner.py), `apply_edit(path, value)`, made inside the event
that caused it, and values are read back with `value_at(path)`. Nothing is applied twice, and no
widget keeps its own copy of the request.
"""

from __future__ import annotations

from textual.message import Message

from smjob.paths import FieldPath


class JumpTo(Message):
    """Show and focus the field at `path` (from the problems panel, server errors, search)."""

    def __init__(self, path: FieldPath) -> None:
        super().__init__()
        self.path = path


class ShowHelp(Message):
    """Show the documentation of the field at `path`."""

    def __init__(self, path: FieldPath) -> None:
        super().__init__()
        self.path = path
