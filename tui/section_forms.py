"""The editor's section forms: the shown one, the one just left, and the next one, built ahead.

Building a form costs 20-70 ms here (composing and styling 10-80 widgets), and laying it out the
first time up to 20 ms more. So the section next in the direction of travel is built ahead once the
user has been idle for a moment (composed, styled and mounted, invisible and out of the flow), and
the form just left stays mounted, hidden (display: none, neither laid out nor painted), for the
ctrl+r that undoes a ctrl+n. Going on in either direction is then always a swap, never a build.
Textual sizes an invisible form's widgets only once it is shown, so showing the biggest forms still
costs ~20 ms of layout and first paint (moving the form off-screen instead, visible and sized while
it waits, measured no faster).

No other form is kept: each widget costs ~25 KB (its message queue, styles, rendered lines), and the
memory walk in `make bench` peaked 1.2 MiB higher (1.51x the minimal app, over the 1.5x goal) with
100 more widgets kept, for no faster switch at a reading pace. A kept form stays current by
construction (its widgets are the ones that made the edits); whatever changes the request from
outside (a load, an undo of another section) either drops the forms or reloads the widget it changed
(EditorScreen.show_value searches every kept form).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.containers import Vertical, VerticalScroll

from smjob.sections import Section

CURRENT = "-current"  # class of the shown form; nothing styles it, AUTO_FOCUS and tests select by it


class SectionForms(Vertical):
    """Holds one VerticalScroll (class `form`) per kept section (at most three); only the current one
    is displayed."""

    DEFAULT_CSS = "SectionForms { height: 1fr; layers: shown ahead; } SectionForms > .form { layer: shown; }"

    def __init__(self, build: Callable[[Section], list], first: Section, **kwargs) -> None:
        super().__init__(**kwargs)
        self._build = build
        self._first = first
        self._forms: dict[str, VerticalScroll] = {}
        self.current: VerticalScroll | None = None
        self._previous: str | None = None  # the section of the form just left
        self._ahead: str | None = None  # the section of the form built ahead, until it is shown
        self._dropped = False  # forms removed since the last take_dropped()
        self._stale = False  # the request was replaced: no kept form may be shown again
        self._showing = False  # a show() is under way

    def compose(self):
        # The first form is composed with the screen, so it is in the first frame.
        form = self._new_form(self._first, self._build(self._first))
        self._forms[self._first.key] = form
        self._set_current(form)
        yield form

    def take_dropped(self) -> bool:
        """Whether forms were dropped since the last call (their widgets await a full collection)."""
        dropped, self._dropped = self._dropped, False
        return dropped

    def kept(self, key: str) -> bool:
        return key in self._forms

    def all_forms(self) -> list[VerticalScroll]:
        return list(self._forms.values())

    def invalidate(self) -> None:
        """The request was replaced: the next `show` rebuilds, whichever section it shows."""
        self._stale = True

    async def show(self, section: Section) -> None:
        """Display `section`'s form, built now if it is not kept."""
        self._showing = True
        try:
            await self._show(section)
        finally:
            self._showing = False
        # After the frame: removing a form (its ~70 widgets' message loops) took ~5 ms of the switch.
        self.call_after_refresh(self._trim)

    async def _show(self, section: Section) -> None:
        if self._stale:
            self._stale = False
            await self._drop(list(self._forms.values()))
            self._forms.clear()
            self.current = self._previous = self._ahead = None
        form = self._forms.get(section.key)
        if form is None:
            form = await self._mount(section, ahead=False)
        if self._ahead == section.key:
            self._ahead = None
        if self.current is not None and self.current is not form:
            self._previous = self.current.name
            self.current.display = False
        form.display = True
        if form.styles.visibility == "hidden":  # built ahead: now in the flow
            form.styles.layer = "shown"
            form.styles.visibility = "visible"
        self._set_current(form)

    async def build_ahead(self, section: Section) -> None:
        """Mount `section`'s form, invisible, ready for a later `show`."""
        if section.key not in self._forms:
            self._ahead = section.key
            await self._mount(section, ahead=True)
            await self._trim()

    async def _mount(self, section: Section, *, ahead: bool) -> VerticalScroll:
        form = self._new_form(section, [])
        if ahead:
            # Out of the flow, not drawn, and out of the focus chain until shown.
            form.styles.layer = "ahead"
            form.styles.visibility = "hidden"
        self._forms[section.key] = form
        await self.mount(form)
        if form.is_attached:  # not when the app is closing (a build ahead may be under way then)
            await form.mount_all(self._build(section))
        return form

    async def _trim(self) -> None:
        """Drop every form but the current one, the one just left and the one built ahead."""
        if self._showing:
            return  # a show is under way (its form may be mounting): it trims when done
        keep = {self._previous, self._ahead}
        dropped = [key for key, form in self._forms.items() if form is not self.current and key not in keep]
        if dropped:
            await self._drop([self._forms.pop(key) for key in dropped])

    async def _drop(self, forms: list) -> None:
        if forms:
            self._dropped = True
            await self.remove_children(forms)

    def _set_current(self, form: VerticalScroll) -> None:
        if self.current is not None:
            self.current.remove_class(CURRENT, update=False)
        form.add_class(CURRENT, update=False)
        self.current = form

    @staticmethod
    def _new_form(section: Section, widgets: list) -> VerticalScroll:
        # Not a Tab stop of its own (an invisible one before the first field); PgUp/PgDn still scroll it
        # from any field inside, its bindings apply to the focused widget's ancestors.
        return VerticalScroll(*widgets, classes="form", name=section.key, can_focus=False)
