"""Waits on conditions, never for a fixed time: under load a fixed pause is sometimes too short.

`wait_until(pilot, predicate)` in pilot tests polls with bare `pilot.pause()` (which lets the app
process its messages and sleeps at least one 20 ms tick); `wait_until_sync(predicate)` polls from
plain (threaded) code. Both fail with what they waited for and the last state seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable

TIMEOUT = 10.0  # seconds: generous, the shared CI box can be slow; a passing wait returns at once


async def wait_until(pilot, predicate: Callable[[], object], timeout: float = TIMEOUT, what: str = "") -> float:
    """Poll until `predicate()` is true; returns the seconds waited."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            app = pilot.app
            raise AssertionError(
                f"timed out after {timeout} s waiting for {what or predicate}; "
                f"screen {app.screen!r}, focused {app.focused!r}"
            )
        await pilot.pause()
    return time.monotonic() - start


def wait_until_sync(predicate: Callable[[], object], timeout: float = TIMEOUT, what: str = "") -> float:
    """The same for code outside the app's event loop (threads, subprocesses, files)."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(0.01)
    return time.monotonic() - start
