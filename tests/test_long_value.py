"""A field holding 1 MB of text: the input draws only its window, exactly as Textual would draw the
whole value; messages quoting the value are cut (issue 14: 85 ms a keystroke)."""

import time

from textual.app import App
from textual.widgets import Input

from smjob.examples import load_example
from smjob.tui.app import SmjobApp
from smjob.widgets.base import FieldEditor
from smjob.widgets.inputs import TextInput
from smjob.widgets.long_value import LONG, LongValueFastPath
from smjob.widgets.problems_panel import ProblemsPanel
from tests.support.keyboard import next_section, owner_path
from tests.support.waiting import wait_until

IMAGE = ("AlgorithmSpecification", "TrainingImage")


class OneInput(App):
    def compose(self):
        yield TextInput(value="", compact=True)


def textual_strip(field):
    return super(LongValueFastPath, field).render_line(0)  # Textual's own rendering of the whole value


async def test_the_window_is_drawn_as_textual_draws_the_whole_value():
    value = "".join(chr(33 + i % 90) for i in range(LONG * 3))
    app = OneInput()
    async with app.run_test(size=(40, 3)) as pilot:
        field = app.query_one(TextInput)
        field.value = value
        field.focus()
        await pilot.pause()
        assert field._plain_long()
        for cursor in (0, 1, 37, LONG, len(value) - 5, len(value)):
            field.cursor_position = cursor
            await wait_until(pilot, lambda: field.scroll_offset.x == field.scroll_target_x)
            for visible in (True, False):
                field._cursor_visible = visible
                assert list(field.render_line(0)) == list(textual_strip(field)), (cursor, visible)
            assert field._position_to_cell(cursor) == Input._position_to_cell(field, cursor)
        field.selection = (10, LONG + 3)
        assert list(field.render_line(0)) == list(textual_strip(field))
        assert field.content_width == Input.content_width.fget(field)
        field.value = value[:100] + "é" + value  # not ASCII: Textual's path, unchanged
        assert not field._plain_long()


def _app_with_a_1_mb_image() -> SmjobApp:
    job = load_example("pytorch-gpu")
    job["AlgorithmSpecification"]["TrainingImage"] = "x" * 1_000_000
    return SmjobApp(job, autosave=False)


async def _focus_the_image(app, pilot) -> None:
    await wait_until(pilot, lambda: not app.editor.validation_pending, what="the first validation")
    await next_section(pilot, "Algorithm")
    await wait_until(pilot, lambda: owner_path(app.focused) == IMAGE, what="focus in TrainingImage")


async def test_typing_in_a_1_mb_field_costs_the_visible_part():
    app = _app_with_a_1_mb_image()
    async with app.run_test(size=(80, 24)) as pilot:
        await _focus_the_image(app, pilot)
        field = app.focused
        editor = next(a for a in field.ancestors if isinstance(a, FieldEditor))
        # The too-long message is shown, cut: a quoted 1 MB value was wrapped to thousands of lines.
        await wait_until(pilot, lambda: editor._error_line is not None, what="the error under the field")
        assert len(str(editor._error_line.render())) < 2000
        panel = app.editor.query_one(ProblemsPanel)
        assert all(len(panel.get_option_at_index(i).prompt) < 2000 for i in range(panel.option_count))
        # Rendering the input's line and moving its cursor do not walk the value.
        start = time.perf_counter()
        for _ in range(20):
            field._plain_for = None  # measure the check too, not only its cache
            field.cursor_position = len(field.value) - 1
            field.render_line(0)
        assert (time.perf_counter() - start) / 20 < 0.016
        field.cursor_position = 5
        await pilot.press("a")
        await wait_until(pilot, lambda: app.request["AlgorithmSpecification"]["TrainingImage"][:7] == "xxxxxax")


async def test_a_1_mb_line_in_the_preview_shows_its_window_and_is_not_kept_per_key():
    from smjob.widgets import code_view
    from smjob.widgets.code_view import HIGHLIGHTED, CodeView

    class OneView(App):
        def compose(self):
            yield CodeView("json")

    line = "".join(chr(33 + i % 90) for i in range(1_000_000))
    app = OneView()
    async with app.run_test(size=(40, 5)) as pilot:
        view = app.query_one(CodeView)
        view.set_code(f'{{\n  "Image": "{line}"\n}}\n')
        await pilot.pause()
        view.scroll_to(x=500_000, animate=False, immediate=True)
        await pilot.pause()
        width = view.scrollable_content_region.width
        shown = "".join(segment.text for segment in view.render_line(1))
        assert shown == view.lines[1][500_000 : 500_000 + width]
        # A new long line on each key: the highlight cache keeps only its head, not a copy per key.
        hits_before = code_view._highlight.cache_info().currsize
        for i in range(5):
            view.set_code(f'{{\n  "Image": "{line}{"x" * i}"\n}}\n')
            view.render_line(1)
        assert code_view._highlight.cache_info().currsize <= hits_before + 1
        assert all(len(key[0]) <= HIGHLIGHTED for key in view._rows)


async def test_a_key_in_a_1_mb_field_lays_nothing_out_and_the_preview_follows_the_pause(monkeypatch):
    """The too-long message's count changes on each key: its line and the problems list are re-worded
    in place (a relayout repainted the whole screen), and the preview of a 1 MB value follows once
    typing pauses."""
    from textual.widget import Widget

    from smjob.widgets.preview import PreviewPane

    app = _app_with_a_1_mb_image()
    async with app.run_test(size=(200, 50)) as pilot:
        await _focus_the_image(app, pilot)
        await pilot.press("end", "a", "backspace")
        preview = app.editor.query_one(PreviewPane)
        await wait_until(pilot, lambda: preview._large, what="the 1 MB preview rendered")
        layouts = []
        refresh = Widget.refresh

        def spy(self, *regions, layout=False, **kwargs):
            if layout:
                layouts.append(type(self).__name__)
            return refresh(self, *regions, layout=layout, **kwargs)

        monkeypatch.setattr(Widget, "refresh", spy)
        await pilot.press("b")
        value = app.request["AlgorithmSpecification"]["TrainingImage"]
        assert value.endswith("b") and len(value) == 1_000_001
        panel = app.editor.query_one(ProblemsPanel)
        await wait_until(pilot, lambda: "1000001" in str(panel.get_option_at_index(0).prompt), what="re-worded")
        assert layouts == []
        view = preview.active_view
        await wait_until(
            pilot, lambda: '"TrainingImage": "' + "x" * 10 in view.code and 'xb"' in view.code, what="preview"
        )


def test_the_printable_check_of_a_long_value_looks_only_at_what_an_edit_added():
    import random

    from smjob.widgets.long_value import _printable_ascii

    rng = random.Random(14)
    alphabet = "abc/:.-_ \t\x1b\x7fé"  # printable ASCII, then a tab, ESC, DEL and a non-ASCII letter
    before = "a" * 5000
    for _ in range(2000):
        cut = rng.randrange(len(before) + 1)
        edit = rng.choice(["append", "delete_end", "insert", "delete"])
        added = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 4)))
        value = {
            "append": before + added,
            "delete_end": before[:cut],
            "insert": before[:cut] + added + before[cut:],
            "delete": before[:cut] + before[cut + 1 :],
        }[edit]
        expected = value.isascii() and value.isprintable()
        known = before.isascii() and before.isprintable()
        assert _printable_ascii(value, before, known) == expected, (edit, added)
        before = value if expected or rng.random() < 0.3 else "a" * 5000
