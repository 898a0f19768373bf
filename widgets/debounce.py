"""Run a callback once typing pauses: filters that query a store or AWS should not run per key."""

from __future__ import annotations

from collections.abc import Callable


class Debouncer:
    def __init__(self, owner, delay: float, callback: Callable) -> None:
        self.owner, self.delay, self.callback = owner, delay, callback
        self._timer = None

    def __call__(self, *args) -> None:
        self.cancel()
        self._timer = self.owner.set_timer(self.delay, lambda: self._fire(args))

    def _fire(self, args) -> None:
        self._timer = None
        self.callback(*args)

    @property
    def pending(self) -> bool:
        return self._timer is not None

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def flush(self, *args) -> None:
        """Run now if a call is waiting (e.g. Enter in a filter box)."""
        if self._timer is not None:
            self.cancel()
            self.callback(*args)
