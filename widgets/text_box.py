"""TextBox: the app's TextArea. Its own module: importing TextArea brings in Textual's document and
syntax machinery, which only string lists need. Workarounds: widgets/textual_fixes.py."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import TextArea

from smjob.terminal_text import one_cell_each
from smjob.widgets.textual_fixes import LeavesTheAppTheme, LeavesTheSelectionSignal


class TextBox(LeavesTheSelectionSignal, LeavesTheAppTheme, TextArea):
    """Shows control characters in the text (pasted, or read from a file) as one visible cell each."""

    def get_line(self, line_index: int) -> Text:
        return Text(one_cell_each(self.document.get_line(line_index)), end="", no_wrap=True)
