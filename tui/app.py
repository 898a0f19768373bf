"""The smjob app: wires screens, global bindings, autosave and the palette. State lives in EditorScreen."""

from __future__ import annotations

import re

from textual import work
from textual.app import App
from textual.binding import Binding

from smjob.drafts import save_draft
from tui.clipboard import copy_text
from tui.commands import SmjobCommands
from tui.screens.editor import EditorScreen

AUTOSAVE_DELAY = 0.5  # at most half a second of typing is lost if the process dies


class SmjobApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "smjob"
    COMMANDS = App.COMMANDS | {SmjobCommands}
    BINDINGS = [
        Binding("f1", "field_help", "Help", id="app.help"),
        Binding("f9", "copy('cli')", "Copy CLI", id="app.copy_cli"),
        Binding("f10", "export", "Export", id="app.export"),
        Binding("ctrl+o", "open_file", "Open", id="app.open", show=False),
        Binding("ctrl+q", "quit_app", "Quit", id="app.quit", priority=True),
    ]

    def __init__(self, request: dict, *, source: str | None = None, autosave: bool = True) -> None:
        super().__init__()
        self.initial_request = request
        self.source = source
        self.autosave = autosave
        self.dirty = False
        self._autosave_timer = None
        self.editor: EditorScreen | None = None
        self.startup_notes: list = []

    def on_mount(self) -> None:
        self.editor = EditorScreen(self.initial_request, source=self.source)
        self.push_screen(self.editor)
        for note in self.startup_notes:
            self.notify(f"{note.where}: {note.message}", severity="warning", timeout=8)

    # --- state shared with the editor -----------------------------------------------------
    def mark_dirty(self) -> None:
        self.dirty = True

    def schedule_autosave(self, request: dict) -> None:
        if not self.autosave:
            return
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(AUTOSAVE_DELAY, lambda: self._save_draft(request))

    def _save_draft(self, request: dict) -> None:
        self._autosave_timer = None
        try:
            save_draft(request)
        except OSError as exc:
            self.notify(f"Could not autosave the draft: {exc}", severity="error")

    @property
    def request(self) -> dict:
        return self.editor.request if self.editor else {}

    # --- actions ------------------------------------------------------------------------
    def _stem(self) -> str:
        name = self.request.get("TrainingJobName")
        return re.sub(r"[^A-Za-z0-9._-]", "_", name) if isinstance(name, str) and name else "training-job"

    def action_export(self) -> None:
        from tui.screens.export import ExportScreen

        def done(written) -> None:
            if written:
                self.dirty = False
                self.notify("Exported " + ", ".join(str(p) for p in written))

        self.push_screen(ExportScreen(self.request, self._stem()), done)

    def action_copy(self, fmt: str) -> None:
        from smjob.render import render

        try:
            text = render(self.request, fmt)
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"{fmt.upper()}: " + copy_text(self, text))

    def action_open_file(self) -> None:
        from tui.screens.dialogs import OpenFileScreen

        self.push_screen(OpenFileScreen(), self._loaded)

    def action_paste_request(self) -> None:
        from tui.screens.dialogs import PasteRequestScreen

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
        from tui.screens.help import FieldHelpScreen

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
        from tui.screens.dialogs import ConfirmScreen

        if self.dirty:
            question = "The request has changes that were not exported (the draft is saved). Quit anyway?"
            if not await self.push_screen_wait(ConfirmScreen(question, yes="Quit")):
                return
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._save_draft(self.request)
        self.exit()
