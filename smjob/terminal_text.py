"""Untrusted text (files, clipboard, AWS, servers) made safe to show on a terminal.

Control characters (C0, DEL, C1), bidirectional overrides and line separators are never written
to the terminal raw: `ESC ] 52` would set the user's clipboard, `ESC [ 2J` clear the screen, and
U+202E reverse what the user reads. They are shown as visible escapes; the stored value is untouched.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, bidi marks/embeddings/overrides/isolates, line and paragraph separators.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
_UNSAFE_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")


_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
_PRINTABLE_ASCII_OR_NEWLINE = _PRINTABLE_ASCII + b"\n"


def _plain_ascii(text: str, multiline: bool) -> bool:
    """ASCII with no control character (a newline allowed if `multiline`), checked in C: about 4x faster
    than the regex on the preview of a request holding a 1 MB value (0.8 against 3.3 ms a keystroke).
    In ASCII the only unsafe characters are C0 and DEL."""
    if not text.isascii():
        return False
    return not text.encode("ascii").translate(None, _PRINTABLE_ASCII_OR_NEWLINE if multiline else _PRINTABLE_ASCII)


def visible(text: str, *, multiline: bool = False) -> str:
    """`text` with every unsafe character written as `\\x1b` / `\\u202e` (newlines kept if `multiline`)."""
    if _plain_ascii(text, multiline):
        return text
    return (_UNSAFE_BUT_NEWLINE if multiline else _UNSAFE).sub(_escape, text)


def is_safe(text: str, *, multiline: bool = False) -> bool:
    if _plain_ascii(text, multiline):
        return True
    return (_UNSAFE_BUT_NEWLINE if multiline else _UNSAFE).search(text) is None


def _picture(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀..␟: the Unicode "control pictures"
    return "\u2421" if code == 0x7F else "\ufffd"  # ␡ for DEL; � for C1, bidi and separators


def one_cell_each(text: str) -> str:
    """Each unsafe character as one visible cell (␛, ␡, �), so an editable line keeps its cursor
    positions: index i on screen is index i of the value."""
    return _UNSAFE.sub(_picture, text)


# --- fitting to a width -----------------------------------------------------------------------
# Cell widths are rich's, as the screens that show these strings measure them; rich is imported in
# the functions so the headless commands, which never fit text to a width, do not load it.


def _take(text: str, width: int) -> str:
    """The longest start of `text` that fits in `width` cells (wide characters take two)."""
    if text.isascii():
        return text[: max(width, 0)]
    from rich.cells import get_character_cell_size

    used = 0
    for n, char in enumerate(text):
        used += get_character_cell_size(char)
        if used > width:
            return text[:n]
    return text


def _cells(text: str) -> int:
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def fit_middle(text: str, width: int) -> str:
    """`text` made visible and cut to `width` cells in the middle with "…": the start and the end
    stay (training job names end in the timestamp that tells them apart). Control characters
    count as the escapes they are shown as."""
    text = visible(text)
    if _cells(text) <= width:
        return text
    if width <= 1:
        return _take(text, width)
    tail = (width - 1) // 2
    return _take(text, width - 1 - tail) + "\u2026" + _take(text[::-1], tail)[::-1]


def fit_path(path: str, width: int) -> str:
    """A path made visible and cut to `width` cells in the middle, the file name kept whole
    (`/home/me/…/jobs/train.sh`); a name too long for that is itself cut in the middle.
    Text without a slash (a host, a region) is cut as fit_middle does."""
    shown = visible(path)
    if _cells(shown) <= width:
        return shown
    folder, slash, name = shown.rpartition("/")
    tail = max(_cells(slash + name), (width - 1) // 2)
    head = width - 1 - tail
    if not folder or head < 1:
        return fit_middle(name or shown, width)
    return _take(shown, head) + "\u2026" + _take(shown[::-1], tail)[::-1]
