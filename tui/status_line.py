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

    def shorten(self) -> bool:
        if self.chosen + 1 < len(self.forms):
            self.chosen += 1
            return True
        return False


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

    def width(name_length: int) -> int:
        parts = [p.text for p in tail if p.text is not None]
        return len("smjob ") + name_length + 2 + verdict.cell_len + sum(2 + t.cell_len for t in parts)

    for part in (target, cost, file, cost, target):  # short forms, then left out: the name stays whole
        if part is not None and width(cell_len(name)) > room:
            part.shorten()
    for part in (target, cost):  # a later part's short form may have made room for an earlier one's long
        while part is not None and part.chosen > 0:
            part.chosen -= 1
            if width(cell_len(name)) > room:
                part.chosen += 1
                break
    if file is not None and (over := width(cell_len(name)) - room) > 0:  # a long source (an example's URL) is cut
        text = file.text
        keep = max(min(text.cell_len, SOURCE_MIN), text.cell_len - over - 1)
        if keep < text.cell_len:
            cut = text[:keep] if len(file.forms) == 1 else text[text.cell_len - keep :]  # a path: its end
            file.forms[file.chosen] = cut + "…" if len(file.forms) == 1 else Text("…") + cut
    shown_name = fit_middle(name, max(min(cell_len(name), NAME_MIN), cell_len(name) - (width(cell_len(name)) - room)))
    line = Text("smjob ", style="bold")
    line.append(shown_name)
    line.append("  ")
    line.append_text(verdict)
    for part in tail:
        if part.text is not None:
            line.append("  ")
            line.append_text(part.text)
    return line
