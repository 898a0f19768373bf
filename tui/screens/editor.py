"""The editor: sections, the current section's form, problems and the live preview.

This screen owns the request dict and is its widgets' RequestOwner (widgets/owner.py): every edit
is one direct call to apply_edit(path, value), made inside the event that caused it (a text field
calls it from the keystroke's handler, so the typed character and its validation paint together),
and widgets read values back with value_at(path). Each edit is also a step of the undo history
(smjob/undo.py; ctrl+z / ctrl+y), and replace_request (open, paste, clone, resubmit, new) is one
step too. Badges, inline errors, the problems list and the preview follow from (request, problems).
"""

from __future__ import annotations

import asyncio
import copy
import time

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static

from smjob.editing import set_at
from smjob.paths import FieldPath, format_path, get_at
from smjob.problems import ERROR, problems_by_path
from smjob.sections import CODE_KEY, OwnSection, Section, app_sections, badge, section_of
from smjob.tui.code_section import code_badge, own_section_widgets, shown_request
from smjob.tui.cost_status import CostStatus
from smjob.tui.section_forms import CURRENT, SectionForms
from smjob.tui.status_line import Part, file_forms, fit
from smjob.undo import UndoHistory, apply_after, one_keystroke, restore_before, step_path
from smjob.widgets.base import FieldEditor, field_id, literal
from smjob.widgets.footer import QuietFooter
from smjob.widgets.form import StructureCollapsible, editor_for, focus_first_editor, member_editors
from smjob.widgets.gc_pause import GcPause, collect_dropped, freeze_startup, unfreeze
from smjob.widgets.messages import JumpTo, ShowHelp
from smjob.widgets.preview import PreviewPane
from smjob.widgets.problems_panel import ProblemsPanel
from smjob.widgets.section_list import SectionList
from smjob.widgets.textual_fixes import drop_notifications

WIDE = 120  # columns from which the preview sits beside the form
FIRST_VALIDATION_DELAY = 0.1  # seconds after mount; the first two frames take ~60 ms here
AHEAD_IDLE = 0.3  # seconds without a key before the next section's form is built, hidden


UNDO_NOTICES = ("Undid: ", "Redid: ", "Nothing to undo", "Nothing to redo")


class EditorScreen(Screen):
    # Start in the first field (not the section list), so the footer is built once, for that focus.
    AUTO_FOCUS = ", ".join(f".{CURRENT} {kind}" for kind in ("Input", "ChoiceBox", "TextArea", "LineList", "Button"))
    BINDINGS = [
        # Keys no terminal or tmux eats, and none that Input/TextArea use (ctrl+a/e/k/u/w/x, f6, f7)...
        # Priority: run before the keys typed after them are read, which then reach the new section
        # (tui/key_hold.py); a field would get them first otherwise.
        Binding("ctrl+n", "next_section", "Next", id="editor.next_section", priority=True),
        Binding("ctrl+r", "previous_section", "Prev", id="editor.previous_section", show=False, priority=True),
        Binding("f2", "toggle_preview", "Preview", id="editor.toggle_preview"),
        Binding("f3", "focus_problems", "Problems", id="editor.focus_problems"),
        Binding("f4", "cycle_preview", "Format", id="editor.cycle_preview", show=False),
        Binding("shift+f3", "toggle_problems", "Hide problems", id="editor.toggle_problems", show=False),
        # ...but ctrl+z / ctrl+y, taken from Input and TextArea: the editor's history covers typing too.
        Binding("ctrl+z", "undo", "Undo", id="editor.undo", show=False, priority=True),
        Binding("ctrl+y", "redo", "Redo", id="editor.redo", show=False, priority=True),
        Binding("alt+left", "preview_key('resize(1)')", "Preview wider", id="editor.preview_wider", show=False),
        Binding("alt+right", "preview_key('resize(-1)')", "Preview narrower", id="editor.preview_narrower", show=False),
    ]

    def __init__(self, request: dict, *, source: str | None = None) -> None:
        super().__init__()
        self.request: dict = copy.deepcopy(request) if isinstance(request, dict) else {}
        self.source = source
        self.problems = []
        self.ignored = ()  # findings of the rules the job ignores (smjob.validate's .ignored)
        self.all_sections: tuple[Section, ...] = app_sections()  # with smjob's own Code section
        self.current: Section = self.all_sections[0]
        self.validation_pending = False
        self._section_lock = asyncio.Lock()
        self._ahead_timer = None  # builds the next section's form once the user is idle
        self._direction = 1  # of the last ctrl+n (1) or ctrl+r (-1): which form to build ahead
        self._preview_chosen = False  # F2 was used: a resize leaves the preview as it is
        self._gc = GcPause(self)  # the app's GC policy: widgets/gc_pause.py
        freeze_startup()  # all there is now lives as long as the app (no widget of this screen yet)
        self.forms = SectionForms(self._section_widgets, self.current, id="forms")  # composed below
        self.last_changed: tuple = ()  # the preview scrolls to it
        self.server_problems: list = []  # from the last failed submission, until the field is edited
        self.history = UndoHistory()  # kept while the app runs
        self._undo_lock = asyncio.Lock()
        self._problems_by_path: dict = {}
        self.cost = CostStatus(self)  # the estimate in the status line, off the keystroke path
        self.field_sources: dict = {}  # path -> where a new job's value came from (config.yaml, smjob defaults)

    # --- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        with Horizontal(id="main"):
            yield SectionList(self.all_sections, id="sections")
            with Vertical(id="center"):
                # The first section is composed with the screen: it is in the first frame, and focus
                # lands in its first field before the footer is built (one footer, not two).
                yield Static(Text(self.current.label, style="bold"), id="section-title")
                yield self.forms
                yield ProblemsPanel(id="problems")
            yield PreviewPane(id="preview")
        yield QuietFooter(compact=True)

    def on_mount(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-preview")  # room for a preview column
        self._apply_width(self.app.size.width)
        self._select_in_list(self.current)
        self.focus_first_field()
        if self.has_class("-preview"):
            self.query_one(PreviewPane).update_request(shown_request(self.app, self.request))
        self.update_status(checking=True)
        # The first validation (~20 ms: compiling the checker and its patterns, then checking) waits until
        # the first frames are out: the screen, then the footer keys a frame later. Run in a thread it
        # held the GIL and delayed both.
        self.validation_pending = True
        self.set_timer(FIRST_VALIDATION_DELAY, self._validate_pending)
        if release := getattr(self.app, "release_startup_keys", None):  # SmjobApp (tui/key_hold.py)
            release()

    def on_screen_resume(self) -> None:
        self._build_ahead_later()  # a dialog was up when the last pass came: nothing was built

    def on_unmount(self) -> None:
        self._gc.end()  # a switch's pause, if the app closed before its frame: collection stays off otherwise
        unfreeze()

    def on_resize(self, event) -> None:
        wide = event.size.width >= WIDE
        if not self._preview_chosen and wide != self.has_class("-preview"):
            # Until F2 is used, the preview follows the width: a column when there is room, else off.
            self.set_class(wide, "-preview")
            if wide:
                self.query_one(PreviewPane).update_request(shown_request(self.app, self.request))
        self._apply_width(event.size.width)
        self.update_status(checking=self.validation_pending)

    def _apply_width(self, width: int) -> None:
        # Narrow terminals: the preview replaces the form (F2 toggles) instead of a squeezed column.
        self.set_class(width < WIDE, "-narrow")
        self.query_one(PreviewPane).fit_width(width, beside=width >= WIDE)

    def scroll_to_center(self, widget, *args, **kwargs) -> None:
        # Textual centres a newly focused input not entirely in view; centre its whole field instead,
        # top first, so the label is not left above the edge (entering Algorithm hid TrainingImage's).
        editor = next((a for a in widget.ancestors if isinstance(a, FieldEditor) or a.has_class("list-editor")), None)
        if editor is not None and editor.outer_size.height > self.form.size.height:
            # Taller than the form (a list with its item's form, a long map): its top, label included,
            # when the focused part is near that top; else the focused widget itself.
            near_top = (
                widget.region and editor.region and widget.region.bottom - editor.region.y <= self.form.size.height
            )
            if near_top:
                self.form.scroll_to_widget(editor, animate=False, top=True)
                return None
            editor = None
        return super().scroll_to_center(editor or widget, *args, **kwargs)

    # --- sections -----------------------------------------------------------------------
    @property
    def form(self) -> VerticalScroll:
        """The shown section's form."""
        return self.forms.current

    async def show_section(self, section: Section) -> None:
        # Serialised: two quick ctrl+n presses (or a build ahead) must not interleave their mounts.
        async with self._section_lock:
            await self._show_section(section)
        self._build_ahead_later()

    def _request_replaced(self) -> None:
        """Kept forms show the old request: none is shown again; the current one is rebuilt now."""
        self.forms.invalidate()
        self.run_worker(self._rebuild_current(), exclusive=True, group="section")

    async def _rebuild_current(self) -> None:
        with self._holding_keys():  # typed meanwhile: to the new form's first field, not the dropped one
            await self.show_section(self.current)
            self.focus_first_field()  # the field focused before was in the form just dropped

    async def _show_section(self, section: Section) -> None:
        self.current = section
        forms = self.forms
        with self.app.batch_update():  # one repaint for the whole switch, not one per step
            self._gc.begin()  # no automatic collection while the switch builds its frame
            await forms.show(section)
            if not forms.is_attached:
                return  # the app is closing
            self.query_one("#section-title", Static).update(Text(section.label, style="bold"))
            forms.current.scroll_home(animate=False)
            self._select_in_list(section)
            self.apply_inline_problems()
        self._gc.end_after_paint()

    def _build_ahead_later(self) -> None:
        """Once the user has been idle for AHEAD_IDLE: free the forms dropped by the last switches,
        then build the next section's form, hidden. Both take tens of ms: never while keys come."""
        if self._ahead_timer is not None:
            self._ahead_timer.stop()
        self._ahead_timer = self.set_timer(AHEAD_IDLE, self._when_idle)

    async def _when_idle(self) -> None:
        self._ahead_timer = None
        idle = time.monotonic() - getattr(self.app, "last_key_at", 0.0)
        if idle < AHEAD_IDLE:  # typing: this would delay the next keystroke's frame
            self._ahead_timer = self.set_timer(AHEAD_IDLE - idle, self._when_idle)
            return
        if self._section_lock.locked() or not self.is_active:
            return  # a switch is under way, or a dialog is up: each schedules another pass
        forms = self.forms
        if forms.take_dropped():
            collect_dropped()  # the dropped forms' reference cycles; the next form reuses their memory
        # The way the user is going: the section before after ctrl+r, else the one after.
        index = self.all_sections.index(self.current) + self._direction
        following = self.all_sections[index % len(self.all_sections)]
        if not forms.kept(following.key):
            async with self._section_lock:
                await forms.build_ahead(following)
            if forms.take_dropped():
                collect_dropped()  # what the build's trim dropped, now, while the user is still idle

    def _section_widgets(self, section: Section) -> list:
        if isinstance(section, OwnSection):
            return own_section_widgets(self, section)
        widgets = []
        for member in section.members:
            value = self.request.get(member.name)
            if member.kind == "structure" and len(section.members) == 1:
                if member.doc:
                    widgets.append(Static(literal(member.doc.split("\n")[0]), classes="section-doc"))
                widgets.extend(member_editors(member, (member.name,), value))
            else:
                widgets.append(editor_for(member, (member.name,), value))
        return widgets

    def _select_in_list(self, section: Section) -> None:
        sections_list = self.query_one(SectionList)
        with sections_list.prevent(OptionList.OptionHighlighted):
            sections_list.select_section(section.key)

    @on(OptionList.OptionHighlighted, "#sections")
    async def _section_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if not event.option_list.has_focus:
            return  # moved by ctrl+n/ctrl+r or a jump, which already show the section
        section = next(s for s in self.all_sections if s.key == event.option.id)
        if section is not self.current:
            await self.show_section(section)

    @on(OptionList.OptionSelected, "#sections")
    def _section_selected(self, event: OptionList.OptionSelected) -> None:
        self.focus_first_field()

    def focus_first_field(self) -> None:
        focus_first_editor(self.form)

    async def action_next_section(self) -> None:
        await self._step_section(1)

    async def action_previous_section(self) -> None:
        await self._step_section(-1)

    async def _step_section(self, step: int) -> None:
        self._direction = step
        index = self.all_sections.index(self.current)
        await self.go_to_section(self.all_sections[(index + step) % len(self.all_sections)].key)

    async def go_to_section(self, key: str) -> None:
        section = next(s for s in self.all_sections if s.key == key)
        self._show_form()
        with self._holding_keys():  # typed during the switch: replayed to the new first field
            await self.show_section(section)
            self.focus_first_field()

    def _show_form(self) -> None:
        """Going to a section or a field shows the form: in a narrow terminal the preview (F2) hides
        it, and focus would land in a field nobody can see."""
        if self.has_class("-narrow") and self.has_class("-preview"):
            self.remove_class("-preview")

    def _holding_keys(self):
        from contextlib import nullcontext

        holding = getattr(self.app, "holding_keys", None)  # SmjobApp (tui/key_hold.py)
        return holding() if holding is not None else nullcontext()

    # --- editing: the RequestOwner of every widget ----------------------------------------
    def value_at(self, path: FieldPath):
        return get_at(self.request, path)

    def problems_at(self, path: FieldPath, *, inner: bool = False) -> list[tuple[str, str]]:
        key = format_path(path)
        found = [(p.severity, p.message_under(path)) for p in self._problems_by_path.get(key, ())]
        if inner:  # a map's keys, a list's strings: no field of their own to show them under
            for where, problems in self._problems_by_path.items():
                if where.startswith(key) and where[len(key) : len(key) + 1] in (".", "[") and problems:
                    found += [(p.severity, p.message_within(path)) for p in problems]
        return found

    def apply_edit(self, path: FieldPath, value, *, typing: bool = False, label: str | None = None) -> None:
        """The one place edits are applied, called by widgets inside the event that made the edit.
        Validated at once (unless the first validation is still pending), so the frame that shows a
        typed character shows its validation too. One undo step, or part of the typing step."""
        current = get_at(self.request, path)
        if current == value:
            return  # Inputs echo their initial value when mounted
        typing = typing and one_keystroke(current, value)  # a paste into a field is a step of its own
        label = label or format_path(path)
        step = self.history.continues(path, value, label) if typing else None
        where = step.path if step is not None else step_path(self.request, path)
        before = None if step is not None else copy.deepcopy(get_at(self.request, where))
        set_at(self.request, path, copy.deepcopy(value))
        after = copy.deepcopy(get_at(self.request, where))
        shown = value if isinstance(value, str) else None  # for the word boundaries of typing steps
        if step is not None:
            self.history.extend(step, after, shown)
        else:
            self.history.record(where, before, after, key=path, label=label, typing=typing, value=shown)
        self._edited(path)

    def _edited(self, path: FieldPath) -> None:
        self.last_changed = path
        self.query_one(PreviewPane).note_changed(path)
        self.server_problems = [p for p in self.server_problems if p.path[: len(path)] != path]
        self.app.mark_dirty()
        if not self.validation_pending:
            self.revalidate()

    def replace_request(self, request: dict, *, source: str | None = None) -> None:
        """Load another request (open, paste, clone, resubmit, new): one undo step.
        The old one is only replaced on success."""
        before, before_source = self.request, self.source
        self.request = copy.deepcopy(request)
        self.field_sources = {}  # a new job sets its own after this
        if source is not None:
            self.source = source
        label = f"load {source or 'a request'}"
        self.history.record((), before, copy.deepcopy(self.request), label=label, meta=(before_source, self.source))
        self._request_replaced()
        self.revalidate()

    # --- undo / redo --------------------------------------------------------------------
    async def action_undo(self) -> None:
        await self._travel(undo=True)

    async def action_redo(self) -> None:
        await self._travel(undo=False)

    async def _travel(self, *, undo: bool) -> None:
        """Undo or redo one step, then show it: its section, its structure or list item, the widget
        reloaded from the request and focused."""
        async with self._undo_lock:
            step = self.history.undo() if undo else self.history.redo()
            if step is None:
                self._undo_notice(f"Nothing to {'undo' if undo else 'redo'}", timeout=2)
                return
            self.request = restore_before(self.request, step) if undo else apply_after(self.request, step)
            if step.key:
                # A kept form of another section still shows the value before the step: show its
                # section first, then reload the widget there, then focus it.
                section = section_of(step.key, self.all_sections)
                if section is not None and section is not self.current:
                    await self.show_section(section)
                await self.show_value(step.key)
                await self.jump_to(step.key)
            else:  # the whole request, and where it came from
                self.source = step.meta[0 if undo else 1]
                self.forms.invalidate()
                await self.show_section(self.current)
                self.focus_first_field()
            self.last_changed = step.key
            self.query_one(PreviewPane).note_changed(step.key)
            self.app.mark_dirty()
            self.revalidate()
            self._undo_notice(f"{'Undid' if undo else 'Redid'}: {step.label}", timeout=3)

    def _undo_notice(self, message: str, *, timeout: float) -> None:
        """One toast for undo and redo: each replaces the last, not ten stacked over the screen."""
        drop_notifications(self.app, lambda text: text.startswith(UNDO_NOTICES))
        self.notify(message, timeout=timeout, markup=False)

    async def show_value(self, path: FieldPath) -> None:
        """Show the request's value again in the widget nearest `path` (a field, a list, a structure).
        A step changes nothing outside `path` but parents it created or left empty."""
        from smjob.widgets.list_editor import ListEditor  # loaded with the first list shown

        form = self.forms  # every kept form: a hidden one must not show the old value later
        for depth in range(len(path), 0, -1):
            found = form.query(f"#{field_id(path[:depth])}")
            if not found:
                continue
            widget = found.first()
            if isinstance(widget, FieldEditor):
                widget.load(get_at(self.request, widget.path))
            elif isinstance(widget, (ListEditor, StructureCollapsible)):
                await widget.reload()
            for ancestor in widget.ancestors:
                if isinstance(ancestor, ListEditor):
                    ancestor.refresh_titles()  # the item's name may be what changed
            return

    def show_server_problems(self, problems) -> None:
        """Fields the service rejected: highlighted like any other problem until edited."""
        self.server_problems = list(problems)
        self.revalidate()

    def _validate_pending(self) -> None:
        if self.validation_pending:
            self.revalidate()
        self._build_ahead_later()  # the first ctrl+n is instant too

    def revalidate(self) -> None:
        from smjob.validate import validate

        self.validation_pending = False
        # The job's rule overrides and the region it goes to (SmjobApp); what was ignored stays listed.
        app = self.app
        checked = validate(
            self.request, region=getattr(app, "job_region", None), ignore_rules=getattr(app, "ignore_rules", ())
        )
        self.ignored = checked.ignored
        self.problems = checked + self.server_problems
        self._problems_by_path = problems_by_path(self.problems)
        badges = {s.key: badge(s, self.request, self.problems) for s in self.all_sections}
        badges[CODE_KEY] = code_badge(self.app, self.request)
        self.query_one(SectionList).update_badges(badges)
        self.query_one(ProblemsPanel).show(self.problems, self.ignored)
        self.apply_inline_problems()
        preview = self.query_one(PreviewPane)
        if self.has_class("-preview"):
            preview.update_request(shown_request(self.app, self.request), self.last_changed)
        else:  # render lazily when the preview is shown
            preview.update_request(shown_request(self.app, self.request), self.last_changed, render_now=False)
        self.update_status()
        self.cost.changed()
        self.app.schedule_autosave(self.request)

    def apply_inline_problems(self) -> None:
        for editor in self.form.query(FieldEditor):
            editor.show_own_problems(self)

    def update_status(self, *, checking: bool = False) -> None:
        errors = sum(p.severity == ERROR for p in self.problems)
        warnings = len(self.problems) - errors
        name = (
            self.request.get("TrainingJobName") if isinstance(self.request.get("TrainingJobName"), str) else "(unnamed)"
        )
        text = Text()
        if checking:
            text.append("checking…", style="dim")
        elif errors:
            text.append(f"{errors} error(s)", style="bold red")
        else:
            text.append("valid", style="bold green")
        if warnings:
            text.append(f"  {warnings} warning(s)", style="yellow")
        if ignored := getattr(self.app, "ignore_rules", ()):  # the job's rule overrides: never silent
            text.append(f"  {len(ignored)} rule(s) ignored", style="italic")
        if draft_warning := getattr(self.app, "draft_warning", None):  # the autosave failed
            text.append(f"  {draft_warning}", style="bold red")
        target = cost = file = None
        if where := getattr(self.app, "target", None):  # where pickers look and F5 sends
            labels = (where.short_label, where.region_label)
            target = Part([Text(literal(label).plain, style="cyan") for label in labels] + [None])
        if self.cost.text is not None:
            cost = Part([f for f in (self.cost.text, self.cost.short) if f is not None] + [None])
        if self.source:
            file = Part(file_forms(literal(self.source)))
        # One line: a 1 MB name cost ~100 ms a keystroke to lay out.
        line = fit(literal(name[:200]).plain, text, target, cost, file, room=self.app.size.width - 2)
        self.query_one("#status", Static).update(line, layout=False)  # one fixed line: no re-layout per keystroke

    # --- problems and jumping ------------------------------------------------------------
    @on(JumpTo)
    async def _jump(self, event: JumpTo) -> None:
        event.stop()
        await self.jump_to(event.path)

    async def jump_to(self, path: FieldPath) -> None:
        section = section_of(path, self.all_sections)
        if section is None:
            return
        self._show_form()
        if section is not self.current:
            await self.show_section(section)
        target = None
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            found = self.query(f"#{field_id(prefix)}")
            if not found:
                continue
            widget = found.first()
            if isinstance(widget, StructureCollapsible):
                widget.collapsed = False
                await widget.ensure_built()
            elif hasattr(widget, "select_item") and depth < len(path) and isinstance(path[depth], int):
                await widget.select_item(path[depth])  # only the selected item has a form
            target = widget
        if target is None:
            return
        target.scroll_visible(animate=False, top=True)
        if isinstance(target, FieldEditor) or hasattr(target, "focus_input"):  # fields and lists
            target.focus_input()
        else:
            target.focus()

    def action_toggle_problems(self) -> None:
        panel = self.query_one(ProblemsPanel)
        panel.display = not panel.display

    def action_focus_problems(self) -> None:
        """F3: go to the problems list; F3 again returns to the form."""
        panel = self.query_one(ProblemsPanel)
        if panel.has_focus:
            self.focus_first_field()
            return
        panel.display = True
        panel.focus()

    def action_toggle_preview(self) -> None:
        self._preview_chosen = True  # from now on the width no longer decides
        self.toggle_class("-preview")
        if self.has_class("-preview"):
            self.query_one(PreviewPane).update_request(shown_request(self.app, self.request))

    async def action_preview_key(self, action: str) -> None:  # the preview's keys, from anywhere (palette)
        await self.query_one(PreviewPane).run_action(action)

    def action_cycle_preview(self) -> None:
        preview = self.query_one(PreviewPane)
        if not self.has_class("-preview"):
            self.action_toggle_preview()
        ids = ["preview-json", "preview-yaml", "preview-cli", "preview-python"]
        preview.active = ids[(ids.index(preview.active) + 1) % len(ids)] if preview.active in ids else ids[0]

    @on(ShowHelp)
    def _help(self, event: ShowHelp) -> None:
        event.stop()
        from smjob.tui.screens.help import FieldHelpScreen

        self.app.push_screen(FieldHelpScreen(event.path))
