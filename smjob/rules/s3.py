"""Rules on S3 locations: URI form, bucket names, S3 Express One Zone output."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from smjob.paths import FieldPath, format_path
from smjob.problems import ERROR, WARNING
from smjob.rules.core import API, Finding, Rule, as_str, expand, given, section
from smjob.rules.placeholders import placeholders_in
from smjob.schema import request_schema


@lru_cache(maxsize=1)
def s3_location_paths() -> tuple[FieldPath, ...]:
    """Every S3 location member: string members whose name has "S3" and "Uri" or "Path"."""
    return tuple(
        path
        for path, node in request_schema().walk()
        if node.kind == "string"
        and path
        and isinstance(path[-1], str)
        and "S3" in path[-1]
        and ("Uri" in path[-1] or "Path" in path[-1])
    )


def _s3_locations(req: dict) -> Iterator[tuple[FieldPath, str]]:
    for template in s3_location_paths():
        for path, value in expand(req, template):
            if isinstance(value, str):
                yield path, value


S3_NAMING_URL = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]*[a-z0-9]")
_IPV4 = re.compile(r"\d+\.\d+\.\d+\.\d+")
# Prefixes S3 reserves (S3_NAMING_URL). Reserved suffixes are not checked: -s3alias names an
# access point alias, which S3 accepts wherever a bucket name goes, and --x-s3 a directory bucket.
RESERVED_BUCKET_PREFIXES = ("xn--", "sthree-")
DOC_EXAMPLE_BUCKET_PREFIX = "amzn-s3-demo-"  # reserved for the examples in AWS documentation
# S3 Express One Zone directory buckets: <base>--<zone-id>--x-s3
# (https://docs.aws.amazon.com/AmazonS3/latest/userguide/directory-bucket-naming-rules.html)
DIRECTORY_BUCKET_SUFFIX = "--x-s3"

_S3_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn")


def split_s3(uri: str) -> tuple[str, str] | None:
    """(bucket, key) of an s3:// URI or an Amazon S3 https:// URL; None for anything else."""
    if uri.startswith("s3://"):
        bucket, _, key = uri[5:].partition("/")
        return bucket, key
    if uri.startswith("https://"):
        host, _, rest = uri[8:].partition("/")
        return _split_https(host, rest)
    return None


def _split_https(host: str, rest: str) -> tuple[str, str] | None:
    # Virtual-hosted <bucket>.s3[.<region>].amazonaws.com/<key> or path-style
    # s3[.<region>].amazonaws.com/<bucket>/<key>. Split on labels, not with a regex, so hostile
    # input cannot make matching slow; the last "s3"/"s3-*" label ends the bucket name.
    suffix = next((s for s in _S3_HOST_SUFFIXES if host.endswith(s)), None)
    if suffix is None:
        return None
    labels = host[: -len(suffix)].split(".")
    s3_labels = [i for i, label in enumerate(labels) if label == "s3" or label.startswith("s3-")]
    if not s3_labels:
        return None
    if s3_labels[-1] == 0:
        bucket, _, key = rest.partition("/")
        return bucket, key
    return ".".join(labels[: s3_labels[-1]]), rest


def bucket_name_problem(name: str) -> str | None:
    """Why S3 would not accept `name` as a bucket name, or None."""
    if not 3 <= len(name) <= 63:
        return f"is {len(name)} characters long; bucket names have 3 to 63"
    if name != name.lower():
        return "has capital letters; bucket names are lowercase"
    if not _BUCKET.fullmatch(name):
        return "may use only lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit"
    if ".." in name:
        return "has two dots in a row"
    if _IPV4.fullmatch(name):
        return "is formatted as an IP address"
    if name.startswith(DOC_EXAMPLE_BUCKET_PREFIX):
        return f"is a placeholder from the AWS documentation (prefix {DOC_EXAMPLE_BUCKET_PREFIX})"
    for prefix in RESERVED_BUCKET_PREFIXES:
        if name.startswith(prefix):
            return f"starts with {prefix}, a prefix S3 reserves"
    return None


def check_s3_https(req: dict) -> Iterator[Finding]:
    for path, uri in _s3_locations(req):
        if not uri.startswith("https://"):
            continue
        parts = split_s3(uri)
        fix = (
            f'use "s3://{parts[0]}/{parts[1]}" instead' if parts and parts[0] else "use an s3://bucket/prefix location"
        )
        yield Finding(
            path,
            f"{format_path(path)} is an HTTPS URL; SageMaker documents S3 locations in the "
            f"s3://bucket/prefix form: {fix}.",
        )


def check_s3_bucket_name(req: dict) -> Iterator[Finding]:
    for path, uri in _s3_locations(req):
        parts = split_s3(uri)
        if not parts or not parts[0] or placeholders_in(parts[0]):
            continue  # no bucket at all (the model's pattern reports that), or a <placeholder> (its own rule)
        reason = bucket_name_problem(parts[0])
        if reason:
            yield Finding(
                path,
                f"Bucket {parts[0]!r} is not a valid S3 bucket name: it {reason}. Use the name of your bucket.",
            )


def check_s3_empty_segment(req: dict) -> Iterator[Finding]:
    for path, uri in _s3_locations(req):
        parts = split_s3(uri)
        if parts and "//" in parts[1]:
            yield Finding(
                path,
                f"{format_path(path)} has an empty path segment ('//') in {uri!r}; S3 keeps it as "
                f"part of the key, so this is probably not the intended location: remove the extra "
                f"slash.",
            )


def check_kms_s3_express(req: dict) -> Iterator[Finding]:
    output = section(req, "OutputDataConfig")
    uri = as_str(output.get("S3OutputPath"))
    parts = split_s3(uri) if uri else None
    if parts and parts[0].endswith(DIRECTORY_BUCKET_SUFFIX) and given(output, "KmsKeyId"):
        yield Finding(
            ("OutputDataConfig", "KmsKeyId"),
            f"OutputDataConfig.KmsKeyId cannot be used with S3 Express One Zone output: bucket "
            f"{parts[0]!r} is a directory bucket, which is always encrypted with S3 managed keys. Remove "
            f"KmsKeyId, or write the output to a general purpose bucket.",
            (("OutputDataConfig", "S3OutputPath"),),
        )


RULES: tuple[Rule, ...] = (
    Rule(
        "s3.https-uri", WARNING, "S3 locations should use the s3:// form", API + "API_S3DataSource.html", check_s3_https
    ),
    Rule("s3.bucket-name", ERROR, "S3 locations must name a valid bucket", S3_NAMING_URL, check_s3_bucket_name),
    Rule(
        "s3.empty-segment",
        WARNING,
        "S3 locations should not contain empty path segments (//)",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html",
        check_s3_empty_segment,
    ),
    Rule(
        "output.kms-s3-express",
        ERROR,
        "OutputDataConfig.KmsKeyId is not supported for S3 Express One Zone",
        API + "API_OutputDataConfig.html",
        check_kms_s3_express,
    ),
)
