"""Secrets: secret-looking Environment values are masked on screen (preview, history views) and
only there: copy, export and submit stay exact. AWS credentials from the environment never reach
the history, the draft or an exported file, even through the app.

File modes are covered elsewhere: the draft's 0600 in test_app_files.py and test_e2e_tmux.py,
the history's (and its -wal/-shm) in test_history.py; engine-level credentials in the history in
test_history.py::test_no_credentials_are_stored.
"""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input

from smjob.diff import diff
from smjob.examples import load_example
from smjob.history import Entry, History
from smjob.render import render
from smjob.secrets import MASK, looks_secret, mask_changes, mask_secrets
from tests.support.waiting import wait_until

PASSWORD = "hunter2-s3cr3t-value"
JOB = dict(
    load_example("pytorch-gpu"),
    Environment={
        "DB_PASSWORD": PASSWORD,
        "HF_TOKEN": "hf_abcdefSECRETTOKEN",
        "OMP_NUM_THREADS": "4",
        "TOKENIZERS_PARALLELISM": "false",
        "KEYBOARD_LAYOUT": "us",
    },
)


# --- engine ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "DB_PASSWORD",
        "db_password",
        "dbPassword",
        "MYSQL_PASSWD",
        "PASS",
        "DB_PASS",
        "HF_TOKEN",
        "GITHUB_TOKEN",
        "AUTHTOKEN",
        "AWS_SESSION_TOKEN",
        "API_KEY",
        "APIKEY",
        "apiKey",
        "OPENAI_API_KEY",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "CLIENT_SECRET",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "PRIVATE_KEY_PEM",
        "SSH_KEYS",
        "key",
        "WANDB_API_KEY",
    ],
)
def test_secret_looking_names(name):
    assert looks_secret(name)


@pytest.mark.parametrize(
    "name",
    [
        "OMP_NUM_THREADS",
        "KEYBOARD_LAYOUT",
        "TOKENIZERS_PARALLELISM",
        "NCCL_DEBUG",
        "PYTORCH_CUDA_ALLOC_CONF",
        "PASSTHROUGH",
        "SM_CHANNEL_TRAIN",
        "KEYSPACE",
        "",
        "TOKENIZER",
    ],
)
def test_ordinary_names(name):
    assert not looks_secret(name)


def test_mask_secrets_returns_a_masked_copy():
    original = json.loads(json.dumps(JOB))
    masked = mask_secrets(JOB)
    assert original == JOB  # the input is untouched
    assert masked["Environment"] == {
        "DB_PASSWORD": MASK,
        "HF_TOKEN": MASK,
        "OMP_NUM_THREADS": "4",
        "TOKENIZERS_PARALLELISM": "false",
        "KEYBOARD_LAYOUT": "us",
    }
    assert {k: v for k, v in masked.items() if k != "Environment"} == {
        k: v for k, v in JOB.items() if k != "Environment"
    }
    masked["Environment"]["OMP_NUM_THREADS"] = "99"  # its own Environment...
    assert JOB["Environment"]["OMP_NUM_THREADS"] == "4"
    assert masked["ResourceConfig"] is JOB["ResourceConfig"]  # ...the rest is shared, read-only (no deep copy)


def test_mask_secrets_odd_inputs():
    assert mask_secrets({}) == {}
    assert mask_secrets({"Environment": None}) == {"Environment": None}
    assert mask_secrets({"Environment": ["DB_PASSWORD"]}) == {"Environment": ["DB_PASSWORD"]}
    assert mask_secrets({"Environment": {"DB_PASSWORD": ""}}) == {"Environment": {"DB_PASSWORD": ""}}
    assert mask_secrets({"Environment": {"API_KEY": 12}}) == {"Environment": {"API_KEY": MASK}}
    assert PASSWORD not in render(mask_secrets(JOB), "cli") and PASSWORD in render(JOB, "cli")


def test_mask_changes_hides_both_sides_but_keeps_the_change():
    after = json.loads(json.dumps(JOB))
    after["Environment"]["DB_PASSWORD"] = "another-secret"
    after["Environment"]["NEW_API_KEY"] = "k-123"
    after["Environment"]["OMP_NUM_THREADS"] = "8"
    changes = {c.where: c for c in mask_changes(diff(JOB, after))}
    assert (changes["Environment.DB_PASSWORD"].old, changes["Environment.DB_PASSWORD"].new) == (MASK, MASK)
    assert changes["Environment.DB_PASSWORD"].kind == "changed"
    assert changes["Environment.NEW_API_KEY"].new == MASK
    assert (changes["Environment.OMP_NUM_THREADS"].old, changes["Environment.OMP_NUM_THREADS"].new) == ("4", "8")
    whole = mask_changes(diff({}, {"Environment": JOB["Environment"]}))
    assert whole[0].new["DB_PASSWORD"] == MASK and whole[0].new["OMP_NUM_THREADS"] == "4"
    text = " ".join(c.line() if hasattr(c, "line") else str(c) for c in whole + list(changes.values()))
    assert PASSWORD not in text and "another-secret" not in text


# --- the app -----------------------------------------------------------------------------------


def shown(widget) -> str:
    """The code a widget shows: a CodeView (the preview) or a Static holding a rich Syntax."""
    if hasattr(widget, "code"):
        return widget.code
    return getattr(widget.content, "code", None) or str(widget.render())


async def export_to(pilot, path):
    from smjob.tui.screens.export import ExportScreen

    await pilot.press("f10")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), what="the export dialog")
    field = pilot.app.screen.query_one("#path", Input)
    field.value = str(path)
    field.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: path.exists(), what=f"{path}")


async def test_preview_masks_but_copy_and_export_are_exact(tmp_path):
    from smjob.tui.app import SmjobApp

    app = SmjobApp(json.loads(json.dumps(JOB)), autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:  # wide: the preview is shown beside the form
        await pilot.pause()
        code = app.editor.query_one("#code-json")
        await wait_until(pilot, lambda: '"TrainingJobName"' in shown(code), what="the JSON preview")
        preview = shown(code)
        assert f'"DB_PASSWORD": "{MASK}"' in preview and f'"HF_TOKEN": "{MASK}"' in preview
        assert PASSWORD not in preview and "hf_abcdefSECRETTOKEN" not in preview
        assert '"OMP_NUM_THREADS": "4"' in preview and '"KEYBOARD_LAYOUT": "us"' in preview

        await pilot.press("f9")  # copy the CLI command: exact
        await pilot.pause()
        assert app.clipboard.startswith("aws sagemaker create-training-job") and PASSWORD in app.clipboard
        assert MASK not in app.clipboard

        await export_to(pilot, tmp_path / "job.json")
        assert app.editor.request == JOB
    assert json.loads((tmp_path / "job.json").read_text()) == JOB


async def test_history_views_mask(tmp_path):
    from smjob.tui.app import SmjobApp
    from smjob.tui.screens.history import DiffScreen, EntryViewScreen
    from smjob.widgets.diff_view import DiffView

    history = History(tmp_path / "history.sqlite3")
    entry_id = history.record("export", JOB, path=str(tmp_path / "job.json"))
    entry: Entry = history.get(entry_id)
    assert entry.request["Environment"]["DB_PASSWORD"] == PASSWORD  # stored exactly
    draft = json.loads(json.dumps(JOB))
    draft["Environment"]["DB_PASSWORD"] = "changed-" + PASSWORD
    app = SmjobApp(draft, autosave=False, history=history)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.push_screen(EntryViewScreen(entry))
        await pilot.pause()
        text = shown(app.screen.query_one("#entry-code"))
        assert f'"DB_PASSWORD": "{MASK}"' in text and PASSWORD not in text and '"OMP_NUM_THREADS": "4"' in text
        await pilot.press("escape")
        await pilot.pause()
        await app.push_screen(DiffScreen(diff(entry.request, draft), "#1", "the current draft"))
        await pilot.pause()
        view = app.screen.query_one(DiffView)
        lines = str(view.render()) + " ".join(str(c.old) + str(c.new) for c in app.screen.changes)
        assert "DB_PASSWORD" in lines and PASSWORD not in lines and MASK in lines


async def test_credentials_never_reach_history_draft_or_exports(moto, tmp_path, monkeypatch):
    """Submit through the app to moto, with credentials in the environment, then export: no file
    the app wrote holds them (the request's own Environment secrets are the user's data and stay)."""
    from smjob.aws import Target
    from smjob.tui.app import SmjobApp
    from smjob.tui.screens.job import JobScreen
    from smjob.tui.screens.submit import SubmitScreen
    from tests.support.keyboard import fill

    creds = {
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCY",
        "AWS_SESSION_TOKEN": "FwoGZXIvYXdzEXAMPLESESSIONTOKENxyz",
    }
    for k, v in creds.items():
        monkeypatch.setenv(k, v)
    data = tmp_path / "data"
    monkeypatch.setenv("SMJOB_DATA_DIR", str(data))
    app = SmjobApp(json.loads(json.dumps(JOB)), target=Target(None, moto.region, moto.url))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await fill(pilot, ("TrainingJobName",), "-creds")  # an edit: the draft is autosaved
        await wait_until(pilot, lambda: list((data / "drafts").glob("*.json")), what="the draft")
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, SubmitScreen), what="the submit dialog")
        app.screen.query_one("#submit").press()  # not Enter: a failed preflight check moves focus to Cancel
        await wait_until(pilot, lambda: isinstance(app.screen, JobScreen), what="the job screen")
        await pilot.press("escape")
        await export_to(pilot, tmp_path / "out" / "job.json")
        await wait_until(pilot, lambda: app._autosave_timer is None, what="the pending autosave")
    assert [e.action for e in History(data / "history.sqlite3").list()] == ["export", "submit"]
    written = [p for p in [*data.rglob("*"), *(tmp_path / "out").rglob("*")] if p.is_file()]
    assert any(p.parent.name == "drafts" for p in written) and any(
        p.name.startswith("history.sqlite3") for p in written
    )
    blob = b"".join(p.read_bytes() for p in written)
    assert PASSWORD.encode() in blob  # the request is stored as is...
    for value in creds.values():
        assert value.encode() not in blob, value  # ...the credentials are not
