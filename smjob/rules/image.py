"""Rules on AlgorithmSpecification.TrainingImage: its shape, and the region it is pulled from.

The model's pattern for TrainingImage is `.*`. SageMaker pulls from Amazon ECR
(`<account>.dkr.ecr.<region>.<partition suffix>/<repository>[:tag|@digest]`), or from a private
registry through the job's VPC when TrainingImageConfig.TrainingRepositoryAccessMode is Vpc.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from smjob.problems import ERROR, WARNING
from smjob.rules.core import ALGO, API, IMAGE, VPC_ACCESS, Context, Finding, Rule, as_str, section
from smjob.rules.placeholders import placeholders_in
from smjob.short_cache import short_cache

ECR_URL = API + "API_AlgorithmSpecification.html"  # TrainingImage: registry/repository[:tag] or [@digest]
ACCESS_MODE = ALGO + ("TrainingImageConfig", "TrainingRepositoryAccessMode")

# Docker's reference grammar (github.com/distribution/reference, reference.go): path components
# are lowercase alphanumerics joined by `.`, `_`, `__` or `-`s; a tag is up to 128 word characters,
# dots and dashes, not starting with either; a sha256 digest is 64 lowercase hex digits.
_COMPONENT = r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*"
_REPOSITORY = rf"{_COMPONENT}(?:/{_COMPONENT})*"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST = r"sha256:[0-9a-f]{64}"
# distribution/reference: a name (host and path) of at most 255 characters, a tag of 128, a digest.
MAX_REFERENCE = 255 + len(":") + 128 + len("@sha256:") + 64
_REFERENCE_TAIL = rf"(?P<repo>{_REPOSITORY})(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?"
# A private registry host: a DNS name or IPv4 address with an optional port.
_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?"
_PRIVATE = re.compile(rf"(?P<host>{_HOST})/{_REFERENCE_TAIL}", re.ASCII)
# ECR: https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html gives
# `aws_account_id.dkr.ecr.region.amazonaws.com`; FIPS endpoints use `dkr.ecr-fips`
# (https://docs.aws.amazon.com/general/latest/gr/ecr.html). 12-digit account IDs:
# https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
_ECR_HOST = re.compile(r"(?P<account>[0-9]{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.(?P<suffix>.+)", re.ASCII)


@dataclass(frozen=True, slots=True)
class ImageRef:
    host: str
    repository: str
    tag: str | None
    digest: str | None
    ecr_region: str | None  # the region of an ECR registry host; None for other registries


@lru_cache(maxsize=1)
def partitions() -> tuple[tuple[str, re.Pattern], ...]:
    """(DNS suffix, region pattern) of each AWS partition, from botocore's partitions.json."""
    import botocore

    data = json.loads((Path(botocore.__file__).parent / "data" / "partitions.json").read_text(encoding="utf-8"))
    return tuple(
        (p["outputs"]["dnsSuffix"], re.compile(p["regionRegex"], re.ASCII)) for p in data.get("partitions", ())
    )


def _ecr_region(host: str) -> str | None:
    m = _ECR_HOST.fullmatch(host)
    if not m:
        return None
    for suffix, region in partitions():
        if m["suffix"] == suffix and region.match(m["region"]):
            return m["region"]
    return None


@short_cache(maxsize=256)
def parse_image(image: str) -> ImageRef | None:
    """The parts of `host/repository[:tag][@sha256:...]`; None when it is not an image reference."""
    if len(image) > MAX_REFERENCE:
        return None  # no regex over a pasted megabyte
    m = _PRIVATE.fullmatch(image)
    if not m:
        return None
    return ImageRef(m["host"], m["repo"], m["tag"], m["digest"], _ecr_region(m["host"]))


MAX_IMAGE = 255  # CreateTrainingJob's limit for TrainingImage


def _image(req: dict) -> str | None:
    image = as_str(section(req, "AlgorithmSpecification").get("TrainingImage"))
    if not image or len(image) > MAX_IMAGE or placeholders_in(image):
        # Unset (another rule), too long (the model's 255 limit is reported, and matching and quoting
        # a 1 MB value cost 60 ms a keystroke), or a template: placeholder.unfilled says what to fill.
        return None
    return image


def _through_vpc(req: dict) -> bool:
    config = section(section(req, "AlgorithmSpecification"), "TrainingImageConfig")
    return config.get("TrainingRepositoryAccessMode") == VPC_ACCESS


def check_image_shape(req: dict) -> Iterator[Finding]:
    image = _image(req)
    if image is None:
        return
    ref = parse_image(image)
    # What is wrong, in words: imported only then (image_words imports this module's grammar, and it
    # and pattern_words cost ~1.5 MiB that a valid image never needs).
    if _through_vpc(req):
        if ref is None:
            from smjob.rules.image_words import reference_problem

            yield Finding(IMAGE, reference_problem(image), (ACCESS_MODE,))
        return
    if ref is not None and ref.ecr_region is not None:
        return
    from smjob.rules.image_words import ecr_problem

    yield Finding(IMAGE, ecr_problem(image), (ACCESS_MODE,))


def check_image_pinned(req: dict) -> Iterator[Finding]:
    image = _image(req)
    ref = parse_image(image) if image else None
    if ref is not None and ref.tag is None and ref.digest is None:
        yield Finding(
            IMAGE,
            "TrainingImage has no tag or digest, so SageMaker pulls :latest, which can change between "
            "jobs: add a tag (:1.0) or a digest (@sha256:...).",
        )


def check_image_region(req: dict, context: Context | None = None) -> Iterator[Finding]:
    image = _image(req)
    ref = parse_image(image) if image else None
    region = context.region if context else None
    if ref is None or ref.ecr_region is None or not region or ref.ecr_region == region or _through_vpc(req):
        return
    yield Finding(
        IMAGE,
        f"TrainingImage is in the ECR registry of {ref.ecr_region}, but the job is submitted to {region}: "
        f"use the image from {region} (SageMaker images have a registry in each region; copy your own "
        f"with ECR replication), or submit to {ref.ecr_region}.",
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "image.shape",
        ERROR,
        "TrainingImage is an ECR image, or any registry's image with TrainingRepositoryAccessMode=Vpc",
        ECR_URL,
        check_image_shape,
    ),
    Rule(
        "image.unpinned",
        WARNING,
        "TrainingImage without a tag or digest pulls :latest",
        ECR_URL,
        check_image_pinned,
    ),
    Rule(
        "image.region",
        WARNING,
        "TrainingImage's ECR region differs from the region the job is submitted to",
        ECR_URL,
        check_image_region,
        uses_context=True,
    ),
)
