"""What an importer returns (LoadResult) or raises (LoadError), and where in the text a problem is."""

from __future__ import annotations

from dataclasses import dataclass, field

from smjob.problems import Problem

KINDS = ("request", "describe-response", "skeleton")


class LoadError(Exception):
    """A document that cannot be turned into a request."""

    _syntax = False  # a JSON syntax error: when the format was only sniffed, YAML gets a try

    def __init__(
        self, message: str, *, source: str = "<text>", line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass
class LoadResult:
    request: dict
    notes: list[Problem] = field(default_factory=list)
    kind: str = "request"  # "request" | "describe-response" | "skeleton"
    source: str | None = None  # the file it came from: the editor's status line names it


def line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1
