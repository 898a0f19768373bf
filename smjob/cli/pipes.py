"""How the commands' output reaches its reader.

- `smjob validate FILE | head -1`: the reader may leave early; the exit status must still be the command's.
- On a terminal, everything printed (job names, server messages, file paths, diffs) is shown with
  control characters escaped: one place, so no print can forget it. Output to a pipe or a file
  stays exact (`smjob render > job.json`)."""

from __future__ import annotations

import contextlib
import os
import re
import sys

_COLOUR = re.compile(r"(\x1b\[[0-9;]*m)")  # SGR: colours and bold, nothing else


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


class _TerminalSafe:
    """A terminal stream whose writes cannot carry control sequences (smjob.terminal_text);
    `colours`: SGR sequences (colours, bold) pass, everything else is still escaped."""

    def __init__(self, stream, *, colours: bool = False) -> None:
        self._stream = stream
        self._colours = colours

    def write(self, text: str) -> int:
        from smjob.terminal_text import visible

        if self._colours:
            parts = _COLOUR.split(text)  # odd parts are the colour sequences
            self._stream.write("".join(p if i % 2 else visible(p, multiline=True) for i, p in enumerate(parts)))
        else:
            self._stream.write(visible(text, multiline=True))
        return len(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def for_terminal(stream):
    """`stream`, escaped when it is a terminal."""
    try:
        return _TerminalSafe(stream) if stream.isatty() else stream
    except (AttributeError, ValueError):  # closed or not a real stream
        return stream


@contextlib.contextmanager
def colours_on_stderr():
    """While the app runs: Textual's crash report (a Rich traceback) keeps its colours on a terminal
    instead of showing them as `\x1b[...` text; any other control character is still escaped."""
    current = sys.stderr
    if isinstance(current, _TerminalSafe):
        sys.stderr = _TerminalSafe(current._stream, colours=True)
    try:
        yield
    finally:
        sys.stderr = current


@contextlib.contextmanager
def guarded_output():
    original_out, original_err = sys.stdout, sys.stderr
    sys.stdout = _PipeSafe(for_terminal(original_out))
    sys.stderr = for_terminal(original_err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = original_out, original_err
