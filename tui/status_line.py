"""The editor's top line: `smjob <job name>  <verdict>  <target>  <cost>  <file>`, fitted to one line.

What must stay is the job's name, the verdict and where the request came from (the file it was
opened from: issue 14 found it cut off at 80 columns behind a long job name). When the whole does
not fit, parts give way in this order: the target and the cost take their short forms, the file its
name without the folder, then the cost and the target go, a long source is cut, and only then is
the job name cut in the middle. F5 shows the target and the cost in full.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from smjob.terminal_text import fit_middle

NAME_MIN = 16  # a job name elided further says nothing
SOURCE_MIN = 24  # a source (a file name) is cut only when longer, and no shorter


@dataclass
class Part:
    """One part of the tail: its forms, longest first; `None` last if it may be left out."""

    forms: list[Text | None]
    chosen: int = 0

    @property
    def text(self) -> Text | None:
        return self.forms[self.chosen]

    def shorten(self) -> None:
        self.chosen = min(self.chosen + 1, len(self.forms) - 1)


def file_forms(source: Text) -> list[Text | None]:
    """A path, then its last part (`/tmp/jobs/train.json` -> `train.json`); any other source (an
    example and its endpoint's URL, a draft, a history entry) as it is."""
    plain = source.plain
    base = plain.rstrip("/").rsplit("/", 1)[-1]
    if not base or base == plain or "://" in plain:
        return [source]
    return [source, Text(base, style=source.style)]


def fit(name: str, verdict: Text, target: Part | None, cost: Part | None, file: Part | None, room: int) -> Text:
    """The line for `room` columns; `name` is the job name already made visible (no control characters)."""
    tail = [p for p in (target, cost, file) if p is not None]
    name_cells = cell_len(name)

    def over() -> int:
        """Columns the line needs beyond `room` with the whole name (negative: to spare)."""
        parts = [p.text for p in tail if p.text is not None]
        return len("smjob ") + name_cells + 2 + verdict.cell_len + sum(2 + t.cell_len for t in parts) - room

    for part in (target, cost, file, cost, target):  # short forms, then left out: the name stays whole
        if part is not None and over() > 0:
            part.shorten()
    for part in (target, cost):  # a later part's short form may have made room for an earlier one's long
        while part is not None and part.chosen > 0:
            part.chosen -= 1
            if over() > 0:
                part.chosen += 1
                break
    if file is not None and (extra := over()) > 0:  # a long source (an example's URL) is cut
        text, is_path = file.text, len(file.forms) > 1
        keep = max(min(text.cell_len, SOURCE_MIN), text.cell_len - extra - 1)
        if keep < text.cell_len:  # a path keeps its end (the file's name), anything else its start
            file.forms[file.chosen] = Text("…") + text[text.cell_len - keep :] if is_path else text[:keep] + "…"
    shown_name = fit_middle(name, max(min(name_cells, NAME_MIN), name_cells - over()))
    line = Text("smjob ", style="bold")
    line.append(shown_name)
    line.append("  ")
    line.append_text(verdict)
    for part in tail:
        if part.text is not None:
            line.append("  ")
            line.append_text(part.text)
    return line
