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


async def test_typing_in_a_1_mb_field_costs_the_visible_part():
    job = load_example("pytorch-gpu")
    job["AlgorithmSpecification"]["TrainingImage"] = "x" * 1_000_000
    app = SmjobApp(job, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: not app.editor.validation_pending, what="the first validation")
        await next_section(pilot, "Algorithm")
        await wait_until(pilot, lambda: owner_path(app.focused) == IMAGE, what="focus in TrainingImage")
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
