"""One line of upload progress: a bar, bytes and the file being sent. Thread-safe `report()`
(the upload runs in a worker thread; the line repaints at most every 0.1 s)."""

from __future__ import annotations

import time

from rich.text import Text
from textual.widgets import Static

from smjob.code.bundle import mib
from smjob.terminal_text import visible

BAR = 20


def progress_text(done: int, total: int, name: str) -> Text:
    fraction = done / total if total else 1.0
    filled = round(fraction * BAR)
    text = Text(f"{'Code':<12}", style="bold")
    text.append("\u2588" * filled, style="green")
    text.append("\u2591" * (BAR - filled), style="dim")
    text.append(f" {fraction:4.0%} {mib(done)} of {mib(total)}  ")
    text.append(visible(name), style="dim")
    return text


def code_line(settings) -> Text:
    """`Code  ./src  -> train.py (+ requirements)`: what the submit dialog will upload."""
    text = Text("Code        ", style="bold")
    text.append(visible(f"{settings.source_dir} -> {settings.entry_point}"))
    if settings.requirements:
        text.append(" (+ pip install -r " + visible(settings.requirements) + ")", style="dim")
    text.append("  uploaded first", style="dim")
    return text


class UploadProgress(Static):
    DEFAULT_CSS = "UploadProgress { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }"

    def __init__(self, text: str | Text = "", **kwargs) -> None:
        super().__init__(text, **kwargs)
        self._shown = 0.0

    def report(self, done: int, total: int, name: str) -> None:
        """The upload's progress callback (smjob.code.upload.Progress), from any thread."""
        now = time.monotonic()
        if done < total and now - self._shown < 0.1:
            return
        self._shown = now
        text = progress_text(done, total, name)
        try:
            self.app.call_from_thread(self.update, text)
        except RuntimeError:  # called from the app's own thread
            self.update(text)

    def say(self, text: str, style: str = "") -> None:
        self.update(Text(visible(text, multiline=True), style=style))
