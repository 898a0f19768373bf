"""Hold Python's cyclic garbage collector off until the frame an action builds is painted.

A full collection walks every object the app holds (~100,000: widgets, styles, cached strips),
35-65 ms on a modest machine. One landing inside "open the history" doubles the wait for the
frame. Like Textual's PAUSE_GC_ON_SCROLL, the collection is deferred, not skipped: it runs as
soon as the frame is out, while the user reads it, or after LIMIT seconds whatever happens.
"""

from __future__ import annotations

import gc

from textual.dom import DOMNode

LIMIT = 0.5  # seconds: a slow query must not keep the collector off


class GcPause:
    def __init__(self, owner: DOMNode) -> None:
        self.owner = owner
        self._timer = None

    @property
    def active(self) -> bool:
        return self._timer is not None

    def begin(self) -> None:
        """Pause collection (unless something else already has) until `end`, or LIMIT."""
        if self._timer is not None:
            self._timer.reset()
            return
        if not gc.isenabled():
            return  # someone else paused it (e.g. a scroll animation): theirs to resume
        gc.disable()
        self._timer = self.owner.set_timer(LIMIT, self.end)

    def end_after_paint(self, node: DOMNode | None = None) -> None:
        """Resume once `node`'s screen (default: the owner's) has painted its next frame."""
        if self._timer is not None:
            (node or self.owner).call_after_refresh(self.end)

    def end(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
            gc.enable()
