"""Exporting a job that has code: either upload now and export the completed request, or export a
CLI script that uploads the folder with `aws s3 sync` and then creates the job.

The script syncs to the same content-addressed prefix the request names, computed when the script
was written; it uploads the folder as it is when the script runs (`--exclude` keeps the ignore
patterns), so edit the code, export again.
"""

from __future__ import annotations

from smjob.code.staging import Prepared


def _excludes(patterns) -> list[str]:
    out = []
    for p in patterns:  # a pattern may name a file or folder at any depth, as the upload applies it
        out += [p, f"{p}/*", f"*/{p}", f"*/{p}/*"]
    return out


def sync_command(prepared: Prepared) -> str:
    from smjob.render_cli import shell_quote

    words = ["aws", "s3", "sync", str(prepared.bundle.root), prepared.uri]
    for pattern in _excludes(prepared.settings.ignore):
        words += ["--exclude", pattern]
    return " ".join(shell_quote(w) for w in words)


def with_sync(script: str, prepared: Prepared) -> str:
    """A CLI script (smjob.workflows.exporting.script_text) that uploads the code first."""
    shebang, _, rest = script.partition("\n")
    step = "# Upload the code folder (content-addressed: unchanged files are skipped), then create the job.\n"
    return f"{shebang}\nset -e\n{step}{sync_command(prepared)}\n\n{rest}"


def plan_code_export(request: dict, settings, fmt: str, path, *, upload: bool = False, target=None, progress=None):
    """(ExportPlan of the completed request, Prepared). `upload`: send the folder now; otherwise a
    CLI script syncs it first (other formats then name a prefix that is not uploaded yet: the
    caller warns). CodeError, UploadError or ValueError before anything is written."""
    from smjob.code.staging import prepare, upload_prepared
    from smjob.workflows.exporting import ExportFile, ExportPlan, plan_export

    prepared = prepare(request, settings)
    if upload:
        upload_prepared(prepared, target, progress=progress)
    plan = plan_export(prepared.request, fmt, path)
    if fmt != "cli" or upload:
        return plan, prepared
    script, *rest = plan.files
    files = (ExportFile(script.path, with_sync(script.text, prepared), script=True), *rest)
    return ExportPlan(plan.request, plan.fmt, plan.path, files), prepared
