"""Uploading a checked Bundle to its content-addressed S3 prefix.

The prefix is named by the folder's digest, so an object already there under a file's key with
the file's size holds that file: it is skipped, and code that did not change uploads nothing
(a retried submission, an upload that failed part way and is tried again). Each file is read
again at upload and must still have the SHA-256 it was checked with.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from smjob.code.bundle import Bundle
from smjob.code.settings import CodeError

Progress = Callable[[int, int, str], None]  # (bytes done, bytes to upload, file being uploaded)


@dataclass
class UploadResult:
    uri: str
    uploaded: list[str] = field(default_factory=list)  # relative paths sent now
    skipped: list[str] = field(default_factory=list)  # already under the prefix
    bytes_uploaded: int = 0

    def summary(self) -> str:
        if not self.uploaded:
            return f"code unchanged: {len(self.skipped)} file(s) already in {self.uri}"
        kept = f", {len(self.skipped)} already there" if self.skipped else ""
        return f"uploaded {len(self.uploaded)} file(s), {self.bytes_uploaded} bytes, to {self.uri}{kept}"


class UploadError(Exception):
    """The upload stopped part way; `result` says what was uploaded before. No job was created."""

    def __init__(self, message: str, result: UploadResult, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.result = result
        self.cause = cause


def split_s3(uri: str) -> tuple[str, str]:
    if not uri.startswith("s3://"):
        raise CodeError(f"{uri!r} is not an s3:// URI")
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket:
        raise CodeError(f"{uri!r} has no bucket")
    return bucket, key


def existing_sizes(s3, bucket: str, prefix: str) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            sizes[item["Key"]] = item["Size"]
    return sizes


def upload(bundle: Bundle, uri: str, s3, *, progress: Progress | None = None, target=None) -> UploadResult:
    """Put every file of `bundle` under `uri` that is not there yet. UploadError when S3 or a file
    fails (its `result` lists what was uploaded); `s3` is a botocore S3 client."""
    from botocore.exceptions import BotoCoreError, ClientError

    from smjob.aws.errors import translate

    bucket, prefix = split_s3(uri)
    result = UploadResult(uri)

    def failed(what: str, exc: BaseException) -> UploadError:
        if isinstance(exc, (BotoCoreError, ClientError)):
            exc_text = translate(exc, target=target, operation=what, client=s3).message
        else:
            exc_text = str(exc)
        done = f"{len(result.uploaded)} file(s) were uploaded before ({', '.join(result.uploaded[:5])}" + (
            ", ...)" if len(result.uploaded) > 5 else ")"
        )
        if not result.uploaded:
            done = "nothing was uploaded"
        return UploadError(f"code upload to {uri} failed: {exc_text}; {done}; no training job was created", result, exc)

    try:
        present = existing_sizes(s3, bucket, prefix)
    except (BotoCoreError, ClientError) as exc:
        raise failed("ListObjectsV2", exc) from exc
    todo = []
    for f in bundle.files:
        if present.get(prefix + f.rel) == f.size:
            result.skipped.append(f.rel)
        else:
            todo.append(f)
    total = sum(f.size for f in todo)
    if progress and todo:
        progress(0, total, todo[0].rel)
    for f in todo:
        try:
            body = f.path.read_bytes()
            if hashlib.sha256(body).hexdigest() != f.sha256:
                raise CodeError(f"{f.rel} changed after it was checked; submit again")
            s3.put_object(Bucket=bucket, Key=prefix + f.rel, Body=body)
        except (BotoCoreError, ClientError, OSError, CodeError) as exc:
            raise failed("PutObject", exc) from exc
        result.uploaded.append(f.rel)
        result.bytes_uploaded += f.size
        if progress:
            progress(result.bytes_uploaded, total, f.rel)
    return result
