"""A TextArea that is freed once removed (see widgets/inputs.py). Its own module: importing
TextArea brings in Textual's document and syntax machinery, which only string lists need."""

from __future__ import annotations

from textual.widgets import TextArea

from smjob.widgets.inputs import LeavesTheSelectionSignal


class TextBox(LeavesTheSelectionSignal, TextArea):
    pass
