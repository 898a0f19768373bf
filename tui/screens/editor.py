"""The editor: sections, the current section's form, problems and the live preview.

This screen owns the request dict. Every edit goes through apply_field_change: widgets post
FieldChanged, and text fields also call it from inside the keystroke (so the typed character and
its validation paint together). Badges, inline errors, the problems list and the preview follow
from (request, problems).
"""

from __future__ import annotations

import asyncio
import copy
import gc

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
from smjob.sections import Section, badge, section_of, sections
from smjob.widgets.base import FieldEditor, field_id, literal
from smjob.widgets.footer import QuietFooter
from smjob.widgets.form import StructureCollapsible, editor_for, focus_first_editor, member_editors
from smjob.widgets.messages import FieldChanged, JumpTo, ShowHelp
from smjob.widgets.preview import PreviewPane
from smjob.widgets.problems_panel import ProblemsPanel
from smjob.widgets.section_list import SectionList

WIDE = 120  # columns from which the preview sits beside the form
FIRST_VALIDATION_DELAY = 0.1  # seconds after mount; the first two frames take ~60 ms here


def forget_removed_widgets() -> None:
    """Free the form just removed before the next one is built, so the new one reuses its memory.

    Textual's StylesCache.get_inner_outer is an lru_cache(1024) keyed by the StylesCache itself, so
    it keeps up to 1,024 removed widgets' render caches alive (~1 MiB per visit of a big section).
    Widgets are reference cycles that lived long enough to reach the oldest GC generation: only a
    full collection frees them (measured: peak RSS -2 MiB over all sections, no slower switches).
    """
    from textual._styles_cache import StylesCache

    cache_clear = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if cache_clear is not None:
        cache_clear()
    gc.collect()


class EditorScreen(Screen):
    # Start in the first field (not the section list), so the footer is built once, for that focus.
    AUTO_FOCUS = "#form Input, #form Select, #form TextArea, #form LineList, #form Button"
    BINDINGS = [
        # Keys no terminal or tmux eats, and none that Input/TextArea use (ctrl+a/e/k/u/w/x/y/z, f6, f7).
        Binding("ctrl+n", "next_section", "Next", id="editor.next_section"),
        Binding("ctrl+r", "previous_section", "Prev", id="editor.previous_section", show=False),
        Binding("f2", "toggle_preview", "Preview", id="editor.toggle_preview"),
        Binding("f3", "focus_problems", "Problems", id="editor.focus_problems"),
        Binding("f4", "cycle_preview", "Format", id="editor.cycle_preview", show=False),
        Binding("shift+f3", "toggle_problems", "Hide problems", id="editor.toggle_problems", show=False),
    ]

    def __init__(self, request: dict, *, source: str | None = None) -> None:
        super().__init__()
        self.request: dict = copy.deepcopy(request) if isinstance(request, dict) else {}
        self.source = source
        self.problems = []
        self.all_sections: tuple[Section, ...] = sections()
        self.current: Section = self.all_sections[0]
        self.validation_pending = False
        self._section_lock = asyncio.Lock()
        self.last_changed: tuple = ()  # the preview scrolls to it
        self.server_problems: list = []  # from the last failed submission, until the field is edited

    # --- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        with Horizontal(id="main"):
            yield SectionList(self.all_sections, id="sections")
            with Vertical(id="center"):
                # The first section is composed with the screen: it is in the first frame, and focus
                # lands in its first field before the footer is built (one footer, not two).
                yield Static(Text(self.current.label, style="bold"), id="section-title")
                yield VerticalScroll(*self._section_widgets(self.current), id="form")
                yield ProblemsPanel(id="problems")
            yield PreviewPane(id="preview")
        yield QuietFooter(compact=True)

    def on_mount(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "-preview")  # room for a preview column
        self._apply_width(self.app.size.width)
        self._select_in_list(self.current)
        self.focus_first_field()
        if self.has_class("-preview"):
            self.query_one(PreviewPane).update_request(self.request)
        self.update_status(checking=True)
        # The first validation (pydantic-core, ~50 ms to import and build the validator) waits until
        # the first frames are out: the screen, then the footer keys a frame later. Run in a thread it
        # held the GIL and delayed both.
        self.validation_pending = True
        self.set_timer(FIRST_VALIDATION_DELAY, self._validate_pending)

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        # Narrow terminals: the preview replaces the form (F2 toggles) instead of a squeezed column.
        self.set_class(width < WIDE, "-narrow")

    # --- sections -----------------------------------------------------------------------
    async def show_section(self, section: Section) -> None:
        # Serialised: two quick ctrl+n presses must not interleave their remove/mount steps.
        async with self._section_lock:
            await self._show_section(section)

    async def _show_section(self, section: Section) -> None:
        self.current = section
        form = self.query_one("#form", VerticalScroll)
        with self.app.batch_update():  # one repaint for the whole switch, not one per step
            await form.remove_children()
            forget_removed_widgets()
            self.query_one("#section-title", Static).update(Text(section.label, style="bold"))
            await form.mount_all(self._section_widgets(section))
            form.scroll_home(animate=False)
            self._select_in_list(section)
            self.apply_inline_problems()

    def _section_widgets(self, section: Section) -> list:
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
        focus_first_editor(self.query_one("#form"))

    async def action_next_section(self) -> None:
        await self._step_section(1)

    async def action_previous_section(self) -> None:
        await self._step_section(-1)

    async def _step_section(self, step: int) -> None:
        index = self.all_sections.index(self.current)
        await self.show_section(self.all_sections[(index + step) % len(self.all_sections)])
        self.focus_first_field()

    async def go_to_section(self, key: str) -> None:
        section = next(s for s in self.all_sections if s.key == key)
        await self.show_section(section)
        self.focus_first_field()

    # --- editing ------------------------------------------------------------------------
    @on(FieldChanged)
    def _field_changed(self, event: FieldChanged) -> None:
        event.stop()
        self.apply_field_change(event.path, event.value)

    def apply_field_change(self, path: FieldPath, value, *, now: bool = False) -> None:
        """The one place edits are applied. `now`: from inside a keystroke's handler (text fields),
        validated at once so the frame that shows the character shows its validation too; other
        edits come as FieldChanged messages and are validated once the queued ones are handled."""
        if get_at(self.request, path) == value:
            return  # widgets echo their initial value when mounted, and messages repeat `now` edits
        set_at(self.request, path, copy.deepcopy(value))
        self.last_changed = path
        self.query_one(PreviewPane).note_changed(path)
        self.server_problems = [p for p in self.server_problems if p.path[: len(path)] != path]
        self.app.mark_dirty()
        if now and not self.validation_pending:
            self.revalidate()
        else:
            self.schedule_validation()

    def replace_request(self, request: dict, *, source: str | None = None) -> None:
        """Load another request (open, paste, clone). The old one is only replaced on success."""
        self.request = copy.deepcopy(request)
        if source is not None:
            self.source = source
        self.run_worker(self.show_section(self.current), exclusive=True, group="section")
        self.revalidate()

    def show_server_problems(self, problems) -> None:
        """Fields the service rejected: highlighted like any other problem until edited."""
        self.server_problems = list(problems)
        self.revalidate()

    def schedule_validation(self) -> None:
        """Validate once the messages already queued are handled: no fixed delay (validation of the
        largest request takes ~2 ms), yet a burst (paste, key repeat) costs one validation."""
        if not self.validation_pending:
            self.validation_pending = True
            self.call_later(self._validate_pending)

    def _validate_pending(self) -> None:
        if self.validation_pending:
            self.revalidate()

    def revalidate(self) -> None:
        from smjob.validate import validate

        self.validation_pending = False
        self.problems = validate(self.request) + self.server_problems
        badges = {s.key: badge(s, self.request, self.problems) for s in self.all_sections}
        self.query_one(SectionList).update_badges(badges)
        self.query_one(ProblemsPanel).show(self.problems)
        self.apply_inline_problems()
        preview = self.query_one(PreviewPane)
        if self.has_class("-preview"):
            preview.update_request(self.request, self.last_changed)
        else:  # render lazily when the preview is shown
            preview.update_request(self.request, self.last_changed, render_now=False)
        self.update_status()
        self.app.schedule_autosave(self.request)

    def apply_inline_problems(self) -> None:
        by_path = problems_by_path(self.problems)
        for editor in self.query_one("#form").query(FieldEditor):
            found = by_path.get(format_path(editor.path), [])
            editor.show_problems([(p.severity, p.message) for p in found])

    def update_status(self, *, checking: bool = False) -> None:
        errors = sum(p.severity == ERROR for p in self.problems)
        warnings = len(self.problems) - errors
        name = (
            self.request.get("TrainingJobName") if isinstance(self.request.get("TrainingJobName"), str) else "(unnamed)"
        )
        text = Text("smjob ", style="bold")
        text.append_text(literal(name))
        text.append("  ")
        if checking:
            text.append("checking…", style="dim")
        elif errors:
            text.append(f"{errors} error(s)", style="bold red")
        else:
            text.append("valid", style="bold green")
        if warnings:
            text.append(f"  {warnings} warning(s)", style="yellow")
        if self.source:
            text.append("  ")
            text.append_text(literal(self.source))
        self.query_one("#status", Static).update(text, layout=False)  # one fixed line: no re-layout per keystroke

    # --- problems and jumping ------------------------------------------------------------
    @on(JumpTo)
    async def _jump(self, event: JumpTo) -> None:
        event.stop()
        await self.jump_to(event.path)

    async def jump_to(self, path: FieldPath) -> None:
        section = section_of(path, self.all_sections)
        if section is None:
            return
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
        if isinstance(target, FieldEditor):
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
        self.toggle_class("-preview")
        if self.has_class("-preview"):
            self.query_one(PreviewPane).update_request(self.request)

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
