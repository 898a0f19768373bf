"""The app's one garbage-collection policy.

A full collection walks every object Python tracks: ~57,000 once the editor has loaded and validated
the largest request (schema, validators, Textual's styles), 35-65 ms on a modest machine, more than a
frame. So:

1. `freeze_startup()`, once the editor's first validation is painted, moves what startup built (which
   lives as long as the app) out of the collector's sight: a full collection then costs ~12 ms.
   `unfreeze()` when the editor goes away hands it back (a test process runs many apps).
2. An action that builds a frame (a section switch, opening or filtering the history) holds the collector
   off with a GcPause until the frame is painted: no collection lands inside it. Like Textual's
   PAUSE_GC_ON_SCROLL, collection is deferred, not skipped: it resumes as soon as the frame is out, or
   after LIMIT seconds whatever happens.
3. Only where widgets are dropped in bulk (the section switch drops a whole form, a reference cycle old
   enough to sit in the oldest generation) is a full collection forced, after the frame (`collect=True`),
   so the next form reuses the memory instead of the heap growing until Python decides to collect.
"""

from __future__ import annotations

import gc

from textual.dom import DOMNode

LIMIT = 0.5  # seconds: a slow query must not keep the collector off


def freeze_startup() -> None:
    """Collect what startup threw away, then exempt everything left from future collections."""
    gc.collect()
    gc.freeze()


def unfreeze() -> None:
    gc.unfreeze()


class GcPause:
    def __init__(self, owner: DOMNode) -> None:
        self.owner = owner
        self._timer = None
        self._collect = False

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

    def end_after_paint(self, node: DOMNode | None = None, *, collect: bool = False) -> None:
        """Resume once `node`'s screen (default: the owner's) has painted its next frame; `collect`:
        then run a full collection (widgets were dropped)."""
        if self._timer is not None:
            self._collect = self._collect or collect
            (node or self.owner).call_after_refresh(self.end)
        elif collect:
            (node or self.owner).call_after_refresh(gc.collect)

    def end(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
            gc.enable()
            if self._collect:
                self._collect = False
                gc.collect()
