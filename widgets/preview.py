"""The request as JSON, YAML, the AWS CLI command or Python, syntax highlighted.

Secret-looking Environment values are masked (smjob.secrets) on screen only: copy and export stay exact.

Only the visible tab is rendered on each change; the others render when shown.
"""

from __future__ import annotations

from textual.containers import Vertical

TABS = (("json", "JSON", "json"), ("yaml", "YAML", "yaml"), ("cli", "CLI", "bash"), ("python", "Python", "python"))


def changed_line(code: str, path: tuple) -> int | None:
    """The line showing the member at `path`: each name is looked for after the previous one's
    line, so nested members land near their parent. Approximate (list indices are skipped)."""
    lines = code.splitlines()
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

    def ensure_built(self) -> None:
        if self._tabs is None:
            from textual.widgets import TabbedContent, TabPane  # ~3 ms of imports kept off the cold start

            self._tabs = TabbedContent(initial=self._active)
            for fmt, title, _ in TABS:
                self._tabs.compose_add_child(TabPane(title, self._view(fmt), id=f"preview-{fmt}"))
            self.mount(self._tabs)

    @property
    def active(self) -> str:
        return self._tabs.active or self._active if self._tabs is not None else self._active

    @active.setter
    def active(self, pane_id: str) -> None:
        self._active = pane_id
        if self._tabs is None:
            self._render_active()
        elif self._tabs.is_mounted:
            self._tabs.active = pane_id
        else:  # built a moment ago (F4 while hidden): switch once it is mounted
            self.call_after_refresh(self._show_active_tab)

    def _show_active_tab(self) -> None:
        if self._tabs is not None and self._tabs.active != self._active:
            self._tabs.active = self._active

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
            self._render_active()

    @property
    def active_format(self) -> str:
        return (self.active or "preview-json").removeprefix("preview-")

    def _view(self, fmt: str):
        if fmt not in self._views:
            from smjob.widgets.code_view import CodeView

            lexer = next(lexer for name, _, lexer in TABS if name == fmt)
            self._views[fmt] = CodeView(lexer, id=f"code-{fmt}")
        return self._views[fmt]

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
        line = changed_line(code, self.changed_path)
        if line is not None:  # keep what the user just changed in view
            view.call_after_refresh(view.scroll_to_line, line)

    def on_tabbed_content_tab_activated(self, event) -> None:
        event.stop()
        self._active = event.pane.id or self._active
        self._render_active()
