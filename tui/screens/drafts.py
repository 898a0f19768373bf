"""The draft shelf in the app: the "Open draft" list, and the questions asked before unsaved edits
could be lost (replacing the request, quitting when the autosave fails)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from smjob.drafts import Draft, problem_counts, remove_draft, scan
from smjob.terminal_text import visible
from smjob.tui.screens.dialogs import DIALOG_CSS, ChoiceScreen, ConfirmScreen


def unsaved_edits_question(name: str, saved: bool, error: str | None = None) -> ChoiceScreen:
    """Before open, paste, clone, resubmit, new job or open draft replace edits not exported."""
    if saved:
        state = "They are kept on the shelf of drafts unless you discard them."
    else:
        state = f"The draft could NOT be saved ({error or 'autosave is off'}): export it (F10) or discard it."
    return ChoiceScreen(
        f"{name} has edits that were not exported. {state}",
        [("keep", "Keep as draft", "k"), ("discard", "Discard", "d"), ("cancel", "Cancel", "c")],
        focus="keep" if saved else "cancel",
        disabled=() if saved else ("keep",),
    )


def quit_unsaved_question(error: str) -> ChoiceScreen:
    """ctrl+q when the autosave failed: saying "the draft is saved" would be a lie."""
    return ChoiceScreen(
        f"Your edits are NOT saved: the draft could not be written ({error}). Quitting now loses them.",
        [("export", "Export elsewhere…", "e"), ("quit", "Quit without saving", "q"), ("cancel", "Cancel", "c")],
        focus="export",
    )


def draft_label(draft: Draft, *, current: bool) -> Text:
    when = datetime.fromtimestamp(draft.modified).strftime("%Y-%m-%d %H:%M")
    errors, _ = problem_counts(draft.request)
    text = Text(f"{when}  ")
    text.append(f"{'valid' if not errors else f'{errors} error(s)':<11}", style="green" if not errors else "red")
    text.append(" ")
    text.append(visible(draft.name))  # a plain append: never parsed as markup
    if current:
        text.append("  (in the editor)", style="dim")
    return text


class DraftsScreen(ModalScreen[Draft | None]):
    """The shelf, newest first: Enter opens a draft, Delete removes one (after asking)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="drafts.close"),
        Binding("delete", "remove", "Remove", id="drafts.remove"),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="DraftsScreen")
        + """
    DraftsScreen OptionList { height: auto; max-height: 16; }
    """
    )

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current
        self.drafts: list[Draft] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Drafts: Enter opens, Delete removes, Esc closes", classes="dialog-title")
            yield OptionList(id="drafts")
            yield Static("", id="drafts-empty")

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one(OptionList).focus()

    def refresh_list(self) -> None:
        try:
            self.drafts, problems = scan()
        except OSError as exc:
            self.drafts, problems = [], []
            self.app.notify(f"The drafts cannot be listed: {exc}", severity="error", timeout=15)
        for problem in problems:  # moved aside: say where, so it can be repaired by hand
            self.app.notify(problem.message, title="Unreadable draft", severity="warning", timeout=20)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(draft_label(d, current=d.id == self.current), id=d.id) for d in self.drafts])
        if self.drafts:
            options.highlighted = 0
        empty = "" if self.drafts else "No drafts yet: the editor saves one per job as soon as you edit it."
        self.query_one("#drafts-empty", Static).update(empty)

    def _highlighted(self) -> Draft | None:
        index = self.query_one(OptionList).highlighted
        return self.drafts[index] if index is not None and index < len(self.drafts) else None

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.drafts[event.option_index])

    def action_remove(self) -> None:
        draft = self._highlighted()
        if draft is None:
            return
        if draft.id == self.current:
            self.app.notify("That draft is open in the editor; open another job first.", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                try:
                    remove_draft(draft.id)
                except OSError as exc:
                    self.app.notify(f"Could not remove {draft.path}: {exc}", severity="error")
                self.refresh_list()

        self.app.push_screen(ConfirmScreen(f"Remove the draft {visible(draft.name)}?", yes="Remove"), answered)
