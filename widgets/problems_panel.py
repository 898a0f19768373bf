"""All problems of the request, with paths; Enter on one jumps to its field."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from smjob.problems import ERROR, Problem
from smjob.widgets.base import literal
from smjob.widgets.messages import JumpTo


def _prompt(problem: Problem) -> Text:
    icon, style = ("✗", "bold red") if problem.severity == ERROR else ("!", "yellow")
    text = Text(f"{icon} ", style=style)
    text.append(problem.where, style="bold")
    text.append(": ")
    text.append_text(literal(problem.message))
    return text


class ProblemsPanel(OptionList):
    DEFAULT_CSS = """
    ProblemsPanel { height: auto; max-height: 6; border: none; border-top: solid $primary-darken-2; padding: 0; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.problems: list[Problem] = []

    def show(self, problems: list[Problem]) -> None:
        if self.option_count and list(problems) == self.problems:
            return  # unchanged: keep the options and the highlight
        self.problems = list(problems)
        highlighted = self.highlighted
        self.clear_options()
        if not problems:
            self.add_option(Option(Text("No problems: the request is valid.", style="green"), disabled=True))
            return
        self.add_options([Option(_prompt(p)) for p in problems])
        self.highlighted = 0 if highlighted is None else min(highlighted, len(problems) - 1)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.problems):
            self.post_message(JumpTo(self.problems[event.option_index].path))
