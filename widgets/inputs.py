"""An Input that can be garbage collected after it is removed, and that types without re-layout.

Textual 8's Input subscribes to its screen's text-selection signal with a closure over itself;
the signal keeps subscribers in a WeakKeyDictionary whose value (the closure) holds the key, so
the entry never dies. On the long-lived editor screen every field ever mounted stayed in memory
(about 1,000 Inputs after walking the largest request's sections).
"""

from __future__ import annotations

from textual.widgets import Input


class TextInput(Input):
    _value_changing = False

    def _watch_value(self, value: str) -> None:
        self._value_changing = True
        try:
            super()._watch_value(value)
        finally:
            self._value_changing = False

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        # Input asks for a layout of the whole screen on every keystroke (its virtual width changed).
        # A fixed-size Input's box does not depend on its text, so a repaint is enough (~5 ms less a key).
        if layout and self._value_changing and not self.styles.auto_dimensions:
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _on_unmount(self) -> None:
        # Called along with Widget._on_unmount (Textual dispatches per class in the MRO).
        try:
            self.screen.text_selection_started_signal.unsubscribe(self)
        except Exception:  # noqa: BLE001 - no screen any more: nothing to unsubscribe from
            pass
