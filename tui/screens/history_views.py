"""The history screen's modals: one entry's request, and the changes between two requests."""

from __future__ import annotations

import json

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from smjob.history import Entry
from smjob.secrets import mask_changes, mask_secrets
from smjob.tui.screens.history_rows import ACTION_LABELS, local_time, status_text
from smjob.widgets.base import literal
from smjob.widgets.code_view import CodeView
from smjob.widgets.diff_view import DiffView, summary
from smjob.widgets.footer import QuietFooter

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 95%; max-width: 110; height: 1fr; margin: 1 0 0 0; border: round $primary; background: $surface;
}}
{name} .modal-title {{ height: auto; padding: 0 1; text-style: bold; }}
{name} .modal-facts {{ height: auto; padding: 0 1; color: $text-muted; }}
{name} .modal-error {{ height: auto; padding: 0 1; color: $error; }}
{name} VerticalScroll {{ height: 1fr; padding: 0 1; }}
"""


def request_code(request) -> str:
    """The request as JSON with secret-looking values hidden (this is for the screen only)."""
    try:
        from smjob.render import to_json

        return to_json(mask_secrets(request))
    except Exception:
        return json.dumps(mask_secrets(request), indent=2, ensure_ascii=False, default=str)


class EntryViewScreen(ModalScreen[None]):
    """One entry: where and when it went, AWS's error if it failed, and its request as JSON.
    The JSON is a CodeView: only the rows in view are highlighted, so a big request opens at once."""

    BINDINGS = [Binding("escape,q,v", "dismiss", "Close", id="history.view.close")]
    # Opaque: a see-through modal re-renders and dims the whole history screen on every frame.
    DEFAULT_CSS = (
        MODAL_CSS.format(name="EntryViewScreen")
        + """
    EntryViewScreen { background: $background; }
    EntryViewScreen #entry-code { height: 1fr; padding: 0 0 0 1; }
    EntryViewScreen .modal-none { height: 1fr; padding: 0 1; color: $text-muted; }
    """
    )

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        e = self.entry
        title = Text(f"#{e.id} {ACTION_LABELS.get(e.action, e.action)}  ")
        title.append_text(literal(e.job_name or "(no name)"))
        if e.status:
            title.append("  ")
            title.append_text(status_text(e.status))
        facts = [local_time(e.created, short=False)]
        where = ", ".join(x for x in (e.profile and f"profile {e.profile}", e.region, e.endpoint) if x)
        if where:
            facts.append(where)
        if e.arn:
            facts.append(e.arn)
        if e.path:
            facts.append(f"file {e.path}")
        with Vertical():
            yield Static(title, classes="modal-title")
            yield Static(literal("\n".join(facts)), classes="modal-facts")
            if e.error:
                yield Static(literal(f"error: {e.error}"), classes="modal-error")
            if e.request is None:
                yield Static("(no request was recorded)", classes="modal-none")
            else:
                code = CodeView("json", wrap=True, id="entry-code")
                code.set_code(request_code(e.request))  # shown as text: markup stays literal
                yield code
        yield QuietFooter()

    def on_mount(self) -> None:
        for code in self.query("#entry-code"):
            code.focus()


class DiffScreen(ModalScreen[None]):
    """The changes from one request to another (smjob.diff), colored by kind."""

    BINDINGS = [Binding("escape,q,d", "dismiss", "Close", id="history.diff.close")]
    DEFAULT_CSS = (
        MODAL_CSS.format(name="DiffScreen")
        + """
    DiffScreen > Vertical { height: auto; max-height: 100%; }
    DiffScreen VerticalScroll { height: auto; max-height: 70vh; }
    """
    )

    def __init__(self, changes, before: str, after: str) -> None:
        super().__init__()
        self.changes = mask_changes(changes)  # on screen: secret-looking values hidden
        self.before, self.after = before, after

    def compose(self) -> ComposeResult:
        title = Text("Changes from ")
        title.append_text(literal(self.before))
        title.append(" \u2192 ")
        title.append_text(literal(self.after))
        with Vertical():
            yield Static(title, classes="modal-title")
            if self.changes:  # "no differences" is said once, by the DiffView
                yield Static(summary(self.changes), classes="modal-facts")
            with VerticalScroll(id="diff-scroll"):
                yield DiffView(self.changes, id="diff-view")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.query_one("#diff-scroll").focus()
