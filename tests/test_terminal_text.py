"""smjob.terminal_text: no control character survives, everything else is untouched."""

from hypothesis import given
from hypothesis import strategies as st

from smjob.terminal_text import is_safe, one_cell_each, visible

HOSTILE = ["\x1b]52;c;aGVsbG8=\x07", "\x1b[2J", "\x9b31m", "\x7f", "abc\u202egpj.exe", "\u2066x\u2069", "a\u2028b"]


def test_escapes_are_visible_and_printable():
    assert visible("\x1b]52;c;aGk=\x07") == "\\x1b]52;c;aGk=\\x07"
    assert visible("a\u202eb") == "a\\u202eb"
    assert visible("a\nb\tc") == "a\\nb\\tc"
    assert visible("a\nb", multiline=True) == "a\nb"
    for text in HOSTILE:
        assert is_safe(visible(text)) and is_safe(one_cell_each(text))


@given(st.text())
def test_safe_text_is_unchanged_and_pictures_keep_length(text):
    shown = one_cell_each(text)
    assert len(shown) == len(text) and is_safe(shown)
    assert is_safe(visible(text))
    if is_safe(text):
        assert visible(text) == text == shown


def test_the_ascii_fast_path_agrees_with_the_patterns():
    """`visible` and `is_safe` answer plain ASCII without the regex: every ASCII character, alone
    and inside text, with and without `multiline`, gives what the patterns give."""
    from smjob.terminal_text import _UNSAFE, _UNSAFE_BUT_NEWLINE, _escape

    for code in range(128):
        for text in (chr(code), f"ab{chr(code)}cd\nef"):
            for multiline, pattern in ((False, _UNSAFE), (True, _UNSAFE_BUT_NEWLINE)):
                assert visible(text, multiline=multiline) == pattern.sub(_escape, text)
                assert is_safe(text, multiline=multiline) == (pattern.search(text) is None)
