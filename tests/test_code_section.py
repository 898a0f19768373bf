"""The editor's Code section (smjob's own, not an API member): typed into, saved with the draft
(beside other smjob metadata), restored, and shown in the preview as the completed request."""

from __future__ import annotations

import json

from smjob.drafts import save_draft, scan
from smjob.examples import load_example
from smjob.overrides import META_KEY
from smjob.sections import CODE_KEY
from smjob.tui.app import SmjobApp
from smjob.widgets.preview import PreviewPane
from tests.support.keyboard import type_text
from tests.support.waiting import wait_until


def _source(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text("print('hi')\n")
    (src / "requirements.txt").write_text("numpy\n")
    return src


async def test_code_section_typed_saved_with_the_draft_and_previewed(tmp_path):
    src = _source(tmp_path)
    request = dict(load_example("pytorch-gpu"), TrainingJobName="code-job")
    app = SmjobApp(request, draft_id="c0de01")
    async with app.run_test(size=(200, 50)) as pilot:
        await app.editor.go_to_section(CODE_KEY)
        await wait_until(pilot, lambda: app.focused is not None and app.focused.id == "code-source")
        await type_text(pilot, str(src))
        await pilot.press("tab")
        assert app.focused.id == "code-entry"
        await type_text(pilot, "train.py")
        await pilot.press("tab", "space")  # the requirements checkbox
        await wait_until(pilot, lambda: app.code.current is not None, what="the folder's check")
        status = str(app.editor.query_one("#code-status").render())
        assert "2 file(s)" in status, status
        shown = app.code.completed(app.request)
        channels = {c["ChannelName"]: c for c in shown["InputDataConfig"]}
        uri = channels["code"]["DataSource"]["S3DataSource"]["S3Uri"]
        assert uri.startswith(request["OutputDataConfig"]["S3OutputPath"].rstrip("/") + "/code-job/code/")
        assert "<digest>" not in uri
        assert shown["AlgorithmSpecification"]["ContainerArguments"][1:] == ["requirements.txt", "train.py"]
        assert "code" not in {c["ChannelName"] for c in app.request["InputDataConfig"]}  # the editor's own
        await wait_until(pilot, lambda: uri in app.editor.query_one(PreviewPane).active_view.code, what="preview")
        assert app.flush_autosave()
    drafts, _ = scan()
    (draft,) = [d for d in drafts if d.id == "c0de01"]
    assert draft.code == {"source_dir": str(src), "entry_point": "train.py", "requirements": "requirements.txt"}
    assert META_KEY not in draft.request and "code" not in {c["ChannelName"] for c in draft.request["InputDataConfig"]}


async def test_draft_with_code_and_rule_overrides_round_trips(tmp_path):
    src = _source(tmp_path)
    request = dict(load_example("pytorch-gpu"), TrainingJobName="code-job2")
    meta = {"source_dir": str(src), "entry_point": "train.py"}
    path = save_draft(request, "c0de02", ignore_rules=["scale.instances-quota"], code=meta)
    app = SmjobApp(request, draft_id="c0de02", code=meta, meta={"ignore_rules": ["scale.instances-quota"]})
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.code.current is not None, what="the folder's check")
        await app.editor.go_to_section(CODE_KEY)
        await pilot.press("end")
        await type_text(pilot, "/")  # still the same folder
        await wait_until(pilot, lambda: app.code.source_dir.endswith("/"))
        assert app.flush_autosave()
    record = json.loads(path.read_text())
    assert record[META_KEY]["code"]["source_dir"] == str(src) + "/"
    assert record[META_KEY].get("ignore_rules") == ["scale.instances-quota"], record[META_KEY]


# --- submit (F5) with code, against the local endpoint -------------------------------------------

BUCKET = "sagemaker-us-east-1-123456789012"


async def _submit_dialog(pilot):
    from smjob.tui.screens.submit import SubmitScreen

    await pilot.press("f5")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SubmitScreen))
    return pilot.app.screen


async def test_submit_uploads_the_code_with_progress_and_records_the_completed_request(moto, tmp_path):
    from smjob.aws import Target
    from smjob.history import History
    from smjob.tui.screens.job import JobScreen
    from tests.support.moto_server import raw_client

    src = _source(tmp_path)
    s3 = raw_client(moto, "s3")
    s3.create_bucket(Bucket=BUCKET)
    history = History(tmp_path / "history.sqlite3")
    request = dict(load_example("pytorch-gpu"), TrainingJobName="code-submit")
    meta = {"source_dir": str(src), "entry_point": "train.py", "requirements": "requirements.txt"}
    app = SmjobApp(request, autosave=False, target=Target(None, moto.region, moto.url), history=history, code=meta)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _submit_dialog(pilot)
        line = str(dialog.query_one("#code-progress").render())
        assert "train.py" in line and "uploaded first" in line
        dialog.query_one("#submit").press()
        await wait_until(pilot, lambda: isinstance(app.screen, JobScreen), what="the job screen")
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"])
    prefix = "pytorch-resnet50/output/code-submit/code/"
    assert [k.rsplit("/", 1)[1] for k in keys] == ["requirements.txt", "train.py"]
    assert all(k.startswith(prefix) for k in keys)
    entry = history.get(history.list(action="submit")[0].id)
    channel = next(c for c in entry.request["InputDataConfig"] if c["ChannelName"] == "code")
    assert channel["DataSource"]["S3DataSource"]["S3Uri"] == f"s3://{BUCKET}/{keys[0].rsplit('/', 1)[0]}/"
    assert entry.request["AlgorithmSpecification"]["ContainerArguments"][1:] == ["requirements.txt", "train.py"]
    assert entry.code == meta
    assert "code" not in {c["ChannelName"] for c in app.request["InputDataConfig"]}  # the editor's stays its own
    history.close()


async def test_submit_with_a_missing_entry_script_names_it_and_uploads_nothing(moto, tmp_path):
    from smjob.aws import Target
    from tests.support.moto_server import raw_client

    src = _source(tmp_path)
    s3 = raw_client(moto, "s3")
    s3.create_bucket(Bucket=BUCKET)
    request = dict(load_example("pytorch-gpu"), TrainingJobName="code-missing")
    meta = {"source_dir": str(src), "entry_point": "nope.py"}
    app = SmjobApp(request, autosave=False, target=Target(None, moto.region, moto.url), code=meta)
    async with app.run_test(size=(100, 30)) as pilot:
        sections = app.editor.query_one("#sections")
        await wait_until(pilot, lambda: sections.badges.get(CODE_KEY, None) is not None, what="the badges")
        await wait_until(pilot, lambda: sections.badges[CODE_KEY].errors == 1, what="the Code badge's error")
        dialog = await _submit_dialog(pilot)
        dialog.query_one("#submit").press()
        error = dialog.query_one(".dialog-error")
        await wait_until(pilot, lambda: "nope.py" in str(error.render()), what="the error")
        assert "not submitted" in str(error.render())
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)
    assert raw_client(moto).list_training_jobs()["TrainingJobSummaries"] == []


# --- export (F10) with code ------------------------------------------------------------------------


async def _export(pilot, path, *, fmt: str, upload: bool):
    from textual.widgets import Input

    from smjob.tui.screens.export import ExportScreen

    await pilot.press("f10")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), what="the export dialog")
    screen = pilot.app.screen
    screen.query_one(f"#fmt-{fmt}").value = True
    screen.query_one("#upload-now").value = upload
    await pilot.pause()
    field = screen.query_one("#path", Input)
    field.value = str(path)
    field.focus()
    await pilot.press("enter")
    await wait_until(pilot, path.exists, what="the export")


async def test_export_writes_a_script_that_syncs_or_uploads_now(moto, tmp_path):
    from smjob.aws import Target
    from tests.support.moto_server import raw_client

    src = _source(tmp_path)
    s3 = raw_client(moto, "s3")
    s3.create_bucket(Bucket=BUCKET)
    request = dict(load_example("pytorch-gpu"), TrainingJobName="code-export")
    meta = {"source_dir": str(src), "entry_point": "train.py"}
    app = SmjobApp(request, autosave=False, target=Target(None, moto.region, moto.url), code=meta)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _export(pilot, tmp_path / "job.sh", fmt="cli", upload=False)
        assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)  # the script uploads, not the export
        await wait_until(pilot, lambda: app.screen is app.editor)
        await _export(pilot, tmp_path / "job.json", fmt="json", upload=True)
    script = (tmp_path / "job.sh").read_text()
    assert "aws s3 sync" in script and str(src) in script
    assert script.index("aws s3 sync") < script.index("create-training-job")
    exported = json.loads((tmp_path / "job.json").read_text())
    source = next(c for c in exported["InputDataConfig"] if c["ChannelName"] == "code")["DataSource"]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert sorted(k.rsplit("/", 1)[1] for k in keys) == ["requirements.txt", "train.py"]  # the whole folder
    assert source["S3DataSource"]["S3Uri"] == f"s3://{BUCKET}/{keys[0].rsplit('/', 1)[0]}/"


def test_upload_progress_line_shows_share_sizes_and_the_file_escaped():
    from smjob.widgets.upload_progress import progress_text

    line = progress_text(512 * 1024, 1024 * 1024, "data/\x1b[2Jx.py").plain
    assert " 50% 0.5 MiB of 1.0 MiB" in line and "data/\\x1b[2Jx.py" in line and "\x1b" not in line
    assert "100%" in progress_text(0, 0, "").plain  # nothing to upload: done
