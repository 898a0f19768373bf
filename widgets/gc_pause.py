"""The app's one garbage-collection policy.

A full collection walks every object Python tracks: ~57,000 once the editor shows the largest
request, 35-65 ms on a modest machine, more than a frame. So:

1. `freeze_startup()`, called before the editor builds its first widget, exempts what startup made
   (~37,000 objects: modules, schema, stylesheet; they live as long as the app) from every later
   collection: a full one then costs ~15 ms. Only objects that exist are frozen, so no widget is kept
   forever; no collection first, which would delay the first paint (~25 ms). `unfreeze()` when the
   editor goes away hands them back (a test process runs many apps).
2. An action that builds a frame (a section switch, opening or filtering the history) holds automatic
   collections off with a GcPause until the frame is painted. Like Textual's PAUSE_GC_ON_SCROLL,
   collection is deferred, not skipped: it resumes as soon as the frame is out, or after LIMIT seconds.
3. Where widgets are dropped in bulk (a section switch drops a whole form: reference cycles old enough
   to sit in the oldest generation, which only a full collection frees) `collect_dropped()` runs one
   before the next form is built. It frees the forms dropped before (the one just removed is still
   referenced by the screen until the next frame), and the new form reuses their memory. Measured over
   the memory walk: collecting after the frame instead saves ~15 ms a switch but peaks 0.7 MiB higher.
"""

from __future__ import annotations

import gc

from textual.dom import DOMNode

LIMIT = 0.5  # seconds: a slow query must not keep the collector off


def freeze_startup() -> None:
    gc.freeze()


def unfreeze() -> None:
    gc.unfreeze()


def collect_dropped() -> None:
    gc.collect()


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
