"""A map's hint says what its keys and values may hold in words (once when both share a pattern),
and its key line is as wide as the list's key column, so a long key is not cut at 16 columns."""

from smjob.examples import load_example
from smjob.schema import request_schema
from smjob.tui.app import SmjobApp
from smjob.widgets.map_editor import MapEditor, limits_text
from tests.support.waiting import wait_until


def member(name: str):
    return next(m for m in request_schema().members if m.name == name)


def test_tags_say_their_shared_pattern_once_in_words():
    tags = member("Tags")
    key, value = (next(m for m in tags.item.members if m.name == n) for n in ("Key", "Value"))
    text = limits_text(3, tags, key, value)
    assert text.count("letters, spaces, digits and _ . : / = + - @") == 1
    assert "\\p{" not in text and "key 1..128 chars, value ≤256 chars: letters" in text


def test_environment_keys_in_words_and_values_free():
    env = member("Environment")
    text = limits_text(1, env, env.key, env.value)
    key = "key ≤512 chars: a letter or '_', then letters, digits and _"
    assert text == f"1 entry (allowed 0..100) · {key} · value ≤512 chars"


async def test_the_key_line_is_as_wide_as_the_key_column():
    app = SmjobApp(load_example("pytorch-gpu"), autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.editor.go_to_section("Environment")
        editor = app.editor.form.query_one(MapEditor)
        longest = max(len(k) for k in app.request["Environment"])
        await wait_until(pilot, lambda: editor.key_input.size.width == longest + 2, what="the key line's width")
        assert editor.key_input.value == "PYTORCH_CUDA_ALLOC_CONF"  # shown whole, not cut at 16
        assert editor.key_input.size.width > len(editor.key_input.value)


def test_the_hints_load_pattern_words_only_when_they_are_shown():
    """smjob.pattern_words costs memory at start: importing the editors does not load it."""
    import subprocess
    import sys

    code = "import sys, smjob.widgets.map_editor, smjob.widgets.string_list;print('smjob.pattern_words' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
