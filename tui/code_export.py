"""The export dialog's part for a job with code: upload now, or a CLI script that uploads first
(smjob.code.export). The dialog stays small: these helpers hold the code-specific steps."""

from __future__ import annotations

import asyncio

from textual.widgets import Checkbox

from smjob.widgets.upload_progress import UploadProgress


def code_choice():
    yield Checkbox("Upload the code now (else the CLI script runs aws s3 sync first)", False, id="upload-now")
    yield UploadProgress(id="code-progress")


async def plan_with_code(screen, raw: str):
    """The plan of the completed request (uploading first when asked), or None after showing why.
    Runs in a thread: the folder is hashed and maybe uploaded."""
    from smjob.code.export import plan_code_export
    from smjob.code.settings import CodeError
    from smjob.code.upload import UploadError

    upload = screen.query_one("#upload-now", Checkbox).value
    progress = screen.query_one("#code-progress", UploadProgress)
    progress.say("uploading the code…" if upload else "checking the code folder…", "dim")
    try:
        plan, prepared = await asyncio.to_thread(
            plan_code_export,
            screen.request,
            screen.code,
            screen.fmt,
            raw,
            upload=upload,
            target=screen.target,
            progress=progress.report,
        )
    except (CodeError, UploadError) as exc:
        progress.say("")
        screen._error(f"not exported: {exc}")
        return None
    if upload and prepared.upload is not None:
        progress.say(prepared.upload.summary())
    elif screen.fmt == "cli":
        progress.say(f"the script uploads the folder to {prepared.uri} before creating the job")
    else:
        progress.say("")
        screen.notify(
            f"The request names {prepared.uri}, which is not uploaded yet: tick 'Upload the code now', "
            "or export the CLI script (it uploads first).",
            severity="warning",
            timeout=12,
        )
    for warning in prepared.warnings:
        screen.notify(warning, severity="warning")
    return plan
