"""The request as JSON, YAML, the AWS CLI command or Python, syntax highlighted.

Secret-looking Environment values are masked (smjob.secrets); `text_of` stays exact.

Only the visible tab is rendered on each change; the others render when shown.
"""

from __future__ import annotations

from rich.syntax import Syntax
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from smjob.render import render
from smjob.secrets import mask_secrets

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


class PreviewPane(TabbedContent):
    DEFAULT_CSS = """
    PreviewPane { height: 1fr; }
    PreviewPane VerticalScroll { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(initial="preview-json", **kwargs)
        self.request: dict = {}
        self.rendered: dict[str, object] = {}
        self.changed_path: tuple = ()

    def compose(self) -> ComposeResult:
        # Panes are added as children, then TabbedContent's own compose builds the tab bar.
        for fmt, title, _ in TABS:
            self.compose_add_child(TabPane(title, VerticalScroll(Static("", id=f"code-{fmt}")), id=f"preview-{fmt}"))
        yield from super().compose()

    def update_request(self, request: dict, changed_path: tuple = ()) -> None:
        self.request = request
        self.rendered.clear()
        self.changed_path = changed_path
        self._render_active()

    @property
    def active_format(self) -> str:
        return (self.active or "preview-json").removeprefix("preview-")

    def text_of(self, fmt: str) -> str:
        return render(self.request, fmt)

    def _render_active(self) -> None:
        fmt = self.active_format
        if fmt in self.rendered:
            return
        lexer = dict((f, lx) for f, _, lx in TABS)[fmt]
        try:
            code = render(mask_secrets(self.request), fmt)  # on screen only: copy/export stay exact
        except Exception as exc:  # a renderer must never take the editor down
            code = f"# cannot render {fmt}: {exc}"
        # Syntax renders code as text: markup or escapes inside values stay literal.
        syntax = Syntax(code.replace("\x1b", "\\x1b"), lexer, theme="ansi_dark", word_wrap=False, line_numbers=False)
        self.query_one(f"#code-{fmt}", Static).update(syntax)
        self.rendered[fmt] = True
        line = changed_line(code, getattr(self, "changed_path", ()))
        if line is not None:  # keep what the user just changed in view
            scroller = self.query_one(f"#preview-{fmt} VerticalScroll", VerticalScroll)
            scroller.call_after_refresh(scroller.scroll_to, y=max(0, line - 3), animate=False)

    @on(TabbedContent.TabActivated)
    def _tab(self, event: TabbedContent.TabActivated) -> None:
        self._render_active()
