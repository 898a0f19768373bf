"""Section forms kept mounted and built ahead (tui/section_forms.py): never stale, never while typing."""

from __future__ import annotations

import asyncio
import time

from textual.widgets import Input

from smjob.tui.app import SmjobApp
from smjob.widgets.base import field_id
from tests.support.keyboard import tab_to_input, type_text
from tests.support.waiting import wait_until

SIZE = (80, 24)
NAME = ("TrainingJobName",)
REQUEST = {"TrainingJobName": "first", "RoleArn": "arn:aws:iam::123456789012:role/r"}


def _shown_input(app, path) -> Input:
    return app.editor.form.query_one(f"#{field_id(path)}").query_one(Input)


async def test_the_next_section_is_built_ahead_when_idle_and_shown_without_a_build():
    app = SmjobApp(dict(REQUEST), autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.editor
        after_job = editor.all_sections[1]
        await wait_until(pilot, lambda: editor.forms.kept(after_job.key), what="Algorithm built ahead")
        built_ahead = editor.forms.all_forms()[-1]
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: editor.current is after_job, what="the switch")
        assert editor.form is built_ahead  # shown, not built again
        assert editor.forms.kept(editor.all_sections[0].key)  # the Job form stays, hidden
        # ctrl+r goes back: the way the user is going decides what is built ahead
        await pilot.press("ctrl+r")
        last = editor.all_sections[-1]
        await wait_until(pilot, lambda: editor.forms.kept(last.key), what="the section before Job, built ahead")


async def test_nothing_is_built_ahead_while_keys_come(monkeypatch):
    from smjob.tui.screens import editor as editor_module

    app = SmjobApp(dict(REQUEST), autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.editor
        await wait_until(pilot, lambda: editor.forms.kept(editor.all_sections[1].key), what="the first build")
        # The idle passes are driven by hand: a slow machine must not reach the timer's own pass first.
        monkeypatch.setattr(editor_module, "AHEAD_IDLE", 60.0)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: editor.current is editor.all_sections[1], what="the switch")
        following = editor.all_sections[2]
        app.last_key_at = time.monotonic()  # a key just now
        await editor._when_idle()
        assert not editor.forms.kept(following.key) and editor._ahead_timer is not None  # waits for a pause
        app.last_key_at = time.monotonic() - 61.0  # keys paused
        await editor._when_idle()
        assert editor.forms.kept(following.key)


async def test_a_kept_form_never_shows_an_old_value():
    app = SmjobApp(dict(REQUEST), autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.editor
        await tab_to_input(pilot, NAME)
        await pilot.press("end")
        await type_text(pilot, "xy")  # one typing step (steps break at word boundaries)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: editor.current is editor.all_sections[1], what="Algorithm")
        assert editor.forms.kept(editor.all_sections[0].key)
        # an undo of the edit made in the hidden Job form: shown there, in the kept form
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: editor.current is editor.all_sections[0], what="back on Job")
        await wait_until(pilot, lambda: _shown_input(app, NAME).value == "first", what="the undone value shown")
        # a new request replaces every kept form, whichever section is shown next
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: editor.current is editor.all_sections[1], what="Algorithm again")
        editor.replace_request({**REQUEST, "TrainingJobName": "second"}, source="test")
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: editor.current is editor.all_sections[0], what="Job again")
        await wait_until(pilot, lambda: _shown_input(app, NAME).value == "second", what="the new request's name")


async def test_tab_never_reaches_a_form_built_ahead_or_kept():
    app = SmjobApp(dict(REQUEST), autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.editor
        await wait_until(pilot, lambda: editor.forms.kept(editor.all_sections[1].key), what="Algorithm built ahead")
        others = [form for form in editor.forms.all_forms() if form is not editor.form]
        for _ in range(12):
            await pilot.press("tab")
            assert not any(form in app.focused.ancestors for form in others), app.focused


async def test_going_to_a_section_shows_the_form_when_the_preview_hides_it():
    """At 80 columns F2's preview replaces the form; the palette's "Go to section" and jumps from the
    problems list used to leave it up, with focus in a field nobody could see."""
    app = SmjobApp(dict(REQUEST), autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.editor
        await pilot.press("f2")
        await wait_until(pilot, lambda: editor.has_class("-preview"), what="the preview")
        await app.run_action("go_to_section('ResourceConfig')")
        await wait_until(pilot, lambda: editor.current.key == "ResourceConfig", what="Resources")
        assert not editor.has_class("-preview")
        await wait_until(pilot, lambda: app.focused in editor.form.walk_children(), what="focus in the form")
        await pilot.press("f2")
        await wait_until(pilot, lambda: editor.has_class("-preview"), what="the preview again")
        await editor.jump_to(("TrainingJobName",))
        assert not editor.has_class("-preview") and editor.current.key == "TrainingJobName"


async def test_the_preview_follows_the_width_until_f2_is_used():
    from smjob.tui.screens.editor import WIDE

    app = SmjobApp(dict(REQUEST), autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.editor
        assert not editor.has_class("-preview")
        await pilot.resize_terminal(WIDE + 80, 50)  # widened after start: a preview column, as at start
        await wait_until(pilot, lambda: editor.has_class("-preview"), what="the preview column")
        await pilot.resize_terminal(*SIZE)
        await wait_until(pilot, lambda: not editor.has_class("-preview"), what="the form back at 80 columns")
        await pilot.press("f2")  # the user's choice stays through resizes
        await pilot.resize_terminal(WIDE + 80, 50)
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert editor.has_class("-preview")


async def test_only_the_form_just_left_and_the_one_built_ahead_are_kept():
    app = SmjobApp(dict(REQUEST), autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.editor
        sections = editor.all_sections
        for index in range(1, 5):
            await pilot.press("ctrl+n")
            await wait_until(pilot, lambda: editor.current is sections[index], what=sections[index].label)  # noqa: B023
            await wait_until(pilot, lambda: editor.forms.kept(sections[index + 1].key), what="the next built")  # noqa: B023
            kept = {form.name for form in editor.forms.all_forms()}
            assert kept == {sections[index].key, sections[index - 1].key, sections[index + 1].key}
        # a ctrl+r after ctrl+n shows the form just left, and the way back is built ahead
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: editor.current is sections[3], what="back")
        await wait_until(pilot, lambda: editor.forms.kept(sections[2].key), what="the one before, built ahead")
        assert {form.name for form in editor.forms.all_forms()} == {sections[k].key for k in (2, 3, 4)}


async def test_a_dropped_form_is_freed_by_the_next_collection(monkeypatch):
    """Nothing holds a dropped form (~25 KB a widget) once it is dropped: the memory walk in `make bench`
    depends on it. (Under an older keep policy Textual's cache of displayed children did, until the next
    focus change.)"""
    import gc
    import weakref

    from smjob.tui import section_forms
    from tests.support.bench_request import big_request

    async def no_build_ahead(self, section):
        pass

    monkeypatch.setattr(section_forms.SectionForms, "build_ahead", no_build_ahead)

    async def freed(ref) -> bool:
        # Polled without pilot.pause, which computes the focus chain and so would hide the leak.
        # A cancelled timer's handle (a field's cursor blink) holds its context until it falls due.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            gc.collect()
            if ref() is None:
                return True
            await asyncio.sleep(0.05)
        return False

    app = SmjobApp(big_request(), autosave=False)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.editor
        left = None  # kept while it is the form just left, then dropped
        for section in editor.all_sections[1:14]:
            shown = weakref.ref(editor.form)
            await pilot.press("ctrl+n")
            await wait_until(pilot, lambda: editor.current is section, what=section.label)  # noqa: B023
            if left is not None:
                assert await freed(left), section.label
            left = shown
