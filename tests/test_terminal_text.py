"""smjob.terminal_text: no control character survives, everything else is untouched."""

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from smjob.terminal_text import fit_middle, fit_path, is_safe, one_cell_each, visible

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


# --- fitting to a width (the history's and the jobs' tables) ------------------------------------


def test_fit_middle_keeps_both_ends():
    name = "pytorch-resnet50-g5-20240601-120000"
    assert fit_middle(name, 80) == name
    assert fit_middle(name, 20) == "pytorch-re\u202601-120000"  # the timestamp that tells jobs apart
    assert fit_middle("evil\x1b]52;c;aGk=\x07", 80) == "evil\\x1b]52;c;aGk=\\x07"


def test_fit_path_keeps_the_file_name():
    path = "/home/me/projects/vision/jobs/2024/june/train-resnet.sh"
    assert fit_path(path, 80) == path
    cut = fit_path(path, 30)
    assert cut == "/home/me/proj\u2026/train-resnet.sh" and cell_len(cut) == 30
    longer_tail = fit_path(path, 44)  # with room, the end keeps folders too: cut in the middle
    assert longer_tail.startswith("/home/me/") and longer_tail.endswith("/june/train-resnet.sh")
    assert fit_path("/tmp/review/job.sh", 10) == "/t\u2026/job.sh"
    # A name too long to keep whole is itself cut in the middle (its extension stays).
    assert fit_path("/tmp/xgboost-distributed-request.json", 12) == "xgboos\u2026.json"
    assert fit_path("127.0.0.1:5123", 10) == fit_middle("127.0.0.1:5123", 10)  # no slash: a host
    assert fit_path("/tmp/\u65e5\u672c\u8a9e/\u30b8\u30e7\u30d6.sh", 13) == "/t\u2026/\u30b8\u30e7\u30d6.sh"
    assert fit_path("/tmp/\x1b[2J/job\x07.sh", 80) == "/tmp/\\x1b[2J/job\\x07.sh"


@given(st.text(), st.integers(0, 60))
def test_fitted_text_is_safe_and_never_wider_than_asked(text, width):
    for fitted in (fit_middle(text, width), fit_path(text, width)):
        assert is_safe(fitted) and cell_len(fitted) <= width
        if cell_len(visible(text)) <= width:
            assert fitted == visible(text)
    folder, _, name = visible(text).rpartition("/")
    if folder and cell_len(name) + 3 <= width:  # room for a cell of the folder, "…" and "/name"
        assert fit_path(text, width).endswith("/" + name)
