from smjob.examples import load_example
from smjob.render import render
from smjob.widgets.preview import changed_line

JOB = load_example("pytorch-gpu")


def test_changed_line_finds_the_member_in_every_format():
    for fmt in ("json", "yaml", "python"):
        code = render(JOB, fmt)
        line = changed_line(code.splitlines(), ("ResourceConfig", "InstanceCount"))
        assert line is not None and "InstanceCount" in code.splitlines()[line], fmt
        # nested members are found after their parent, not at an earlier namesake
        parent = changed_line(code.splitlines(), ("ResourceConfig",))
        assert line > parent


def test_changed_line_without_a_name():
    assert changed_line(["{}"], ()) is None
    assert changed_line(['{"a": 1}'], ("Missing",)) is None


# --- the preview on screen: focus, wrapping, width ------------------------------------------------

from textual.widgets import Input  # noqa: E402

from smjob.tui.app import SmjobApp  # noqa: E402
from smjob.widgets.code_view import CodeView  # noqa: E402
from smjob.widgets.preview import PreviewPane  # noqa: E402
from tests.support.waiting import wait_until  # noqa: E402


def _long_job() -> dict:
    job = load_example("pytorch-gpu")
    job["HyperParameters"]["note"] = "a long value " * 12  # wider than any preview
    return job


async def test_at_80_columns_the_preview_takes_focus_scrolls_wraps_and_gives_focus_back():
    app = SmjobApp(_long_job(), autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.focused, Input))
        field = app.focused
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.focused, CodeView), what="the code view focused")
        view = app.focused
        assert view.id == "code-json"
        await pilot.press("pagedown")  # no Tab needed: the keys scroll the preview at once
        await wait_until(pilot, lambda: view.scroll_offset.y > 0)
        longest = max(len(line) for line in view.lines)
        assert longest > view.size.width and view.virtual_size.width == longest  # cut: scroll sideways
        await pilot.press("w")
        await wait_until(pilot, lambda: view.wrap and view.virtual_size.width <= view.size.width)
        assert len(view._wrap) > len(view.lines)  # long lines continue on the next rows
        await pilot.press("f4")  # the next format: focus stays in the preview, on the YAML view
        await wait_until(pilot, lambda: getattr(app.focused, "id", None) == "code-yaml")
        assert app.focused.wrap  # wrapping holds for every format
        await pilot.press("down")
        await pilot.press("f2")  # the form is back, and so is the field that had focus
        await wait_until(pilot, lambda: app.focused is field)
        await pilot.press("end", "x")
        assert field.value.endswith("x")


async def test_at_200_columns_the_preview_gets_45_percent_and_resizes():
    app = SmjobApp(_long_job(), autosave=False)
    async with app.run_test(size=(200, 50)) as pilot:
        preview = app.editor.query_one(PreviewPane)
        await wait_until(pilot, lambda: preview.outer_size.width >= 0.45 * 200, what="a preview of 45%")
        field = app.focused
        assert isinstance(field, Input)
        await pilot.press("f4")  # F4 from the form: the format changes, focus stays in the field
        await wait_until(pilot, lambda: preview.active == "preview-yaml")
        assert app.focused is field
        before = preview.outer_size.width
        await pilot.press("alt+left", "alt+left")  # wider, from the form
        await wait_until(pilot, lambda: preview.outer_size.width == before + 8)
        await pilot.press("alt+right")
        await wait_until(pilot, lambda: preview.outer_size.width == before + 4)
        assert app.focused is field
