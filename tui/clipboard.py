"""Copy text: OSC 52 always (works over SSH, and in tmux with `set-clipboard on`), plus the
local clipboard through pyperclip only when there is a local display. Never raises."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def has_local_display() -> bool:
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return False
    if sys.platform == "darwin" or sys.platform.startswith("win"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def tmux_set_clipboard() -> str | None:
    """Inside tmux, its `set-clipboard` option (on, external, off), which decides whether OSC 52 from
    an application arrives; None outside tmux or when tmux cannot be asked."""
    tmux = shutil.which("tmux")
    if not os.environ.get("TMUX") or tmux is None:
        return None
    try:
        out = subprocess.run(
            [tmux, "show-options", "-gv", "set-clipboard"], capture_output=True, text=True, timeout=1, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _terminal_route() -> str:
    if not os.environ.get("TMUX"):
        return "sent to the terminal clipboard (OSC 52)"
    state = tmux_set_clipboard()
    if state == "on":
        return "sent to the clipboard through tmux (set-clipboard on)"
    if state is None:
        return (
            "sent to the terminal clipboard (OSC 52; tmux needs `set -g set-clipboard on`, which could not be checked)"
        )
    return f"NOT copied by tmux: its set-clipboard is {state}; run `tmux set -g set-clipboard on` and copy again"


def copy_text(app, text: str) -> str:
    """Copy and return a sentence saying what happened, for a notification."""
    app.copy_to_clipboard(text)  # OSC 52 to the terminal
    how = _terminal_route()
    if has_local_display():
        try:
            import pyperclip

            pyperclip.copy(text)
            how = "copied to the system clipboard and " + how
        except Exception as exc:  # no xclip/xsel, no clipboard daemon...
            how += f"; local clipboard unavailable: {type(exc).__name__}"
    return f"{len(text):,} characters {how}"
