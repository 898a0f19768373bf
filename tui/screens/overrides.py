"""Rule overrides in the app: "ignore this rule for this job" on a problem, and the list to stop.

The 45 cross-field rules encode documentation, and the service changes: a wrong rule must not
block a valid job. The overrides live in the app's job metadata (SmjobApp.meta["ignore_rules"]),
are autosaved with the draft, recorded in the history, listed in the submit confirmation, and
passed to every validation (smjob.validate's `ignore_rules`). Checks of botocore's model
(rule ids `schema.*`) and the service's own answers are never ignorable.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from smjob.problems import Problem
from smjob.tui.screens.dialogs import DIALOG_CSS
from smjob.widgets.base import literal


def why_not_ignorable(problem: Problem) -> str | None:
    """None when `problem` comes from a rule that can be overridden; else the reason, in words."""
    from smjob.rules import rule_ids

    if problem.rule in rule_ids():
        return None
    if problem.rule.startswith("schema."):
        return (
            "This is a check of the API model (types, limits, allowed values, patterns, required fields): "
            "it cannot be ignored; the service would refuse the request."
        )
    if problem.rule.startswith("aws."):
        return "This was the service's own answer: it cannot be ignored."
    return f"{problem.rule} is not a rule that can be ignored."


def ignore_problem_rule(app, problem: Problem | None) -> None:
    """Add `problem`'s rule to the job's overrides (or say why it cannot be)."""
    if problem is None:
        app.notify("No problem is selected: F3 goes to the problems list.", severity="warning")
        return
    reason = why_not_ignorable(problem)
    if reason is not None:
        app.notify(reason, title="Cannot ignore", severity="warning", timeout=8)
        return
    if problem.rule in app.ignore_rules:
        return
    app.set_ignore_rules((*app.ignore_rules, problem.rule))
    app.notify(
        f"Ignoring {problem.rule} for this job (saved with the draft; palette: Rule overrides… to stop).",
        timeout=6,
    )


def _rule_line(rule_id: str, summaries: dict[str, str]) -> Text:
    line = literal(rule_id)  # read from a draft or history record: control characters shown escaped
    line.stylize("bold")
    if summaries.get(rule_id):
        line.append("  ")
        line.append_text(literal(summaries[rule_id]))
    return line


class RuleOverridesScreen(ModalScreen[tuple[str, ...] | None]):
    """The job's ignored rules; Delete (or Enter) on one stops ignoring it. Dismisses with the
    overrides that remain, or None when nothing changed."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="overrides.close"),
        Binding("delete,backspace", "stop_ignoring", "Stop ignoring", id="overrides.stop"),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="RuleOverridesScreen")
        + """
    RuleOverridesScreen OptionList { height: auto; max-height: 12; }
    RuleOverridesScreen .note { color: $text-muted; }
    """
    )

    def __init__(self, ignore_rules) -> None:
        super().__init__()
        self.rules = list(ignore_rules)
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Rules ignored for this job", classes="dialog-title")
            yield OptionList(id="overrides")
            yield Static(
                "Enter or Delete stops ignoring the highlighted rule. To ignore one: `i` on its problem (F3).",
                classes="note",
            )
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        from smjob.rules import rule_catalog

        summaries = {r["id"]: r["summary"] for r in rule_catalog()}
        options = self.query_one(OptionList)
        options.clear_options()
        if not self.rules:
            options.add_option(Option("No rule is ignored: every rule applies to this job.", disabled=True))
            return
        options.add_options([Option(_rule_line(r, summaries), id=r) for r in self.rules])
        options.highlighted = 0

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_stop_ignoring()

    def action_stop_ignoring(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None or index >= len(self.rules):
            return
        self.rules.pop(index)
        self.changed = True
        self._fill()
        if self.rules:
            options.highlighted = min(index, len(self.rules) - 1)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(tuple(self.rules) if self.changed else None)
