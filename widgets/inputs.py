"""Input and TextArea that can be garbage collected after they are removed; Input types without re-layout.

Textual 8's Input and TextArea subscribe to their screen's text-selection signal with a closure
over themselves; the signal keeps subscribers in a WeakKeyDictionary whose value (the closure)
holds the key, so the entry never dies. On the long-lived editor screen every field ever mounted
stayed in memory (about 1,000 Inputs after walking the largest request's sections).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Input

from smjob.terminal_text import one_cell_each


class LeavesTheSelectionSignal:
    def _on_unmount(self) -> None:
        # Called along with Widget._on_unmount (Textual dispatches per class in the MRO).
        try:
            self.screen.text_selection_started_signal.unsubscribe(self)
        except Exception:
            pass
        # TextArea also watches the app's theme; Textual prunes closed watchers only when the theme
        # changes, so until then the app's watcher list holds every TextArea ever mounted.
        for watchers in getattr(self.app, "__watchers", {}).values():
            watchers[:] = [(node, callback) for node, callback in watchers if node is not self]


class TextInput(LeavesTheSelectionSignal, Input):
    """`edited(text)`, if given, is called inside the keystroke's own handler (unless Changed is
    prevented), before Textual can paint: the editor validates and updates the preview in the same
    frame as the typed character. Input.Changed is still posted as usual."""

    _value_changing = False
    edited: Callable[[str], None] | None = None

    def __init__(self, *args, edited: Callable[[str], None] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.edited = edited

    def _watch_value(self, value: str) -> None:
        self._value_changing = True
        try:
            super()._watch_value(value)
        finally:
            self._value_changing = False
        if self.edited is not None and self.is_mounted and not self._is_prevented(Input.Changed):
            self.edited(value)

    @property
    def _value(self) -> Text:
        # The value comes from files, the clipboard or AWS: a control character in it (ESC ] 52 sets the
        # clipboard) is drawn as one visible cell (␛), never written to the terminal. The value stays exact.
        if self.password:
            return Text("•" * len(self.value), no_wrap=True, overflow="ignore", end="")
        return Text(one_cell_each(self.value), no_wrap=True, overflow="ignore", end="")

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        # Input asks for a layout of the whole screen on every keystroke (its virtual width changed).
        # A fixed-size Input's box does not depend on its text, so a repaint is enough (~5 ms less a key).
        if layout and self._value_changing and not self.styles.auto_dimensions:
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
