"""`smjob validate FILE | head -1`: the reader may leave early; the exit status must still be the command's."""

from __future__ import annotations

import contextlib
import os
import sys


class _PipeSafe:
    """A stdout whose writes stop (silently) once the reader has gone, so the command runs on to its
    own exit status instead of dying on BrokenPipeError."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._broke()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._broke()

    def _broke(self) -> None:
        self.broken = True
        # Python flushes stdout again at exit: point the descriptor at /dev/null so that cannot fail.
        devnull = os.open(os.devnull, os.O_WRONLY)
        with contextlib.suppress(OSError):
            os.dup2(devnull, self._stream.fileno())
        os.close(devnull)

    def __getattr__(self, name):
        return getattr(self._stream, name)


@contextlib.contextmanager
def reader_may_leave():
    original = sys.stdout
    sys.stdout = _PipeSafe(original)
    try:
        yield
    finally:
        sys.stdout = original
