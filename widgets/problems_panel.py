"""All problems of the request, with paths; Enter on one jumps to its field, `i` asks to ignore
its rule for this job (the app decides whether it can be: IgnoreRule). Findings of ignored rules
are listed last, dimmed, so an override is never invisible."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from smjob.problems import ERROR, Problem
from smjob.widgets.base import literal, short, wrap_shape
from smjob.widgets.messages import JumpTo
from smjob.widgets.textual_fixes import replace_prompts


def _prompt(problem: Problem) -> Text:
    icon, style = ("✗", "bold red") if problem.severity == ERROR else ("!", "yellow")
    text = Text(f"{icon} ", style=style)
    where, rest = problem.listed()  # the path once: "RoleArn is required", not "RoleArn: RoleArn is..."
    text.append(where, style="bold")
    text.append_text(literal(short(rest)))  # a message quoting a 1 MB value: seconds to wrap
    return text


def _ignored_prompt(problem: Problem) -> Text:
    text = Text(f"ignored {problem.rule}: ", style="dim italic")
    where, rest = problem.listed()
    text.append(where, style="dim")
    message = literal(short(rest))
    message.stylize("dim")
    text.append_text(message)
    return text


class ProblemsPanel(OptionList):
    DEFAULT_CSS = """
    ProblemsPanel { height: auto; max-height: 6; border: none; border-top: solid $primary-darken-2; padding: 0; }
    """
    BINDINGS = [Binding("i", "ignore_rule", "Ignore rule", id="problems.ignore_rule")]

    class IgnoreRule(Message):
        """The user asked to ignore `problem`'s rule for this job (None: no problem selected)."""

        def __init__(self, problem: Problem | None) -> None:
            super().__init__()
            self.problem = problem

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.problems: list[Problem] = []
        self.ignored: list[Problem] = []

    def show(self, problems: list[Problem], ignored=()) -> None:
        if self.option_count and list(problems) == self.problems and list(ignored) == self.ignored:
            return  # unchanged: keep the options and the highlight
        if self._reword(list(problems), list(ignored)):
            return
        self.problems, self.ignored = list(problems), list(ignored)
        highlighted = self.highlighted
        self.clear_options()
        if not problems:
            self.add_option(Option(Text("No problems: the request is valid.", style="green"), disabled=True))
        else:
            self.add_options([Option(_prompt(p), id=f"p{i}") for i, p in enumerate(problems)])
        self.add_options([Option(_ignored_prompt(p), disabled=True) for p in self.ignored])
        if problems:
            self.highlighted = 0 if highlighted is None else min(highlighted, len(problems) - 1)

    def _reword(self, problems: list[Problem], ignored: list) -> bool:
        """Only messages changed, each wrapping as before (a count that changes on each key): their
        options are re-rendered in place. Clearing and adding the options lays the screen out again
        and repaints it whole, ~10 ms a key."""
        if ignored != self.ignored or len(problems) != len(self.problems) or not problems:
            return False
        prompts = {}
        for index, (new, old) in enumerate(zip(problems, self.problems, strict=True)):
            if (new.path, new.severity, new.rule) != (old.path, old.severity, old.rule):
                return False
            if new.message != old.message:
                prompt, before = _prompt(new), _prompt(old)
                if wrap_shape(prompt.plain) != wrap_shape(before.plain):
                    return False
                prompts[f"p{index}"] = prompt
        self.problems = problems
        replace_prompts(self, prompts)
        return True

    @property
    def selected_problem(self) -> Problem | None:
        index = self.highlighted
        return self.problems[index] if index is not None and index < len(self.problems) else None

    def action_ignore_rule(self) -> None:
        self.post_message(self.IgnoreRule(self.selected_problem))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.problems):
            self.post_message(JumpTo(self.problems[event.option_index].path))
