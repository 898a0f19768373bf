"""The editor's side of the Code section: its form, its badge, and the request the preview shows.

The settings live on the app (`app.code`, a CodeState) because drafts, history, submit and export
read them there; the editor asks these helpers, so its own code stays a few lines.
"""

from __future__ import annotations

from smjob.sections import CODE_KEY, Badge, OwnSection

CHECK_DELAY = 0.3  # seconds after the last edit before the folder is scanned


def code_state(app):
    return getattr(app, "code", None)


def own_section_widgets(screen, section: OwnSection) -> list:
    from smjob.widgets.code_form import CodeForm

    state = code_state(screen.app)
    if section.key != CODE_KEY or state is None:
        return []
    return [CodeForm(state, screen.app.code_changed, lambda: screen.request, id="code-form")]


def shown_request(app, request: dict) -> dict:
    """What the preview shows: the completed request when the job has code."""
    state = code_state(app)
    return state.completed(request) if state is not None else request


def code_badge(app, request: dict) -> Badge:
    state = code_state(app)
    if state is None or state.settings is None:
        return Badge(0, 0, False)
    return Badge(1 if state.problem(request) else 0, 0, True)


def refresh_form(screen) -> None:
    """The folder's check finished: the form's status line and the preview follow."""
    from smjob.widgets.code_form import CodeForm

    for form in screen.query(CodeForm):
        form.show_check()
