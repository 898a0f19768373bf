"""Nothing typed is lost: the shelf of drafts (smjob.drafts), its place in the app (autosave into
each job's own draft, the question before unsaved edits are replaced, the truthful quit dialog
when the autosave fails) and `smjob drafts list|show|rm`."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from types import SimpleNamespace

import pytest
from textual.widgets import Input, OptionList, Static

from smjob import drafts
from smjob.cli.main import main
from smjob.drafts import drafts_dir, new_draft_id, save_draft, scan
from smjob.examples import load_example
from smjob.skeleton import skeleton
from smjob.tui.app import SmjobApp
from smjob.tui.screens.dialogs import ConfirmScreen, OpenFileScreen, PasteRequestScreen
from smjob.tui.screens.drafts import ChoiceScreen, DraftsScreen
from smjob.tui.screens.export import ExportScreen
from tests.support.keyboard import tab_to_input, type_text
from tests.support.waiting import wait_until as wait_for

JOB = load_example("pytorch-gpu")
NAME = JOB["TrainingJobName"]
HOSTILE = "evil\x1b]52;c;aGk=\x07\u202ename"
UNREADABLE = re.compile(r"\.json\.unreadable-\d{8}T\d{6}(-\d+)?$")


@pytest.fixture(autouse=True)
def data(tmp_path, monkeypatch):
    """A data directory of this test's own: the shelf starts empty."""
    monkeypatch.setenv("SMJOB_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def shelf() -> dict[str, dict]:
    """The drafts on disk, by job name."""
    found, problems = scan()
    assert not problems
    return {d.request.get("TrainingJobName"): d.request for d in found}


def status(app) -> str:
    return str(app.editor.query_one("#status", Static).render())


async def shown(pilot, cls, part: str = "Button"):
    """The screen once it is `cls` and composed (pushing it is not enough to query it)."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, cls) and pilot.app.screen.query(part), what=cls.__name__)
    return pilot.app.screen


async def rename(pilot, name: str) -> None:
    """Replace TrainingJobName by typing, as a user does."""
    await tab_to_input(pilot, ("TrainingJobName",))
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, name)
    await pilot.pause()


# --- the shelf ---------------------------------------------------------------------------------


def test_each_draft_is_its_own_private_file_and_follows_renames():
    first, second = new_draft_id(), new_draft_id()
    a = save_draft({"TrainingJobName": "same-name"}, first)
    b = save_draft({"TrainingJobName": "same-name"}, second)
    assert a != b and a.exists() and b.exists()  # same job name, two drafts: never one file
    assert stat.S_IMODE(a.stat().st_mode) == 0o600
    assert stat.S_IMODE(drafts_dir().stat().st_mode) == 0o700

    renamed = save_draft({"TrainingJobName": "renamed"}, first)
    assert renamed.name == f"renamed-{first}.json" and not a.exists()
    assert sorted(os.listdir(drafts_dir())) == sorted([renamed.name, b.name])

    hostile = save_draft({"TrainingJobName": "../../x\x1b/.."}, new_draft_id())
    assert hostile.parent == drafts_dir() and re.fullmatch(r"x-[0-9a-f]{6}\.json", hostile.name)
    assert len(scan()[0]) == 3


@pytest.mark.parametrize(
    "content",
    [b'{"TrainingJobName": "trunc', b'["a list", "not a request"]', b'{"TrainingJobName": "\xff\xfe"}'],
    ids=["truncated", "not-a-mapping", "bad-utf8"],
)
def test_an_unreadable_draft_is_moved_aside_never_overwritten(content):
    root = drafts_dir()
    root.mkdir(parents=True)
    bad = root / "job-abcdef.json"
    bad.write_bytes(content)
    found, problems = scan()
    assert found == []
    [problem] = problems
    assert problem.path == bad and not bad.exists()
    assert UNREADABLE.search(problem.moved_to.name) and problem.moved_to.read_bytes() == content
    assert str(problem.moved_to) in problem.message

    bad.write_bytes(b"{")  # unreadable again, within the same second: a second copy beside the first
    [again] = scan()[1]
    assert again.moved_to != problem.moved_to and problem.moved_to.read_bytes() == content

    # Its id stays taken: a new draft never lands on the name it came from.
    ids = iter(["abcdef", "abcdef", "123456"])
    real = drafts.secrets.token_hex
    drafts.secrets.token_hex = lambda n: next(ids)
    try:
        assert new_draft_id() == "123456"
    finally:
        drafts.secrets.token_hex = real


def test_the_legacy_single_draft_moves_onto_the_shelf_once(data):
    data.mkdir(parents=True)
    legacy = data / "draft.json"
    legacy.write_text(json.dumps(JOB))
    os.utime(legacy, (1_700_000_000, 1_700_000_000))
    [draft], problems = scan()
    assert not problems and draft.request == JOB and draft.modified == 1_700_000_000
    assert not legacy.exists()
    assert [d.id for d in scan()[0]] == [draft.id]  # once: scanning again adds nothing

    legacy.write_text('{"TrainingJobName": ')  # an unreadable legacy draft is moved aside too
    [problem] = scan()[1]
    assert problem.moved_to.parent == data and UNREADABLE.search(problem.moved_to.name)


# --- `smjob drafts` and plain `smjob` -------------------------------------------------------------


def run(capsys, *argv, open_app=None):
    code = main(list(argv), open_app=open_app)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_lists_shows_and_removes_drafts_with_names_escaped(capsys):
    valid = save_draft(JOB, new_draft_id())
    evil_id = new_draft_id()
    save_draft({"TrainingJobName": HOSTILE}, evil_id)
    os.utime(valid, (1_700_000_000, 1_700_000_000))  # the older one

    code, out, _ = run(capsys, "drafts")
    assert code == 0 and "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    first, second = out.splitlines()
    assert first.startswith(evil_id) and "error(s)" in first and "evil\\x1b]52;c;aGk=\\x07\\u202ename" in first
    assert "valid" in second and NAME in second

    code, out, _ = run(capsys, "drafts", "list", "--json")
    listed = json.loads(out)
    assert [(d["name"], d["valid"]) for d in listed] == [(HOSTILE, False), (NAME, True)]
    assert "\x1b" not in out and "\u202e" not in out and listed[0]["errors"] > 0

    code, out, _ = run(capsys, "drafts", "show", evil_id)
    assert code == 0 and "\x1b" not in out and "\u202e" not in out
    assert "name:     evil\\x1b]52" in out and json.loads(out[out.index("{") :]) == {"TrainingJobName": HOSTILE}
    code, out, _ = run(capsys, "drafts", "--json", "show", valid.name)  # by file name too
    assert json.loads(out)["request"] == JOB

    code, out, _ = run(capsys, "drafts", "rm", evil_id)
    assert code == 0 and out.startswith("removed ") and list(shelf()) == [NAME]
    code, _, err = run(capsys, "drafts", "rm", evil_id)
    assert code == 2 and f"no draft {evil_id}" in err


def test_cli_names_a_moved_aside_draft_on_stderr(capsys):
    drafts_dir().mkdir(parents=True)
    (drafts_dir() / "half-0a0a0a.json").write_text('{"TrainingJobName": "ha')
    code, out, err = run(capsys, "drafts", "list")
    assert code == 0 and out == ""
    [line] = [x for x in err.splitlines() if x.startswith("smjob:")]
    assert "half-0a0a0a.json could not be read" in line and re.search(r"moved to \S+\.unreadable-\d{8}T\d{6}", line)


def test_plain_smjob_restores_the_most_recent_draft_or_a_new_job(capsys):
    opened = []

    def open_app(request, source, notes, args):
        opened.append((request, source, getattr(args, "draft_id", None), notes))
        return 0

    run(capsys, open_app=open_app)
    assert opened.pop() == (skeleton(), "new job", None, [])

    old = save_draft({"TrainingJobName": "older"}, new_draft_id())
    os.utime(old, (1_700_000_000, 1_700_000_000))
    newest_id = new_draft_id()
    save_draft({"TrainingJobName": "newest"}, newest_id)
    (drafts_dir() / "bad-0b0b0b.json").write_bytes(b"\xff")
    _, _, err = run(capsys, open_app=open_app)
    request, source, draft_id, notes = opened.pop()
    assert (request, source, draft_id) == ({"TrainingJobName": "newest"}, "restored draft", newest_id)
    assert "bad-0b0b0b.json" in err and [n.where for n in notes] == ["drafts"]  # told in the app too


# --- the app ------------------------------------------------------------------------------------


async def test_two_jobs_authored_one_after_the_other_both_survive():
    app = SmjobApp(skeleton(), source="new job")
    async with app.run_test(size=(80, 24)) as pilot:
        await rename(pilot, "first-job")
        await wait_for(pilot, lambda: "first-job" in shelf(), what="the first job's draft")
        first_id = app.draft_id
        await app.run_action("new_job")  # saved already, not exported: the question comes anyway
        await shown(pilot, ChoiceScreen)
        await pilot.press("k")
        await wait_for(pilot, lambda: app.editor.request == skeleton(), what="the new job")
        await rename(pilot, "second-job")
        await wait_for(pilot, lambda: "second-job" in shelf(), what="the second job's draft")
        assert app.draft_id != first_id
    assert shelf()["first-job"]["TrainingJobName"] == "first-job" and len(shelf()) == 2


async def test_the_demo_never_overwrites_a_user_draft():
    mine = {"TrainingJobName": "my-unfinished-job", "RoleArn": "typed by hand"}
    save_draft(mine, new_draft_id())
    app = SmjobApp(JOB, source="example pytorch-gpu")  # as `smjob demo` / `make run` open it
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: not app.editor.validation_pending, what="the first validation")
        assert app._autosave_timer is None and app.draft_id is None  # no edit: nothing will be written
        await rename(pilot, "demo-edited")
        await wait_for(pilot, lambda: "demo-edited" in shelf(), what="the demo's own draft")
    assert shelf() == {"my-unfinished-job": mine, "demo-edited": dict(JOB, TrainingJobName="demo-edited")}


@pytest.mark.parametrize("answer", ["keep", "discard", "cancel"])
async def test_replacing_unsaved_edits_asks_and_each_answer_does_what_it_says(answer):
    app = SmjobApp(JOB, source="example pytorch-gpu")
    async with app.run_test(size=(80, 24)) as pilot:
        await rename(pilot, "edited")
        # At once, before the autosave delay: the pending autosave is written before the question.
        await app.run_action("new_job")
        await shown(pilot, ChoiceScreen)
        question = str(app.screen.query_one(Static).render())
        assert "edited has edits that were not exported" in question
        assert shelf()["edited"]["TrainingJobName"] == "edited"
        edited_id = app.draft_id
        await pilot.press({"keep": "k", "discard": "d", "cancel": "c"}[answer])
        await wait_for(pilot, lambda: not isinstance(app.screen, ChoiceScreen), what="the answer")
        await pilot.pause()
        if answer == "cancel":
            assert app.editor.request["TrainingJobName"] == "edited" and app.draft_id == edited_id and app.dirty
        else:
            assert app.editor.request == skeleton() and app.draft_id is None and not app.dirty
        assert ("edited" in shelf()) is (answer != "discard")
        if answer != "cancel":  # nothing unsaved now: the next replacement does not ask
            await app.run_action("new_job")
            await pilot.pause()
            assert not isinstance(app.screen, ChoiceScreen)


def _history_clone(app):
    app._history_action(SimpleNamespace(kind="clone", request=JOB, entry_id=1, target=None))


async def _open_file(app, pilot, tmp_path):
    (tmp_path / "other.json").write_text(json.dumps(JOB))
    await app.run_action("open_file")
    await shown(pilot, OpenFileScreen, "#path")
    app.screen.query_one("#path", Input).value = str(tmp_path / "other.json")
    await pilot.press("enter")


async def _paste(app, pilot, tmp_path):
    await app.run_action("paste_request")
    await shown(pilot, PasteRequestScreen, "#text")
    app.screen.query_one("#text").text = json.dumps(JOB)
    await pilot.press("f10")


async def _open_draft(app, pilot, tmp_path):
    save_draft(JOB, new_draft_id())
    await pilot.press("ctrl+l")
    await shown(pilot, DraftsScreen, "OptionList")
    app.screen.query_one(OptionList).highlighted = next(
        i for i, d in enumerate(app.screen.drafts) if d.id != app.draft_id
    )
    await pilot.press("enter")


async def _resubmit(app, pilot, tmp_path):
    app._history_action(SimpleNamespace(kind="resubmit", request=JOB, entry_id=1, target=None))


@pytest.mark.parametrize("replace", [_open_file, _paste, _open_draft, _resubmit], ids=lambda f: f.__name__[1:])
async def test_every_way_of_replacing_the_request_asks_first(replace, tmp_path):
    app = SmjobApp(skeleton(), source="new job")
    async with app.run_test(size=(100, 30)) as pilot:
        await rename(pilot, "unsaved")
        await replace(app, pilot, tmp_path)
        await shown(pilot, ChoiceScreen)
        await pilot.press("escape")  # cancel: nothing happens
        await wait_for(pilot, lambda: app.screen is app.editor, what="the editor")
        assert app.editor.request["TrainingJobName"] == "unsaved"


async def test_paste_starts_a_draft_of_its_own():
    app = SmjobApp(skeleton(), source="new job")
    async with app.run_test(size=(100, 30)) as pilot:
        await _paste(app, pilot, None)
        await wait_for(pilot, lambda: NAME in shelf(), what="the pasted request's draft")
        assert app.editor.request == JOB and len(shelf()) == 1


async def test_open_draft_lists_validity_and_opens_into_the_same_file():
    valid_id, invalid_id = new_draft_id(), new_draft_id()
    save_draft(JOB, valid_id)
    save_draft({"TrainingJobName": HOSTILE}, invalid_id)
    app = SmjobApp(skeleton(), source="new job")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")  # the palette's "Open draft…"
        await wait_for(pilot, lambda: app.screen.query("CommandInput"), what="the palette")
        await type_text(pilot, "Open draft")
        await wait_for(pilot, lambda: app.screen.query_one("CommandList").option_count, what="the palette's hits")
        await pilot.press("enter")
        await shown(pilot, DraftsScreen, "OptionList")
        options = app.screen.query_one(OptionList)
        rows = {o.id: str(o.prompt) for o in options.options}
        assert "valid" in rows[valid_id] and NAME in rows[valid_id]
        assert "error(s)" in rows[invalid_id] and "evil\\x1b]52" in rows[invalid_id] and "\x1b" not in rows[invalid_id]
        options.highlighted = [o.id for o in options.options].index(valid_id)
        await pilot.press("enter")  # nothing unsaved: no question
        await wait_for(pilot, lambda: app.editor.request == JOB, what="the opened draft")
        assert app.draft_id == valid_id and not app.dirty
        await rename(pilot, "reopened")
        await wait_for(pilot, lambda: "reopened" in shelf(), what="the autosave")
    assert NAME not in shelf() and len(shelf()) == 2  # the same draft, renamed: no copy


async def test_an_unreadable_draft_is_reported_in_the_app():
    drafts_dir().mkdir(parents=True)
    bad = drafts_dir() / "broken-0c0c0c.json"
    bad.write_text("[1,")
    app = SmjobApp(skeleton(), source="new job", autosave=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("ctrl+l")
        await shown(pilot, DraftsScreen, "OptionList")
        [note] = [n for n in app._notifications if n.title == "Unreadable draft"]
        [moved] = [p for p in drafts_dir().iterdir() if UNREADABLE.search(p.name)]
        assert str(moved) in note.message and moved.read_text() == "[1," and not bad.exists()


async def test_a_failing_autosave_is_shown_and_the_quit_dialog_tells_the_truth(monkeypatch, tmp_path):
    attempts = []

    def disk_full(path, text, *, mode=None):
        attempts.append(path)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(drafts, "write_atomic", disk_full)
    app = SmjobApp(JOB, source="example pytorch-gpu")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await rename(pilot, "unsaved-job")
        await wait_for(pilot, lambda: app.autosave_error is not None, what="the failed autosave")
        await type_text(pilot, "-2")  # fails again: still one warning, the status keeps saying it
        await wait_for(pilot, lambda: len(attempts) >= 2 and app._autosave_timer is None, what="a second attempt")
        assert [n.title for n in app._notifications].count("Autosave failed") == 1
        assert "No space left on device" in next(n.message for n in app._notifications)
        assert "draft NOT saved" in status(app)

        # Replacing the request now: "Keep as draft" cannot be honoured, so it is not offered.
        await app.run_action("new_job")
        await shown(pilot, ChoiceScreen)
        assert "could NOT be saved" in str(app.screen.query_one(Static).render())
        assert app.screen.query_one("#keep").disabled
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)  # k does nothing; c cancels
        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen is app.editor, what="the editor")
        assert app.editor.request["TrainingJobName"] == "unsaved-job-2"

        await pilot.press("ctrl+q")
        await shown(pilot, ChoiceScreen)
        question = str(app.screen.query_one(Static).render())
        assert "NOT saved" in question and "the draft is saved" not in question
        labels = [str(b.label) for b in app.screen.query("Button")]
        assert labels == ["Export elsewhere… (e)", "Quit without saving (q)", "Cancel (c)"]
        await pilot.press("c")
        await wait_for(pilot, lambda: app.screen is app.editor, what="the editor")
        assert app.is_running

        await pilot.press("ctrl+q")
        await shown(pilot, ChoiceScreen)
        await pilot.press("e")
        await shown(pilot, ExportScreen, "#path")
        app.screen.query_one("#path", Input).value = str(tmp_path / "saved.json")
        app.screen.query_one("#path", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.is_running, what="the app to quit after the export")
    assert json.loads((tmp_path / "saved.json").read_text())["TrainingJobName"] == "unsaved-job-2"


async def test_the_status_clears_when_the_autosave_works_again(monkeypatch):
    real = drafts.write_atomic
    monkeypatch.setattr(drafts, "write_atomic", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EROFS, "ro")))
    app = SmjobApp(JOB, source="example pytorch-gpu")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await rename(pilot, "flaky")
        await wait_for(pilot, lambda: "draft NOT saved" in status(app), what="the warning in the status")
        monkeypatch.setattr(drafts, "write_atomic", real)
        await type_text(pilot, "-ok")
        await wait_for(pilot, lambda: "flaky-ok" in shelf(), what="the next autosave")
        await wait_for(pilot, lambda: "draft NOT saved" not in status(app), what="the status cleared")
        assert any(n.message == "The draft is saved again." for n in app._notifications)


async def test_delete_removes_another_draft_after_asking_but_never_the_open_one():
    other_id = new_draft_id()
    save_draft({"TrainingJobName": "old-idea"}, other_id)
    app = SmjobApp(skeleton(), source="new job")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await rename(pilot, "current")
        await pilot.press("ctrl+l")  # flushes the pending autosave: the current job is listed too
        screen = await shown(pilot, DraftsScreen, "OptionList")
        options = screen.query_one(OptionList)
        ids = [o.id for o in options.options]
        assert sorted(ids) == sorted([other_id, app.draft_id])
        assert "(in the editor)" in str(options.get_option(app.draft_id).prompt)

        options.highlighted = ids.index(app.draft_id)
        await pilot.press("delete")
        await wait_for(pilot, lambda: any("open in the editor" in n.message for n in app._notifications))
        options.highlighted = ids.index(other_id)
        await pilot.press("delete")
        await shown(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is screen and options.option_count == 1, what="the list without it")
    assert list(shelf()) == ["current"]
