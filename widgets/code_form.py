"""The Code section's form: smjob's own settings (not an API member), saved with the draft.

`state` is the app's CodeState (tui/code_state.py): source_dir, entry_point, requirements, ignore,
update(**values), current (the folder's last check) and problem(request). `changed()` is called
inside the keystroke's handler after each edit, as field edits are.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Static

from smjob.code.bundle import mib
from smjob.terminal_text import visible
from smjob.widgets.base import MarksFocus, set_focus_mark, update_if_changed
from smjob.widgets.inputs import TextInput

INTRO = (
    "smjob's own settings: at submit the folder goes to <output path>/<job>/code/<digest>/ and the "
    "request gets a `code` channel and an entrypoint running the script with the hyperparameters (preview: F2)."
)


class CodeForm(MarksFocus, Vertical, can_focus=False):
    DEFAULT_CSS = """
    CodeForm { height: auto; }
    CodeForm .code-intro { color: $text-muted; padding-left: 1; }  /* lined up with the settings */
    CodeForm .code-field { height: auto; margin-top: 1; border-left: blank; }
    CodeForm .code-field.-unlabelled { margin-top: 0; }
    CodeForm .code-label { height: 1; }
    CodeForm #code-status { height: auto; padding-left: 1; }
    /* The focused setting is marked as a request field is (FieldEditor): a bar and its label. */
    CodeForm .code-field.-focused { border-left: thick $accent; }
    CodeForm .code-field.-focused > .code-label { background: $accent 25%; }
    """

    def __init__(self, state, changed: Callable[[], None], request: Callable[[], dict], **kwargs) -> None:
        super().__init__(classes="field-editor code-form", **kwargs)
        self.state = state
        self.changed = changed
        self.request = request

    def compose(self) -> ComposeResult:
        s = self.state
        yield Static(INTRO, classes="code-intro", markup=False)
        yield Static("", id="code-status")  # first: in view at 80x24 while the fields are edited
        yield _setting(
            Text("Source folder", style="bold"),
            TextInput(
                s.source_dir,
                placeholder="a local folder, e.g. ./src (empty: no code)",
                id="code-source",
                edited=self._edit,
                compact=True,
            ),
        )
        yield _setting(
            Text("Entry script", style="bold").append("  .py or .sh, inside the folder", style="dim"),
            TextInput(s.entry_point, placeholder="e.g. train.py", id="code-entry", edited=self._edit, compact=True),
        )
        yield _setting(
            None,
            Checkbox("pip install -r requirements.txt first", s.requirements, id="code-requirements", compact=True),
        )
        yield _setting(
            Text("Ignore patterns", style="bold").append("  not uploaded; commas or spaces", style="dim"),
            TextInput(", ".join(s.ignore), id="code-ignore", edited=self._edit, compact=True),
        )

    def _mark_focused(self) -> None:
        focused = self.focused_now()
        for setting in self.query_children(".code-field"):
            set_focus_mark(setting, focused is not None and focused.parent is setting, ".code-label")

    def on_mount(self) -> None:
        self.show_check()

    def focus_input(self) -> None:
        found = self.query("#code-source")
        if found:
            found.first().focus()
        else:  # asked before the form composed its inputs
            self.call_after_refresh(self.focus_input)

    def _edit(self, _value: str = "") -> None:
        self.state.update(
            source_dir=self.query_one("#code-source", TextInput).value,
            entry_point=self.query_one("#code-entry", TextInput).value,
            ignore=tuple(p for p in re.split(r"[,\s]+", self.query_one("#code-ignore", TextInput).value) if p),
        )
        self.changed()
        self.show_check()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if event.value != self.state.requirements:
            self.state.update(requirements=event.value)
            self.changed()
            self.show_check()

    def show_check(self) -> None:
        """The folder's state: not set, the problem, checking, or its files and size."""
        s = self.state
        text = Text()
        if s.settings is None:
            text.append("No source folder: the request is sent as it is.", style="dim")
        elif problem := s.problem(self.request()):
            text.append("✗ ", style="bold red")
            text.append(visible(problem, multiline=True), style="red")
        elif (checked := s.current) is None:
            text.append("checking the folder…", style="dim")
        else:
            text.append("✓ ", style="bold green")
            text.append(f"{checked.files} file(s), {mib(checked.size)}, digest {checked.digest[:16]}")
            for warning in checked.warnings:
                text.append("\n! ", style="bold yellow")
                text.append(visible(warning, multiline=True), style="yellow")
        update_if_changed(self.query_one("#code-status", Static), text)  # runs on every keystroke

    def show_problems(self, problems) -> None:  # the editor calls this on every field editor
        pass


def _setting(label: Text | None, *inputs) -> Vertical:
    """One setting: its label over its input(s), marked as a whole when one of them has the focus."""
    if label is None:  # a checkbox says what it is
        return Vertical(*inputs, classes="code-field -unlabelled")
    return Vertical(Static(label, classes="code-label"), *inputs, classes="code-field")
