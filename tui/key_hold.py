"""Keys typed while the editor switches sections reach the new section's field, never the old one.

Why keys were lost after ctrl+n: Textual forwards each key to the widget focused *when the app
reads it*, and focus moves later. A non-priority ctrl+n is forwarded to the old field first and
only bubbles back to the screen's binding after the keys behind it were forwarded to that same
field (typed into the old field, or dropped with it); and `Widget.focus()` only queues the focus
change (App.call_later), behind keys already waiting in the app's queue.

So section switches are priority bindings (run by the app before any later key is read), and
while one runs the app holds the keys it reads (KeyHold.hold) instead of forwarding them; the hold
is released by a callback queued after the new field's focus request, so the held keys are then
forwarded, in order, to the field that has the focus.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

from textual import events


class KeyHold:
    """Mixed into the App: `with app.holding_keys(): ...` holds raw keys until focus has moved.

    Keys are held from the start too, until the editor has its first form and field focused
    (`release_startup_keys`): a ctrl+n typed ahead while the app started ran the switch before the
    editor's forms were mounted, and the app died (MountError)."""

    last_key_at = 0.0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.held_keys: list | None = []  # held from the start (class docstring)

    def release_startup_keys(self) -> None:
        """The editor is ready: what was typed while it started goes, in order, to the focused field."""
        self.call_later(self._release_keys)  # after the focus request the editor made before this

    @contextmanager
    def holding_keys(self):
        if self.held_keys is None:
            self.held_keys = []
        try:
            yield
        finally:
            # Queued after the focus change requested inside the block: it runs once focus has moved.
            self.call_later(self._release_keys)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_key_at = time.monotonic()  # the editor builds forms ahead only when keys pause
        if self.held_keys is not None and isinstance(event, events.Key) and not event.is_forwarded:
            self.held_keys.append(event)
            return
        await super().on_event(event)

    async def _release_keys(self) -> None:
        held, self.held_keys = self.held_keys or [], None
        for index, event in enumerate(held):
            if self.held_keys is not None:  # a held ctrl+n started another switch: hold the rest again
                self.held_keys.extend(held[index:])
                return
            await super().on_event(event)
