"""The code step of a submission: check the folder, name its prefix, complete the request, upload.

`prepare` reads the folder but sends nothing (for previews, exports and the checks that must pass
before anything is uploaded); `upload_prepared` then sends the files. The front ends and
smjob.workflows.submitting call these; none of them prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from smjob.code.bundle import Bundle, scan
from smjob.code.complete import code_uri, complete_request
from smjob.code.settings import CodeSettings
from smjob.code.upload import Progress, UploadResult, upload


@dataclass
class Prepared:
    settings: CodeSettings
    bundle: Bundle
    uri: str
    request: dict  # the completed request: what is sent, previewed, exported and recorded
    upload: UploadResult | None = None

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.bundle.warnings


def prepare(request: dict, settings: CodeSettings, **scan_options) -> Prepared:
    """CodeError when the folder or the request cannot take the code; nothing is uploaded."""
    bundle = scan(settings, **scan_options)
    uri = code_uri(request, settings, bundle.digest)
    return Prepared(settings, bundle, uri, complete_request(request, settings, uri))


def upload_prepared(prepared: Prepared, target=None, *, progress: Progress | None = None, s3=None) -> UploadResult:
    """Upload the folder (UploadError says what was uploaded when it fails part way)."""
    if s3 is None:
        from smjob.aws.clients import client

        s3 = client(target, service="s3")
    prepared.upload = upload(prepared.bundle, prepared.uri, s3, progress=progress, target=target)
    return prepared.upload


def stage_for_submit(
    submission, settings: CodeSettings, target, *, notes=(), client=None, progress: Progress | None = None
):
    """smjob.workflows.submitting's code step, on its Submission: check and complete (errors are
    kind "validation": nothing sent), make sure the job name is free, upload. True to go on and
    create the job with `submission.request`, now the completed request."""
    from smjob import aws
    from smjob.code.settings import CodeError
    from smjob.code.upload import UploadError
    from smjob.validate import validate

    try:
        prepared = prepare(submission.request, settings)
    except CodeError as exc:
        submission.error = aws.AwsError("validation", f"not submitted: {exc}", operation="CreateTrainingJob")
        return False
    submission.code = prepared
    submission.request = prepared.request
    # Checked again with the code's channel and entrypoint, as check_request checked it: in the target's
    # region and with the job's rule overrides (without them an ignored rule refused the job here).
    found = validate(prepared.request, region=submission.target.region, ignore_rules=submission.ignore_rules)
    submission.problems = list(notes) + found
    submission.ignored = list(found.ignored)
    errors = [p for p in submission.problems if p.severity == "error"]
    if errors:  # e.g. a code channel the request has no room for
        submission.error = aws.AwsError(
            "validation", f"not submitted: with the code the request has {len(errors)} error(s)", problems=errors
        )
        return False
    name = prepared.request.get("TrainingJobName")
    try:
        from smjob.aws.jobs import _name_in_use, describe

        existing = describe(name, target, client=client)
    except aws.AwsError as exc:
        if exc.kind != "not-found":
            submission.error = exc
            return False
    else:  # checked before uploading: a taken name would make the upload useless
        submission.error = _name_in_use(name, existing.get("TrainingJobStatus"))
        return False
    try:
        upload_prepared(prepared, target, progress=progress)
    except UploadError as exc:
        submission.error = aws.AwsError("other", str(exc), operation="PutObject", detail=repr(exc.cause))
        return False
    except aws.AwsError as exc:  # the S3 client could not be made
        submission.error = exc
        return False
    return True
