"""An Input that can be garbage collected after it is removed.

Textual 8's Input subscribes to its screen's text-selection signal with a closure over itself;
the signal keeps subscribers in a WeakKeyDictionary whose value (the closure) holds the key, so
the entry never dies. On the long-lived editor screen every field ever mounted stayed in memory
(about 1,000 Inputs after walking the largest request's sections).
"""

from __future__ import annotations

from textual.widgets import Input


class TextInput(Input):
    def _on_unmount(self) -> None:
        # Called along with Widget._on_unmount (Textual dispatches per class in the MRO).
        try:
            self.screen.text_selection_started_signal.unsubscribe(self)
        except Exception:  # noqa: BLE001 - no screen any more: nothing to unsubscribe from
            pass
