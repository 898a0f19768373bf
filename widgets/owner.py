"""The one channel from widgets to the request: its owner (the editor screen, or a test harness).

Widgets read values with `value_at` and hand every edit to `apply_edit`, a direct call made inside
the event that caused it (a keystroke, a button, a pick), so the frame that shows the edit shows its
validation too. A widget finds its owner once, among its ancestors, when first needed after mount.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from smjob.paths import FieldPath


@runtime_checkable
class RequestOwner(Protocol):
    def value_at(self, path: FieldPath) -> Any:
        """The current value at `path` (None when absent)."""

    def apply_edit(self, path: FieldPath, value, *, typing: bool = False, label: str | None = None) -> None:
        """Set `value` at `path` (None removes it). `typing`: a keystroke in a field, which the undo
        history coalesces with the next ones; `label` names the edit there ("Undid: ...")."""

    def problems_at(self, path: FieldPath, *, inner: bool = False) -> list[tuple[str, str]]:
        """(severity, message) of the problems at `path`, for widgets mounted after a validation;
        `inner`: those inside it too (a map's keys, a list's items), each naming its entry."""


class NoRequestOwner(LookupError):
    pass


_IS_OWNER: dict[type, bool] = {}  # a protocol check per class, not per widget (it costs microseconds)


def find_owner(widget) -> RequestOwner:
    """The nearest ancestor (screen and app included) that owns the request. Raises NoRequestOwner."""
    for node in widget.ancestors:
        cls = type(node)
        is_owner = _IS_OWNER.get(cls)
        if is_owner is None:
            is_owner = _IS_OWNER[cls] = issubclass(cls, RequestOwner)
        if is_owner:
            return node
    raise NoRequestOwner(
        f"{type(widget).__name__} at {getattr(widget, 'path', '?')} has no RequestOwner among its ancestors: "
        "mount it under a screen or app implementing value_at, apply_edit and problems_at"
    )


class OwnedWidget:
    """Mixin: `self.owner`, resolved once, on mount (or on first use, if a subclass's mount needs it)."""

    _owner: RequestOwner | None = None

    def _on_mount(self) -> None:
        # Dispatched with the widget's other mount handlers (Textual calls one per class in the MRO):
        # a widget mounted where no one owns the request fails now, not at the first edit.
        self.owner  # noqa: B018

    @property
    def owner(self) -> RequestOwner:
        if self._owner is None:
            self._owner = find_owner(self)
        return self._owner
