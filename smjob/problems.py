"""A problem found in a request: where, what, how bad, and which check found it."""

from __future__ import annotations

from dataclasses import dataclass, field

from smjob.paths import FieldPath, format_path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    path: FieldPath  # the main field; () for the whole request
    message: str  # plain text, no markup
    severity: str = ERROR
    rule: str = "schema"  # rule id, e.g. "schema.pattern", "spot.max-wait"
    related: tuple[FieldPath, ...] = field(default=())  # other fields a cross-field problem involves
    doc_url: str = ""

    @property
    def where(self) -> str:
        return format_path(self.path) or "(request)"

    @property
    def paths(self) -> tuple[FieldPath, ...]:
        return (self.path, *self.related)

    def _name_length(self) -> int:
        """The length of the field's name the message starts with (its path, or the end of it), or 0."""
        for start in range(len(self.path)):
            if isinstance(self.path[start], int):
                continue
            name = format_path(self.path[start:])
            if self.message.startswith(name + " "):
                return len(name)
        return 0

    def message_under(self, path: FieldPath) -> str:
        """The message shown under the field at `path`: a leading name of that field (its path, or
        the end of it) followed by its verb becomes "This": the label above says which field, and a
        full path wraps over several lines at 80 columns. The problems list and the CLI still name
        the path. Rules word a message about their own field as "<name> <verb> ..." for this."""
        if tuple(path) != self.path:
            return self.message
        length = self._name_length()
        rest = self.message[length + 1 :]
        return "This " + rest if length and rest[:1].islower() else self.message

    def message_within(self, path: FieldPath) -> str:
        """The message under a field at `path` that shows this problem's item or key itself (a map,
        a list of strings): it names the entry, unless it already quotes the key."""
        inner = self.path[len(path) :]
        if not inner:
            return self.message_under(path)
        if len(inner) == 1 and isinstance(inner[0], str) and f"'{inner[0]}'" in self.message:
            return self.message  # "key '1BAD' has '1' at character 1; ..."
        where = format_path(inner)
        return f"{where} {self.message}" if self.message[:1].islower() else f"{where}: {self.message}"

    def listed(self) -> tuple[str, str]:
        """(where, rest): the problems list shows the path, then the message. A message that starts
        with the field's name goes on from the path as one sentence ("RoleArn is required"), not
        "RoleArn: RoleArn is required"; any other follows a colon."""
        length = self._name_length()
        return self.where, (self.message[length:] if length else ": " + self.message)

    def to_dict(self) -> dict:
        return {
            "path": self.where,
            "message": self.message,
            "severity": self.severity,
            "rule": self.rule,
            "related": [format_path(p) for p in self.related],
            **({"doc_url": self.doc_url} if self.doc_url else {}),
        }

    def line(self) -> str:
        """`RoleArn is required`, `Tags[0].Key: has ...`: the path named once (listed)."""
        return "".join(self.listed())

    def __str__(self) -> str:
        return f"{self.severity}: {self.line()} [{self.rule}]"


def has_errors(problems) -> bool:
    return any(p.severity == ERROR for p in problems)


def problems_by_path(problems) -> dict[str, list[Problem]]:
    """Each problem under every path it involves (cross-field problems highlight all their fields)."""
    out: dict[str, list[Problem]] = {}
    for problem in problems:
        for path in problem.paths:
            out.setdefault(format_path(path), []).append(problem)
    return out
