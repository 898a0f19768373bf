"""The request as JSON, YAML, the AWS CLI command or Python, syntax highlighted.

Secret-looking Environment values are masked (smjob.secrets) on screen only: copy and export stay exact.

Only the visible tab is rendered on each change; the others render when shown.

Keys while the preview has focus: `w` wraps long lines, `[` / `]` narrow or widen it beside the
form. Where it replaces the form (narrow terminals) it takes the focus when shown, so the arrows
and PgUp/PgDn scroll it at once, and gives it back to the field that had it when hidden.
"""

from __future__ import annotations

import weakref

from textual.binding import Binding
from textual.containers import Vertical

TABS = (("json", "JSON", "json"), ("yaml", "YAML", "yaml"), ("cli", "CLI", "bash"), ("python", "Python", "python"))
# A preview this long (a 1 MB value; the largest practical request is 0.3 MB) is not rendered again
# on every key, but once typing pauses: each render cost ~7 ms, and the typed character came a frame late.
LARGE = 512 * 1024  # characters
TYPING_PAUSE = 0.1  # s
SHARE = 0.45  # of the screen's width, beside the form, unless the user resized it
FORM_MIN = 60  # columns the form keeps at the default share (the section list takes 25 more)
SECTIONS = 25
RESIZE_STEP = 4  # columns per `[` / `]`


def changed_line(lines: list[str], path: tuple) -> int | None:
    """The line showing the member at `path`: each name is looked for after the previous one's
    line, so nested members land near their parent. Approximate (list indices are skipped).
    `lines`: the view's, already split (splitting the preview again cost a pass over it per key)."""
    found = None
    start = 0
    for name in (step for step in path if isinstance(step, str)):
        needles = (f'"{name}"', f"{name}:", f"'{name}'", f"{name}=")
        hit = next((n for n in range(start, len(lines)) if any(x in lines[n] for x in needles)), None)
        if hit is None:
            break
        found = start = hit
    return found


class PreviewPane(Vertical):
    """The tabs are built the first time the preview is shown: at 80 columns it starts hidden, and
    its ~15 widgets were a good part of the cold start."""

    BINDINGS = [
        Binding("w", "toggle_wrap", "Wrap", id="preview.wrap"),
        Binding("left_square_bracket", "resize(-1)", "Narrower", id="preview.narrower", show=False),
        Binding("right_square_bracket", "resize(1)", "Wider", id="preview.wider", show=False),
    ]
    DEFAULT_CSS = """
    PreviewPane { height: 1fr; }
    PreviewPane > TabbedContent { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.request: dict = {}
        self.rendered: set[str] = set()  # formats whose view shows the current request
        self.changed_path: tuple = ()
        self._json = None  # a JsonByMember, made on the first render
        self._json_changed: set[str] | None = None  # members edited since the JSON was rendered; None: all
        self._views: dict = {}  # format -> CodeView, made when first needed (imports kept off the cold start)
        self._tabs = None  # a TabbedContent, built when first shown
        self._active = "preview-json"
        self._pending: str | None = None  # a format chosen before the tabs were mounted
        self.wrap = False
        self.width_cells: int | None = None  # set by the user's `[` / `]`; None: SHARE of the screen
        self._fit: tuple[int, bool] = (0, False)  # (screen width, beside the form) from fit_width
        # The last focused widget outside the preview, weakly: a strong reference kept a whole
        # removed form (its widgets link to each other) alive after a section switch.
        self._focus_before: weakref.ref | None = None
        self._large = False  # the last render was LARGE or longer
        self._render_timer = None

    def ensure_built(self) -> None:
        if self._tabs is None:
            from textual.widgets import TabbedContent, TabPane  # ~3 ms of imports kept off the cold start

            # No `initial`: Textual's Tabs activates it from its own on_mount, which under load ran before
            # its Tab widgets were mounted and raised ValueError ("No Tab with id"), closing the app. The
            # active tab is set once the tabs are there.
            self._tabs = TabbedContent()
            for fmt, title, _ in TABS:
                self._tabs.compose_add_child(TabPane(title, self._view(fmt), id=f"preview-{fmt}"))
            self.mount(self._tabs)
            self._pending = self._active
            self.call_after_refresh(self._show_active_tab)

    @property
    def active(self) -> str:
        return self._tabs.active or self._active if self._tabs is not None else self._active

    @active.setter
    def active(self, pane_id: str) -> None:
        self._active = pane_id
        if self._tabs is None:
            self._render_active()
        else:
            self._pending = pane_id
            self._show_active_tab()

    def _show_active_tab(self) -> None:
        """Activate the pending tab once its Tab is mounted (built a moment ago: F4 while hidden, at start)."""
        tabs, pending = self._tabs, self._pending
        if tabs is None or pending is None or not tabs.is_attached:
            return
        if not tabs.is_mounted or not tabs.query(f"#--content-tab-{pending}"):
            self.call_after_refresh(self._show_active_tab)
            return
        if tabs.active != pending:
            tabs.active = pending
        self._pending = None

    def note_changed(self, path: tuple) -> None:
        """An edit at `path` (() for a whole new request): the JSON re-encodes only what changed."""
        if not path or not isinstance(path[0], str):
            self._json_changed = None
        elif self._json_changed is not None:
            self._json_changed.add(path[0])

    def update_request(self, request: dict, changed_path: tuple = (), *, render_now: bool = True) -> None:
        """Show `request`. Without `changed_path` anything may have changed; edits are told by note_changed."""
        if not changed_path or request is not self.request:
            self._json_changed = None
        self.request = request
        self.rendered.clear()
        self.changed_path = changed_path
        if render_now:
            self.ensure_built()
            if self._large and changed_path:
                if self._render_timer is not None:
                    self._render_timer.stop()
                self._render_timer = self.set_timer(TYPING_PAUSE, self._render_after_pause)
            else:
                self._render_active()

    def _render_after_pause(self) -> None:
        self._render_timer = None
        self._render_active()

    @property
    def active_format(self) -> str:
        return (self.active or "preview-json").removeprefix("preview-")

    def _view(self, fmt: str):
        if fmt not in self._views:
            from smjob.widgets.code_view import CodeView

            lexer = next(lexer for name, _, lexer in TABS if name == fmt)
            self._views[fmt] = CodeView(lexer, wrap=self.wrap, id=f"code-{fmt}")
        return self._views[fmt]

    @property
    def active_view(self):
        return self._view(self.active_format)

    # --- focus: the preview in place of the form ----------------------------------------------
    def on_mount(self) -> None:
        self.watch(self.screen, "focused", self._focus_moved, init=False)

    def _focus_moved(self, focused) -> None:
        # Remembered as it happens: when the form is hidden, Textual has already let its field go.
        if focused is not None and self not in focused.ancestors:
            self._focus_before = weakref.ref(focused)

    def on_show(self) -> None:
        focused = self.screen.focused
        if focused is None or not focused.region:  # the form (and its focused field) went away
            self.call_after_refresh(self._focus_view)

    def _focus_view(self) -> None:
        focused = self.screen.focused
        if focused is not None and focused.region:
            return  # the focus found a field meanwhile (a section switch): the preview must not take it
        view = self.active_view
        if view.is_mounted and self.display:
            view.focus(scroll_visible=False)

    def on_hide(self) -> None:
        focused = self.screen.focused
        before = self._focus_before() if self._focus_before is not None else None
        if before is not None and before.is_attached and (focused is None or self in focused.ancestors):
            self.call_after_refresh(before.focus)

    # --- keys ----------------------------------------------------------------------------------
    def action_toggle_wrap(self) -> None:
        self.wrap = not self.wrap
        for view in self._views.values():
            view.set_wrap(self.wrap)
        self.notify(f"Preview: long lines {'wrapped' if self.wrap else 'cut (scroll sideways)'}", timeout=2)

    def fit_width(self, screen_width: int, beside: bool) -> None:
        """The preview's width beside the form: SHARE of the screen (the form keeps FORM_MIN), or
        what the user chose; in place of the form (not beside), the layout's own."""
        self._fit = (screen_width, beside)
        if not beside:
            self.styles.width = None
            return
        if self.width_cells is None:
            cells = min(round(screen_width * SHARE), screen_width - SECTIONS - FORM_MIN)
        else:
            cells = self.width_cells
        self.styles.width = max(20, min(cells, screen_width - SECTIONS - 30))

    def action_resize(self, direction: int) -> None:
        """`]` widens the preview, `[` narrows it (beside the form), RESIZE_STEP columns a key."""
        screen_width, beside = self._fit
        if not beside:
            return
        current = self.width_cells if self.width_cells is not None else self.outer_size.width  # keys may outrun layout
        self.width_cells = max(20, min(current + direction * RESIZE_STEP, screen_width - SECTIONS - 30))
        self.fit_width(screen_width, beside)

    def _render_active(self) -> None:
        fmt = self.active_format
        if fmt in self.rendered:
            return
        from smjob.render import JsonByMember, render
        from smjob.secrets import mask_secrets

        try:
            shown = mask_secrets(self.request)  # on screen only: copy/export stay exact
            if fmt == "json":
                self._json = self._json or JsonByMember()
                code = self._json.render(shown, self._json_changed)
                self._json_changed = set()
            else:
                code = render(shown, fmt)
        except Exception as exc:  # a renderer must never take the editor down
            code = f"# cannot render {fmt}: {exc}"
        view = self._view(fmt)
        view.set_code(code)
        self.rendered.add(fmt)
        line = changed_line(view.lines, self.changed_path)
        if line is not None:  # keep what the user just changed in view
            view.call_after_refresh(view.scroll_to_line, line)
        self._large = len(code) >= LARGE

    def on_tabbed_content_tab_activated(self, event) -> None:
        event.stop()
        if self._pending is not None and event.pane.id != self._pending:
            return  # the tabs' initial tab, activated on mount: the chosen one follows
        had_focus = self.screen.focused is not None and self in self.screen.focused.ancestors
        self._active = event.pane.id or self._active
        self._render_active()
        if had_focus:  # F4 with focus in the preview: it stays in the preview, on the new format
            self.active_view.focus(scroll_visible=False)
