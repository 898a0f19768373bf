"""Edits undone back to the job as it was opened, exported or submitted are no edits: quitting or
opening another file does not ask about them (issue 14: it claimed "changes that were not exported").
A change that is still there, a pasted request and the Code settings still count."""

from smjob.examples import load_example
from smjob.tui.app import SmjobApp
from smjob.tui.screens.dialogs import ConfirmScreen
from tests.support.keyboard import fill
from tests.support.waiting import wait_until

JOB = load_example("xgboost-distributed")
NAME = ("TrainingJobName",)


async def quits_without_asking(pilot) -> bool:
    app = pilot.app
    await pilot.press("ctrl+q")
    await wait_until(pilot, lambda: not app.is_running or isinstance(app.screen, ConfirmScreen), what="quit or ask")
    return not app.is_running


async def undo_until(pilot, predicate, what: str) -> None:
    """ctrl+z until `predicate()`: typing is undone a word at a time ("-v2" may be two steps)."""
    for _ in range(6):
        if predicate():
            return
        await pilot.press("ctrl+z")
        await pilot.pause()
    await wait_until(pilot, predicate, what=what)


async def test_an_edit_undone_is_no_edit():
    app = SmjobApp(JOB, source="job.json", autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, NAME, "-v2")
        await wait_until(pilot, lambda: app.request["TrainingJobName"].endswith("-v2"), what="the edit")
        assert app.dirty
        await undo_until(pilot, lambda: app.request == JOB, what="the undo")
        assert not app.dirty
        assert await quits_without_asking(pilot)


async def test_typing_back_what_was_there_is_no_edit_and_a_real_change_still_asks():
    app = SmjobApp(JOB, source="job.json", autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, NAME, "x")
        await pilot.press("backspace")
        await wait_until(pilot, lambda: app.request == JOB, what="the name as it was")
        assert not app.dirty
        await pilot.press("y")
        await wait_until(pilot, lambda: app.request != JOB, what="a change")
        assert app.dirty
        assert not await quits_without_asking(pilot)  # asks


async def test_undone_to_the_export_is_clean_but_not_to_the_opened_file(tmp_path):
    app = SmjobApp(JOB, source="job.json", autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, NAME, "-v2")
        await wait_until(pilot, lambda: app.dirty, what="the edit")
        app.mark_clean()  # what a finished export or submit does
        app.editor.apply_edit(NAME, app.request["TrainingJobName"] + "-v3", label="rename")  # a step of its own
        await wait_until(pilot, lambda: app.dirty, what="the second edit")
        await undo_until(pilot, lambda: app.request["TrainingJobName"].endswith("-v2"), what="back to the export")
        assert not app.dirty
        await undo_until(pilot, lambda: app.request == JOB, what="back to the file")
        assert app.dirty  # the file on disk is not what was last written: the export is


async def test_a_pasted_request_counts_as_an_edit_even_unchanged():
    app = SmjobApp({}, source="new job", autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.replace_request(JOB, source="clipboard", edited=True)
        await wait_until(pilot, lambda: app.request == JOB, what="the paste")
        assert app.dirty
        await fill(pilot, NAME, "x")
        await pilot.press("backspace")
        await wait_until(pilot, lambda: app.request == JOB, what="typed and erased")
        assert app.dirty


async def test_the_palette_has_one_quit_and_it_asks_about_edits():
    """Textual's own palette "Quit" exited at once, listed first, above smjob's that asks."""
    from textual.command import CommandPalette

    app = SmjobApp(JOB, source="job.json", autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, NAME, "x")
        await wait_until(pilot, lambda: app.dirty, what="an edit")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await pilot.press(*"quit")
        palette = app.screen
        options = palette.query_one("CommandList")

        def gathered() -> bool:  # the palette asks its providers in a worker: every one has answered
            group = palette._GATHER_COMMANDS_GROUP
            return options.option_count > 0 and all(w.is_finished for w in app.workers if w.group == group)

        await wait_until(pilot, gathered, what="the commands found")
        titles = [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]
        assert sum(title.startswith("Quit") for title in titles) == 1, titles
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
        assert app.is_running
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmScreen), what="the question answered")
        await app.action_quit()  # any "quit" action asks too
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question again")
