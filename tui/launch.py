"""The `smjob` console script: the headless CLI (smjob.cli), handed the editor for the commands that
open it. Nothing here imports Textual until the editor is really opened."""

from __future__ import annotations

import os
import sys

# Textual writes each frame from a thread of its own (textual/drivers/_writer_thread.py), which needs
# the GIL to take the frame and again after writing it, while this thread already lays out the next
# one (after a section switch: another 20-70 ms of layout). At Python's default switch interval (5 ms)
# a frame was written 7-12 ms after it was drawn; measured at this interval, 1-4 ms.
FRAME_WRITER_WAIT = 0.0005


def main(argv: list[str] | None = None) -> int:
    from smjob.cli.main import main as cli_main

    return cli_main(argv, open_app=open_app)


def open_app(request: dict, source: str | None, notes: list, args) -> int:
    from smjob.aws import Target

    target = Target(getattr(args, "profile", None), getattr(args, "region", None), getattr(args, "endpoint_url", None))
    if getattr(args, "local", False):
        return _open_with_local_endpoint(request, source, notes)
    return _run(
        request,
        source,
        notes,
        target,
        getattr(args, "draft_id", None),
        getattr(args, "draft_code", None),
        field_sources=getattr(args, "field_sources", None),
        meta=getattr(args, "draft_meta", None),
        draft_digest=getattr(args, "draft_digest", None),
    )


def _run(
    request: dict,
    source: str | None,
    notes: list,
    target,
    draft_id: str | None = None,
    code=None,
    field_sources=None,
    meta=None,
    draft_digest=None,
) -> int:
    from smjob.cli.pipes import colours_on_stderr
    from smjob.tui.app import SmjobApp

    # draft_id, code and the rest of its metadata (rule overrides...): restored from the shelf
    app = SmjobApp(
        request, source=source, target=target, draft_id=draft_id, code=code, meta=meta, draft_digest=draft_digest
    )
    app.startup_notes = list(notes)
    app.field_sources = dict(field_sources or {})  # a new job: "from config.yaml" in the form
    crashed = True
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(FRAME_WRITER_WAIT)
    try:
        with colours_on_stderr():
            app.run()
        crashed = app.return_code not in (None, 0)
    finally:
        sys.setswitchinterval(switch_interval)
        if crashed:
            _keep_edits(app)
    return 0 if app.return_code in (None, 0) else app.return_code


def _keep_edits(app) -> None:
    """The app stopped on an error: the autosave timer died with it, so the last edits are saved
    here (its request is plain data) and the user is told where they are."""
    try:
        saved = app.flush_autosave()
    except Exception as exc:  # whatever broke the app may break this too: say so, never hide the first error
        print(f"smjob: your last edits could not be saved to a draft: {exc}", file=sys.stderr)
        return
    if not saved:
        print(f"smjob: your last edits could not be saved to a draft: {app.autosave_error}", file=sys.stderr)
    elif app.dirty and app.draft_id is not None:
        print(f"smjob: your edits are in draft {app.draft_id} (plain `smjob` reopens it)", file=sys.stderr)


def _open_with_local_endpoint(request: dict, source: str | None, notes: list) -> int:
    """Start a local SageMaker-compatible endpoint (moto) with dummy credentials, run the app
    against it, and stop it on exit: a new user can submit and watch jobs with no AWS account."""
    import importlib.util

    from smjob.aws import Target
    from smjob.local_endpoint import LocalEndpointError, seed_for_request, start_subprocess

    if importlib.util.find_spec("moto") is None:
        print(
            "smjob: --local needs the local endpoint (moto), which is not installed.\n"
            "  Install it with:  pip install 'smjob[local]'   (or run `make run` in the source tree)",
            file=sys.stderr,
        )
        return 2
    print("Starting a local SageMaker-compatible endpoint (moto)…", file=sys.stderr)
    try:
        endpoint = start_subprocess()
    except LocalEndpointError as exc:
        print(f"smjob: {exc}", file=sys.stderr)
        return 2
    try:
        os.environ.update(endpoint.env())  # dummy credentials: never the user's real ones
        os.environ.pop("AWS_PROFILE", None)
        try:  # the example's own role, buckets and input data, so its preflight passes
            seed_for_request(endpoint, request)
        except Exception as exc:  # the endpoint still serves; preflight will say what is missing
            print(f"smjob: could not create the example's resources locally: {exc}", file=sys.stderr)
        target = Target(None, endpoint.env().get("AWS_DEFAULT_REGION"), endpoint.url)
        return _run(request, f"{source} · local endpoint {endpoint.url}", notes, target)
    finally:
        endpoint.stop()


if __name__ == "__main__":
    sys.exit(main())
