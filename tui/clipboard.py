"""Copy text: OSC 52 always (works over SSH, and in tmux with `set-clipboard on`), plus the
local clipboard through pyperclip only when there is a local display. Never raises."""

from __future__ import annotations

import os
import sys


def has_local_display() -> bool:
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return False
    if sys.platform == "darwin" or sys.platform.startswith("win"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def copy_text(app, text: str) -> str:
    """Copy and return a sentence saying what happened, for a notification."""
    app.copy_to_clipboard(text)  # OSC 52 to the terminal
    how = "sent to the terminal clipboard (OSC 52"
    how += "; in tmux this needs `set -g set-clipboard on`)" if os.environ.get("TMUX") else ")"
    if has_local_display():
        try:
            import pyperclip

            pyperclip.copy(text)
            how = "copied to the system clipboard and " + how
        except Exception as exc:  # no xclip/xsel, no clipboard daemon...
            how += f"; local clipboard unavailable: {type(exc).__name__}"
    return f"{len(text):,} characters {how}"
