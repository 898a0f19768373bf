"""Keys every picker shares. Focus stays in the filter line, where letters are filter text, so the
list moves with these and Escape closes."""

from textual.binding import Binding

LIST_KEYS = [
    Binding("escape", "cancel", "Cancel"),
    Binding("down", "move(1)", "Down", show=False),
    Binding("up", "move(-1)", "Up", show=False),
    Binding("pagedown", "page(1)", "Page down", show=False),
    Binding("pageup", "page(-1)", "Page up", show=False),
]
