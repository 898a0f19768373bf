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
from smjob.tui.key_hold import KeyHold
from smjob.tui.screens.editor import EditorScreen

if TYPE_CHECKING:
    from smjob.history import History

AUTOSAVE_DELAY = 0.5  # at most half a second of typing is lost if the process dies


class SmjobApp(KeyHold, App):
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
        Binding("f7", "jobs", "Jobs", id="app.jobs", show=False),
        Binding("ctrl+l", "open_draft", "Drafts", id="app.drafts", show=False),
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
        draft_id: str | None = None,
        code: dict | None = None,
        meta: dict | None = None,
        draft_digest: str | None = None,
    ) -> None:
        super().__init__()
        from smjob.tui.code_state import CodeState

        self.code = CodeState(code)  # the Code section (smjob metadata, saved with the draft)
        self.target = target or Target()
        self.field_sources: dict = {}  # set by the launcher for a new job (user_defaults.new_job)
        self._history = history
        self.initial_request = request
        self.source = source
        self.autosave = autosave
        self.dirty = False  # edits since the request was loaded, exported or submitted
        self._touched = False  # an edit since the load, even one undone: the draft follows it
        self.draft_id = draft_id  # its file on the shelf (smjob.drafts); a new one gets an id at its first save
        # The job's other smjob metadata, saved with its draft (smjob.overrides): rule overrides
        # ("ignore_rules"), and any key a newer smjob wrote, passed through untouched.
        self.meta: dict = dict(meta or {})
        self.autosave_error: OSError | None = None  # the last autosave failed: the draft is NOT saved
        # The draft as this editor last read or wrote it: another smjob's save since is never written over.
        self.draft_digest = draft_digest
        self.draft_conflict: str | None = None  # for the status line: the edits went to a conflict copy
        self._autosave_timer = None
        self._code_timer = None
        self.editor: EditorScreen | None = None
        self.startup_notes: list = []
        # What the job was when loaded, exported or submitted: undoing back to it is no edit to ask
        # about at quit; None after a paste (the pasted text exists nowhere else).
        self._clean: tuple | None = copy.deepcopy((request, self.code.settings, self.meta))

    def get_default_screen(self) -> EditorScreen:
        # The editor is the base screen: no blank default screen to lay out and paint first.
        self.editor = EditorScreen(self.initial_request, source=self.source)
        self.editor.field_sources = self.field_sources  # a new job's fields from config.yaml / smjob defaults
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
        self.check_code()
        for note in self.startup_notes:
            self.notify(f"{note.where}: {note.message}", severity="warning", timeout=8)

    # --- state shared with the editor -----------------------------------------------------
    def mark_dirty(self) -> None:
        """After an edit or an undo: dirty unless the job is again exactly as last loaded or written."""
        self._touched = True
        self.dirty = self._clean is None or self._clean != self._state()

    def mark_clean(self) -> None:
        """The job as it is now exists outside the editor (a file or example opened, exported, submitted)."""
        self.dirty = False
        self._clean = copy.deepcopy(self._state())

    def _state(self) -> tuple:
        return (self.request, self.code.settings, self.meta)

    # --- the Code section (tui/code_state.py) ---------------------------------------------------
    def code_changed(self) -> None:
        """An edit in the Code section: autosaved like any edit; the folder is checked once typing pauses."""
        self.mark_dirty()
        if self.editor is not None:
            self.editor.revalidate()  # badge and preview; schedules the autosave
        if self._code_timer is not None:
            self._code_timer.stop()
        from smjob.tui.code_section import CHECK_DELAY

        self._code_timer = self.set_timer(CHECK_DELAY, self.check_code)

    def check_code(self) -> None:
        self._code_timer = None
        if self.code.settings is not None:
            self.run_worker(self._check_code, thread=True, exclusive=True, group="code-check")

    def _check_code(self) -> None:
        state = self.code
        state.check()
        self.call_from_thread(self._code_checked, state)

    def _code_checked(self, state) -> None:
        if state is not self.code or self.editor is None or not self.editor.is_mounted:
            return
        from smjob.tui.code_section import refresh_form

        self.editor.revalidate()
        refresh_form(self.editor)

    # --- the draft shelf: autosave, and never replacing unsaved edits without asking ---------
    def schedule_autosave(self, request: dict) -> None:
        # Only after a real change: opening a file or an example must not write a draft.
        if not self.autosave or not (self.dirty or self._touched):
            return
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(AUTOSAVE_DELAY, self.flush_autosave)

    def flush_autosave(self) -> bool:
        """Write the pending autosave now (or retry a failed one). True when no edit is unsaved."""
        pending, self._autosave_timer = self._autosave_timer, None
        if pending is not None:
            pending.stop()
        if not self.autosave:
            return not self.dirty
        if self.dirty or pending is not None:
            return self._save_draft(self.request)
        return True

    def _save_draft(self, request: dict) -> bool:
        from smjob.drafts import autosave_draft, new_draft_id

        try:
            if self.draft_id is None:
                self.draft_id = new_draft_id()
            saved = autosave_draft(
                request,
                self.draft_id,
                self.draft_digest,
                code=self.code.to_meta(),
                ignore_rules=self.ignore_rules,
                meta=self.meta,
            )
        except OSError as exc:
            first, self.autosave_error = self.autosave_error is None, exc
            if first:  # once per failure, not per keystroke; the status line keeps saying it
                self.notify(
                    f"The draft could not be saved: {exc}. Your edits are only in this window: export them (F10).",
                    title="Autosave failed",
                    severity="warning",
                    timeout=20,
                )
                self._show_draft_state()
            return False
        self.draft_id, self.draft_digest = saved.draft_id, saved.digest
        if saved.changed_elsewhere is not None:
            self.meta, self.draft_conflict = saved.meta, "saved as a conflict copy"
            self.notify(
                f"Another smjob saved this draft while you edited it ({saved.changed_elsewhere}): it is left as it"
                f" is. Your edits are in a new draft, {saved.path}, where autosave goes on. Both are in ctrl+l.",
                title="Draft changed elsewhere",
                severity="warning",
                timeout=30,
            )
            self._show_draft_state()
        if self.autosave_error is not None:
            self.autosave_error = None
            self.notify("The draft is saved again.")
            self._show_draft_state()
        return True

    @property
    def draft_warning(self) -> str | None:
        """For the status line: the draft on the shelf is behind the editor."""
        return "draft NOT saved" if self.autosave_error is not None and self.dirty else self.draft_conflict

    def _show_draft_state(self) -> None:
        if self.editor is not None and self.editor.is_mounted:
            self.editor.update_status()

    def replace_request(
        self,
        request: dict,
        *,
        source: str | None,
        draft_id: str | None = None,
        edited: bool = False,
        then=None,
        code: dict | None = None,
        meta: dict | None = None,
        draft_digest: str | None = None,
    ) -> None:
        """The one way the editor's request is replaced (open, paste, clone, resubmit, new job, open
        draft). Edits not exported are never replaced without asking: keep them on the shelf,
        discard them, or cancel. The new request autosaves into `draft_id`, or a new draft;
        `edited`: it counts as an edit (pasted text exists nowhere else); `then` runs once replaced;
        `code`: the new job's Code settings (smjob metadata), none by default; `meta`: its other
        metadata (rule overrides...), none for a new or opened request; `draft_digest`: the draft's
        content as read (smjob.drafts.Draft.digest)."""
        if self.editor is None:
            return
        if not self.dirty:
            self._replace(request, source, draft_id, edited, then, code, meta, draft_digest)
            return
        from smjob.tui.screens.drafts import unsaved_edits_question

        saved = self.flush_autosave()  # Keep means kept: the pending autosave is on disk first
        can_keep = saved or not self.autosave  # autosave off (tests, screenshots): nothing to keep it in

        def answered(answer: str | None) -> None:
            if answer == "discard":
                self._discard_draft()
            elif answer != "keep" or not can_keep:
                return  # cancel; or keep, while the draft cannot be saved
            self._replace(request, source, draft_id, edited, then, code, meta, draft_digest)

        name = self.request.get("TrainingJobName")
        name = f"The job {name}" if isinstance(name, str) and name else "The request"
        error = str(self.autosave_error) if self.autosave_error else None
        self.push_screen(unsaved_edits_question(name, can_keep, error), answered)

    def _replace(
        self,
        request: dict,
        source: str | None,
        draft_id: str | None,
        edited: bool,
        then,
        code=None,
        meta=None,
        draft_digest=None,
    ) -> None:
        from smjob.tui.code_state import CodeState

        if self._autosave_timer is not None:  # not dirty, but pending from before an export
            self.flush_autosave()
        self.code = CodeState(code)
        self.check_code()
        self.draft_id, self.autosave_error, self.dirty = draft_id, None, edited
        self.draft_digest, self.draft_conflict = draft_digest, None
        self.meta = dict(meta or {})
        self._clean, self._touched = None, edited
        self.editor.replace_request(request, source=source)
        if not edited:
            self.mark_clean()
        if then is not None:
            then()

    def _discard_draft(self) -> None:
        from smjob.drafts import remove_draft

        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        self.dirty = False
        if self.draft_id is not None:
            try:
                remove_draft(self.draft_id)
            except OSError as exc:
                self.notify(f"Could not remove the draft: {exc}", severity="error")

    def action_open_draft(self) -> None:
        from smjob.tui.screens.drafts import DraftsScreen

        self.flush_autosave()  # the list shows the editor's draft as it is now
        self.push_screen(DraftsScreen(current=self.draft_id), self._open_draft)

    def _open_draft(self, draft) -> None:
        if draft is not None and draft.id != self.draft_id:
            self.replace_request(
                draft.request,
                source=f"draft {draft.id}",
                draft_id=draft.id,
                code=draft.code,
                meta=draft.meta,
                draft_digest=draft.digest,
            )

    @property
    def history(self) -> History:
        if self._history is None:
            from smjob.history import History

            self._history = History()
        return self._history

    @property
    def request(self) -> dict:
        return self.editor.request if self.editor else {}

    # --- rule overrides (tui/screens/overrides.py) -----------------------------------------
    @property
    def ignore_rules(self) -> tuple[str, ...]:
        rules = self.meta.get("ignore_rules")
        return tuple(r for r in rules if isinstance(r, str)) if isinstance(rules, list) else ()

    def set_ignore_rules(self, rules) -> None:
        """Change the job's overrides: an edit of the job (autosaved), checked again at once."""
        rules = list(dict.fromkeys(rules))
        if rules:
            self.meta["ignore_rules"] = rules
        else:
            self.meta.pop("ignore_rules", None)
        self.mark_dirty()
        if self.editor is not None:
            self.editor.revalidate()

    @property
    def job_region(self) -> str | None:
        """The region the job goes to (rules compare the image's): the target's, else the one the status
        line's cost resolved from the environment and config file (in a worker, not per keystroke)."""
        if self.editor is None:
            return self.target.region
        return self.editor.cost.region_for(self.target)

    def on_problems_panel_ignore_rule(self, event) -> None:
        from smjob.tui.screens.overrides import ignore_problem_rule

        ignore_problem_rule(self, event.problem)

    def action_ignore_selected_rule(self) -> None:
        from smjob.tui.screens.overrides import ignore_problem_rule
        from smjob.widgets.problems_panel import ProblemsPanel

        panel = self.editor.query_one(ProblemsPanel) if self.editor is not None else None
        ignore_problem_rule(self, panel.selected_problem if panel is not None else None)

    def action_rule_overrides(self) -> None:
        from smjob.tui.screens.overrides import RuleOverridesScreen

        def done(rules) -> None:
            if rules is not None:
                self.set_ignore_rules(rules)

        self.push_screen(RuleOverridesScreen(self.ignore_rules), done)

    # --- actions ------------------------------------------------------------------------
    def _stem(self) -> str:
        name = self.request.get("TrainingJobName")
        return re.sub(r"[^A-Za-z0-9._-]", "_", name) if isinstance(name, str) and name else "training-job"

    def action_export(self) -> None:

        def done(result) -> None:
            if result:
                self.mark_clean()
                for warning in result.warnings:
                    self.notify(warning, severity="warning", markup=False)
                self.notify("Exported " + ", ".join(str(p) for p in result.written), markup=False)

        self.push_screen(self._export_screen(), done)

    def _export_screen(self):
        """The export dialog for the job as it is: its Code settings, target and rule overrides."""
        from smjob.tui.screens.export import ExportScreen

        return ExportScreen(
            self.request,
            self._stem(),
            history=self._history_or_none(),
            code=self.code.settings,
            target=self.target,
            ignore_rules=self.ignore_rules,
        )

    # --- submission -----------------------------------------------------------------------
    def action_submit(self, target: Target | None = None) -> None:
        """The submit dialog, to `target` (a resubmission's saved one) or the app's target."""
        from smjob.tui.screens.submit import SubmitScreen

        if self.editor is None:
            return
        self.editor.revalidate()  # do not submit on problems from before the last keystroke
        screen = SubmitScreen(
            copy.deepcopy(self.request),
            target or self.target,
            self.editor.problems,
            history=self._history_or_none(),
            code=self.code.settings,
            ignore_rules=self.ignore_rules,
        )
        self.push_screen(screen, self._submitted)

    def _submitted(self, outcome) -> None:
        """The workflow sent and recorded it; the app follows where it went and what it was named."""
        if outcome is None or not outcome.ok:
            return
        self.set_target(outcome.target)  # where it went is where lookups go now
        name = outcome.request.get("TrainingJobName")
        if self.editor is not None and name != self.request.get("TrainingJobName"):
            # Submitted under a fresh name: only the name changes (the sent request may hold the
            # code channel and entrypoint that a Code folder adds at submit; the editor keeps the folder).
            self.editor.apply_edit(("TrainingJobName",), name, label="fresh name at submit")
            self.run_worker(self.editor.show_value(("TrainingJobName",)))
        self.mark_clean()
        self.notify(f"Submitted: {outcome.arn}", timeout=10, markup=False)
        self.watch_job(outcome.job_name, outcome.entry_id)

    def submission_failed(self, request: dict, outcome) -> None:
        """The workflow recorded the failure; the fields the service named are highlighted."""
        error = outcome.error
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

    def action_jobs(self) -> None:
        """Every training job of the target (ListTrainingJobs, lazily); smjob's are linked to the history."""
        from smjob.tui.screens.jobs import JobsScreen

        self.push_screen(JobsScreen(self.target, history=self._history_or_none()))

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
        # Resubmit: where the entry went, as `smjob history resubmit` does.
        then = (lambda: self.action_submit(action.target)) if action.kind == "resubmit" else None
        code = getattr(action, "code", None)
        meta = {"ignore_rules": list(action.ignore_rules)} if getattr(action, "ignore_rules", ()) else {}
        self.replace_request(action.request, source=f"history #{action.entry_id}", then=then, code=code, meta=meta)

    def action_copy(self, fmt: str) -> None:
        from smjob.render import render
        from smjob.tui.clipboard import copy_text

        try:
            text = render(self.request, fmt)
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        errors = sum(p.severity == "error" for p in self.editor.problems) if self.editor else 0
        warning = f" — the request has {errors} error(s): it will be refused as it is" if errors else ""
        self.notify(
            f"{fmt.upper()}: " + copy_text(self, text) + warning, severity="warning" if errors else "information"
        )

    def action_open_file(self) -> None:
        from smjob.tui.screens.dialogs import OpenFileScreen

        self.push_screen(OpenFileScreen(), self._loaded)

    def action_paste_request(self) -> None:
        from smjob.tui.screens.dialogs import PasteRequestScreen

        self.push_screen(PasteRequestScreen(), self._pasted)

    def _pasted(self, result) -> None:
        # Pasted text exists nowhere else: it is an edit, autosaved into a new draft at once.
        self._loaded(result, source="pasted request", edited=True)

    def _loaded(self, result, *, source: str | None = None, edited: bool = False) -> None:
        if result is None:
            return

        def notes() -> None:
            for note in result.notes:
                self.notify(f"{note.where}: {note.message}", severity="warning", timeout=8)

        # Never the previous one's ("new job" after opening a file): a file's path, or what it is.
        source = source or getattr(result, "source", None) or "cloned job"
        self.replace_request(result.request, source=source, edited=edited, then=notes)

    def action_new_job(self) -> None:
        from smjob.user_defaults import new_job

        job = new_job(self.target.profile)

        def filled() -> None:
            self.editor.field_sources = job.sources  # the form's headers say where each value came from
            for message in job.messages:
                self.notify(message, severity="warning", timeout=10)

        self.replace_request(job.request, source="new job", then=filled)

    def set_target(self, target: Target) -> None:
        """Where lookups (pickers) and submissions go; shown in the status bar."""
        self.target = target
        if self.editor is not None and self.editor.is_mounted:
            self.editor.update_status()
            self.editor.cost.changed()  # another region or account: the price is looked up again

    def action_change_target(self) -> None:
        from smjob.tui.screens.target import TargetScreen

        self.push_screen(TargetScreen(self.target), lambda target: target is not None and self.set_target(target))

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

    async def action_quit(self) -> None:
        """Textual's own quit (what any "quit" binding or action runs) asks about edits as ctrl+q does."""
        self.action_quit_app()

    def get_system_commands(self, screen):
        # Textual's palette "Quit" exited at once, edits or not; smjob's own (tui/commands.py) asks.
        yield from (command for command in super().get_system_commands(screen) if command.title != "Quit")

    @work(exclusive=True, group="quit")
    async def action_quit_app(self) -> None:
        from smjob.tui.screens.dialogs import ConfirmScreen

        saved = self.flush_autosave()  # first: the question must say whether the draft is really saved
        if self.dirty and self.autosave and not saved:
            from smjob.tui.screens.drafts import quit_unsaved_question

            answer = await self.push_screen_wait(quit_unsaved_question(str(self.autosave_error)))
            if answer == "export":
                if not await self.push_screen_wait(self._export_screen()):
                    return
                self.mark_clean()
            elif answer != "quit":
                return
        elif self.dirty:
            where = "the draft is saved" if self.autosave else "autosave is off"
            question = f"The request has changes that were not exported ({where}). Quit anyway?"
            if not await self.push_screen_wait(ConfirmScreen(question, yes="Quit")):
                return
        self.exit()
