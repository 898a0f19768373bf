"""Entering any section puts the focus on something in it that shows it has the focus, and every Tab
stop in a form is marked: a field's bar, a structure's title, a list's bar, a Code setting's bar
(issue 14: Network/VPC, Debugger and Profiler had nothing focused; the form itself was an unmarked
Tab stop before the first field; the Code settings and the lists had no bar)."""

from textual.widgets._collapsible import CollapsibleTitle

from smjob.examples import load_example
from smjob.tui.app import SmjobApp
from smjob.widgets.base import FieldEditor
from smjob.widgets.list_editor import ListEditor
from tests.support.keyboard import next_section
from tests.support.waiting import wait_until

JOB = load_example("pytorch-gpu")


def marked(widget) -> bool:
    """The focused `widget` shows it: the nearest field, list or Code setting around it has the bar
    (a thick left border) and a highlighted label, or it is a structure's title (its own highlight)."""
    if isinstance(widget, CollapsibleTitle):  # its own highlight and the fields' bar
        return widget.styles.background.a > 0 and widget.styles.border_left[0] == "thick"
    holder = next(
        (a for a in widget.ancestors if isinstance(a, FieldEditor | ListEditor) or a.has_class("code-field")), None
    )
    if holder is None or not holder.has_class("-focused") or holder.styles.border_left[0] != "thick":
        return False
    labels = holder.query_children(".field-label, .list-title, .code-label")
    return all(label.styles.background.a > 0 for label in labels)


def in_view(app, widget) -> bool:
    return app.editor.form.region.contains_region(widget.region)


async def test_every_section_focuses_a_marked_widget_in_view():
    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.editor
        labels = [s.label for s in editor.all_sections]
        assert {"Network/VPC", "Debugger", "Profiler", "Code"} <= set(labels)
        for label in labels[1:]:
            await next_section(pilot, label)
            await wait_until(
                pilot,
                lambda: app.focused is not None and editor.form in app.focused.ancestors,
                what=f"the focus in {label}",
            )
            await wait_until(pilot, lambda: marked(app.focused), what=f"the focus in {label} marked")
            await wait_until(pilot, lambda: in_view(app, app.focused), what=f"the focus in {label} in view")


async def test_every_tab_stop_of_a_form_is_marked():
    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.editor
        for label in ("Code", "Input data", "Network/VPC", "Tags", "Debugger"):
            await next_section(pilot, label)
            await wait_until(pilot, lambda: app.focused is not None and editor.form in app.focused.ancestors)
            seen = set()
            while app.focused is not None and editor.form in app.focused.ancestors and app.focused not in seen:
                focused = app.focused
                seen.add(focused)
                assert focused is not editor.form, f"{label}: the form itself is a Tab stop"
                await wait_until(pilot, lambda w=focused: marked(w), what=f"{label}: {focused!r} marked")
                await pilot.press("tab")
                await pilot.pause()
            assert len(seen) >= 2, f"{label}: {seen}"


async def test_a_list_is_marked_on_its_lines_not_while_a_field_of_its_item_is():
    app = SmjobApp(JOB, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await next_section(pilot, "Input data")
        channels = app.editor.form.query_one(ListEditor)
        await wait_until(pilot, lambda: app.focused is channels.item_list, what="the channel list focused")
        await wait_until(pilot, lambda: marked(channels.item_list), what="the list's bar")
        await pilot.press("enter")  # edit the selected channel: focus in its form
        await wait_until(pilot, lambda: channels.form in app.focused.ancestors, what="a field of the channel")
        await wait_until(pilot, lambda: not channels.has_class("-focused"), what="the list's bar gone")
        assert channels.styles.border_left[0] != "thick"
        assert marked(app.focused)  # the field's own bar instead
