"""Messages widgets post upward. Widgets never read each other; one handler owns the request."""

from __future__ import annotations

from textual.message import Message

from smjob.paths import FieldPath


class FieldChanged(Message):
    """The user edited the value at `path`. `value` is None to remove the member.

    Text that does not parse (e.g. `12x` in an integer field) is sent as the raw string, so the
    draft keeps exactly what was typed and validation reports it at that path.
    """

    def __init__(self, path: FieldPath, value) -> None:
        super().__init__()
        self.path = path
        self.value = value


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
