"""The smjob app: wires screens, global bindings, autosave and the palette. State lives in EditorScreen."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding

from smjob.aws import Target
from smjob.tui.commands import SmjobCommands
from smjob.tui.screens.editor import EditorScreen

if TYPE_CHECKING:
    from smjob.history import History

AUTOSAVE_DELAY = 0.5  # at most half a second of typing is lost if the process dies


class SmjobApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "smjob"
    COMMANDS = App.COMMANDS | {SmjobCommands}
    BINDINGS = [
        Binding("f1", "field_help", "Help", id="app.help"),
        Binding("f5", "submit", "Submit", id="app.submit"),
        Binding("f9", "copy('cli')", "Copy CLI", id="app.copy_cli", show=False),
        Binding("f10", "export", "Export", id="app.export"),
        Binding("ctrl+o", "open_file", "Open", id="app.open", show=False),
        Binding("f8", "history", "History", id="app.history", show=False),
        Binding("ctrl+q", "quit_app", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        request: dict,
        *,
        source: str | None = None,
        autosave: bool = True,
        target: Target | None = None,
        history: History | None = None,
    ) -> None:
        super().__init__()
        self.target = target or Target()
        self._history = history
        self.initial_request = request
        self.source = source
        self.autosave = autosave
        self.dirty = False
        self._autosave_timer = None
        self.editor: EditorScreen | None = None
        self.startup_notes: list = []

    def get_default_screen(self) -> EditorScreen:
        # The editor is the base screen: no blank default screen to lay out and paint first.
        self.editor = EditorScreen(self.initial_request, source=self.source)
        return self.editor

    def notify(self, message: str, *, title: str = "", severity="information", timeout=None, markup=True) -> None:
        """Every notification (from here, screens and widgets) carries user or server text: it is
        never parsed as markup, and control characters are shown escaped, never sent to the terminal."""
        from smjob.terminal_text import visible

        super().notify(
            visible(str(message), multiline=True),
            title=visible(str(title)),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def on_mount(self) -> None:
        for note in self.startup_notes:
            self.notify(f"{note.where}: {note.message}", severity="warning", timeout=8)

    # --- state shared with the editor -----------------------------------------------------
    def mark_dirty(self) -> None:
        self.dirty = True

    def schedule_autosave(self, request: dict) -> None:
        # Only after a real change: opening a file or an example must not replace the saved draft.
        if not self.autosave or not self.dirty:
            return
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(AUTOSAVE_DELAY, lambda: self._save_draft(request))

    def _save_draft(self, request: dict) -> None:
        from smjob.drafts import save_draft

        self._autosave_timer = None
        try:
            save_draft(request)
        except OSError as exc:
            self.notify(f"Could not autosave the draft: {exc}", severity="error")

    @property
    def history(self) -> History:
        if self._history is None:
            from smjob.history import History

            self._history = History()
        return self._history

    def record(self, action: str, request: dict, **fields) -> int | None:
        """History must never cost the user their work: a broken store is a warning."""
        try:
            return self.history.record(action, request, **fields)
        except Exception as exc:
            self.notify(f"Could not write the history: {exc}", severity="warning")
            return None

    @property
    def request(self) -> dict:
        return self.editor.request if self.editor else {}

    # --- actions ------------------------------------------------------------------------
    def _stem(self) -> str:
        name = self.request.get("TrainingJobName")
        return re.sub(r"[^A-Za-z0-9._-]", "_", name) if isinstance(name, str) and name else "training-job"

    def action_export(self) -> None:
        from smjob.tui.screens.export import ExportScreen

        def done(written) -> None:
            if written:
                self.dirty = False
                self.record("export", self.request, path=written[0])
                self.notify("Exported " + ", ".join(str(p) for p in written))

        self.push_screen(ExportScreen(self.request, self._stem()), done)

    # --- submission -----------------------------------------------------------------------
    def action_submit(self) -> None:
        from smjob.tui.screens.submit import SubmitScreen

        if self.editor is None:
            return
        self.editor.revalidate()  # do not submit on problems from before the last keystroke
        self.push_screen(SubmitScreen(copy.deepcopy(self.request), self.target, self.editor.problems), self._submitted)

    def _submitted(self, outcome) -> None:
        if outcome is None or outcome.result is None:
            return
        result = outcome.result
        self.target = outcome.target
        entry = self.record("submit", self.request, arn=result.arn, status="InProgress", target=outcome.target)
        self.dirty = False
        self.notify(f"Submitted: {result.arn}", timeout=10)
        self.watch_job(result.job_name, entry)

    def submission_failed(self, request: dict, outcome) -> None:
        error = outcome.error
        # smjob's own validation (or botocore's) refused it: nothing was sent, nothing to record.
        # A server ValidationException is also kind "validation" but has an HTTP status: it was sent.
        if error.kind != "validation" or error.http_status is not None:
            self.record("submit-failed", request, target=outcome.target, error=f"{error.kind}: {error.message}")
        if error.problems and self.editor is not None:
            self.editor.show_server_problems(error.problems)

    def watch_job(self, job_name: str, entry_id: int | None = None) -> None:
        from smjob.tui.screens.job import JobScreen

        self.push_screen(JobScreen(job_name, self.target, history=self._history_or_none(), entry_id=entry_id))

    def _history_or_none(self) -> History | None:
        try:
            return self.history
        except Exception:
            return None

    def action_history(self) -> None:
        from smjob.history import HistoryUnavailable
        from smjob.tui.screens.history import HistoryScreen

        try:
            history = self.history
        except HistoryUnavailable as exc:  # the editor keeps working without history
            self.notify(str(exc), title="History unavailable", severity="error", timeout=15)
            return
        self.push_screen(HistoryScreen(history, copy.deepcopy(self.request)), self._history_action)

    def _history_action(self, action) -> None:
        if action is None or self.editor is None:
            return
        self.editor.replace_request(action.request, source=f"history #{action.entry_id}")
        self.dirty = True
        if action.kind == "resubmit":
            self.action_submit()

    def action_clone_from_aws(self) -> None:
        from smjob.tui.screens.clone import CloneFromAwsScreen

        self.push_screen(CloneFromAwsScreen(self.target), self._loaded)

    def action_copy(self, fmt: str) -> None:
        from smjob.render import render
        from smjob.tui.clipboard import copy_text

        try:
            text = render(self.request, fmt)
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"{fmt.upper()}: " + copy_text(self, text))

    def action_open_file(self) -> None:
        from smjob.tui.screens.dialogs import OpenFileScreen

        self.push_screen(OpenFileScreen(), self._loaded)

    def action_paste_request(self) -> None:
        from smjob.tui.screens.dialogs import PasteRequestScreen

        self.push_screen(PasteRequestScreen(), self._loaded)

    def _loaded(self, result) -> None:
        if result is None or self.editor is None:
            return
        self.editor.replace_request(result.request, source=getattr(result, "source", None))
        self.dirty = True
        for note in result.notes:
            self.notify(f"{note.where}: {note.message}", severity="warning", timeout=8)

    def action_new_job(self) -> None:
        from smjob.skeleton import skeleton

        if self.editor is not None:
            self.editor.replace_request(skeleton(), source="new job")
            self.dirty = True

    async def action_go_to_section(self, key: str) -> None:
        if self.editor is not None:
            await self.editor.go_to_section(key)

    def action_field_help(self) -> None:
        from smjob.tui.screens.help import FieldHelpScreen

        focused = self.focused
        while focused is not None and not hasattr(focused, "path"):
            focused = focused.parent
        path = getattr(focused, "path", None)
        if path is None and self.editor is not None:
            path = (self.editor.current.key,)
        self.push_screen(FieldHelpScreen(path or ()))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme != "textual-light" else "textual-dark"

    @work(exclusive=True, group="quit")
    async def action_quit_app(self) -> None:
        from smjob.tui.screens.dialogs import ConfirmScreen

        if self.dirty:
            question = "The request has changes that were not exported (the draft is saved). Quit anyway?"
            if not await self.push_screen_wait(ConfirmScreen(question, yes="Quit")):
                return
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._save_draft(self.request)
        self.exit()
