"""Two smjob processes editing one draft never destroy each other's edits: each editor autosaves
with smjob.drafts.autosave_draft, which saves into a new draft, "<job> (conflict <time>)", when
another process changed the file since this editor last read or wrote it; the app says so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from textual.widgets import Static

from smjob.drafts import CONFLICT, autosave_draft, drafts_dir, new_draft_id, save_draft, scan
from smjob.examples import load_example
from smjob.tui.app import SmjobApp
from tests.support.keyboard import tab_to_input, type_text
from tests.support.waiting import wait_until

JOB = load_example("pytorch-gpu")
NAME = JOB["TrainingJobName"]


@pytest.fixture(autouse=True)
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("SMJOB_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def shelf() -> dict[str, object]:
    """The drafts on disk, by id."""
    found, problems = scan()
    assert not problems
    return {d.id: d for d in found}


def opened():
    """One draft on the shelf, read as the launcher reads it for each smjob."""
    save_draft(JOB, new_draft_id())
    [draft] = shelf().values()
    return draft


def edited(suffix: str) -> dict:
    return dict(JOB, TrainingJobName=f"{NAME}-{suffix}")


# --- the engine: two writers -------------------------------------------------------------------


def test_the_second_writer_goes_to_a_new_draft_and_the_first_keeps_its_own():
    draft = opened()
    a = autosave_draft(edited("a"), draft.id, draft.digest)  # both read the same file
    assert a.draft_id == draft.id and a.changed_elsewhere is None

    b = autosave_draft(edited("b"), draft.id, draft.digest, ignore_rules=["scale.volume-size"])
    assert b.draft_id != draft.id and b.changed_elsewhere == a.path
    drafts = shelf()
    assert drafts[draft.id].request == edited("a")  # A's save was not written over
    copy = drafts[b.draft_id]
    assert copy.request == edited("b") and copy.ignore_rules == ("scale.volume-size",)
    assert copy.meta[CONFLICT]["of"] == draft.id and copy.name.startswith(f"{NAME}-b (conflict 20")

    # Each goes on in its own draft, with no further conflict.
    assert autosave_draft(edited("a2"), a.draft_id, a.digest).changed_elsewhere is None
    b2 = autosave_draft(edited("b2"), b.draft_id, b.digest, meta=b.meta)
    assert b2.draft_id == b.draft_id and b2.changed_elsewhere is None and "(conflict " in shelf()[b.draft_id].name
    assert {d.request["TrainingJobName"] for d in shelf().values()} == {f"{NAME}-a2", f"{NAME}-b2"}


def test_a_rename_elsewhere_is_a_change_and_a_removal_is_not():
    draft = opened()
    other = autosave_draft(dict(JOB, TrainingJobName="renamed-elsewhere"), draft.id, draft.digest)
    assert other.path.name.startswith("renamed-elsewhere-")
    mine = autosave_draft(edited("mine"), draft.id, draft.digest)
    assert mine.changed_elsewhere == other.path and mine.draft_id != draft.id

    for path in drafts_dir().glob(f"*-{mine.draft_id}.json"):
        path.unlink()  # `smjob drafts rm` in another terminal: writing it again loses nothing
    again = autosave_draft(edited("mine-2"), mine.draft_id, mine.digest)
    assert again.draft_id == mine.draft_id and again.changed_elsewhere is None


def test_two_processes_saving_at_once_each_keep_their_last_save(data):
    """Two real processes autosave the same draft 30 times each, at the same time: each one's last
    request is on the shelf, in a draft of its own."""
    draft = opened()
    script = textwrap.dedent(
        """
        import json, sys
        from smjob.drafts import autosave_draft
        from smjob.examples import load_example
        job, who, draft_id, known = load_example("pytorch-gpu"), sys.argv[1], sys.argv[2], sys.argv[3]
        sys.stdin.readline()  # both start together
        for n in range(30):
            saved = autosave_draft(dict(job, TrainingJobName=f"{who}-{n}"), draft_id, known)
            draft_id, known = saved.draft_id, saved.digest
        print(json.dumps([draft_id, f"{who}-{n}"]))
        """
    )
    env = dict(os.environ, SMJOB_DATA_DIR=str(data))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, who, draft.id, draft.digest],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for who in ("left", "right")
    ]
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    finals = [json.loads(proc.communicate(timeout=60)[0]) for proc in procs]
    drafts = shelf()
    for draft_id, name in finals:
        assert drafts[draft_id].request["TrainingJobName"] == name
    assert finals[0][0] != finals[1][0]  # one of them went to a conflict copy


# --- the app -----------------------------------------------------------------------------------


def test_plain_smjob_gives_the_app_the_restored_drafts_digest(monkeypatch):
    from smjob.tui import launch

    draft = opened()
    seen = []
    monkeypatch.setattr(SmjobApp, "run", lambda app, *a, **k: seen.append((app.draft_id, app.draft_digest)))
    assert launch.main([]) == 0
    assert seen == [(draft.id, draft.digest)] and draft.digest


def status(app) -> str:
    return str(app.editor.query_one("#status", Static).render())


async def rename(pilot, name: str) -> None:
    await tab_to_input(pilot, ("TrainingJobName",))
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, name)


async def test_two_apps_on_one_draft_keep_both_edits_and_the_second_is_told():
    draft = opened()

    def app():
        return SmjobApp(
            draft.request, source="restored draft", draft_id=draft.id, meta=draft.meta, draft_digest=draft.digest
        )

    first, second = app(), app()
    async with (
        first.run_test(size=(100, 30), notifications=True) as one,
        second.run_test(size=(100, 30), notifications=True) as two,
    ):
        await rename(one, "first-edit")
        assert first.flush_autosave() and names() == {"first-edit"}  # what ctrl+l or the timer does
        await rename(two, "second-edit")
        assert second.flush_autosave() and second.draft_id != draft.id
        assert names() == {"first-edit", "second-edit (conflict"}
        await wait_until(two, lambda: second._notifications, what="B's notification")
        [note] = [n for n in second._notifications if n.title == "Draft changed elsewhere"]
        assert "first-edit" in note.message and second.draft_id in note.message
        await wait_until(two, lambda: "saved as a conflict copy" in status(second), what="the status")

        await type_text(one, "-2")  # the first goes on in its own draft, not told anything
        await type_text(two, "-2")
        assert first.flush_autosave() and second.flush_autosave()
        assert first.draft_id == draft.id and names() == {"first-edit-2", "second-edit-2 (conflict"}
        assert not [n for n in first._notifications if n.title == "Draft changed elsewhere"]


def names() -> set[str]:
    return {d.name.split(" 20")[0] for d in shelf().values()}
