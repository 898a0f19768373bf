"""TrainingImage in words: what is wrong with this value as an image URI, and what one looks like.

The model's pattern for TrainingImage is `.*`, so the form comes from smjob's own grammar
(smjob.rules.image: the ECR registry host, Docker's reference grammar), written here as patterns
with named parts that smjob.pattern_words reads as it reads a model pattern: "the account has 11
digits; it needs 12", "has a space at character 48 (in the repository)". What a pattern cannot
say (a scheme, a Docker Hub name, another registry, a region outside its domain) is checked first.
"""

from __future__ import annotations

import re
from functools import cache

from smjob.pattern_words import describe
from smjob.rules.core import because
from smjob.rules.image import _COMPONENT, _DIGEST, _ECR_HOST, _TAG, partitions
from smjob.terminal_text import visible

ECR_FORM = "<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>"
ECR_EXAMPLE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311"
REFERENCE_FORM = "<registry>/<repository>:<tag>"
REFERENCE_EXAMPLE = "registry.example.com/team/trainer:1.0"
MAX_TAG = 128  # distribution/reference; pattern_words reads a count this large as "any number"
VPC_HINT = (
    "to pull from a private registry through your VPC, set TrainingImageConfig.TrainingRepositoryAccessMode to Vpc"
)
# Docker reads a first component without a dot or a port (and not localhost) as a Docker Hub path.
DOCKER_HUB = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_REPOSITORY = rf"{_COMPONENT}(?:/{_COMPONENT})*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_TAIL = rf"/(?<repository>{_REPOSITORY})(?::(?<tag>{_TAG}))?(?:@(?<digest>{_DIGEST}))?"


@cache
def ecr_pattern() -> str:
    domains = "|".join(re.escape(suffix) for suffix in dict.fromkeys(s for s, _ in partitions()))
    return rf"(?<account>[0-9]{{12}})\.dkr\.ecr(?:-fips)?\.(?<region>[a-z0-9-]+)\.(?<domain>{domains}){_TAIL}"


REFERENCE_PATTERN = rf"(?<registry>{_LABEL}(?:\.{_LABEL})*(?::[0-9]{{1,5}})?){_TAIL}"


def _quoted(text: str) -> str:
    return f"'{visible(text)}'"


def _no_registry(image: str) -> str | None:
    """Words for an image that names no registry host (Docker Hub's), or None."""
    host, slash, _ = image.partition("/")
    if "dkr.ecr" in host or (slash and host not in DOCKER_HUB and ("." in host or ":" in host or host == "localhost")):
        return None
    where = f" ({host})" if slash and host in DOCKER_HUB else " (it names no registry host)"
    return f"is a Docker Hub image{where}"


def _shape_problem(pattern: str, image: str) -> str:
    """The pattern's words for `image`, then the limits the pattern cannot carry."""
    described = describe(pattern, image)
    if described is not None and described.problem:
        return described.problem
    tag = image.rpartition("/")[2].partition("@")[0].partition(":")[2]
    if len(tag) > MAX_TAG:
        return f"the tag has {len(tag)} characters; it needs at most {MAX_TAG}"
    return ""


def _region_problem(host: str) -> str:
    m = _ECR_HOST.fullmatch(host)
    if m is None:
        return ""
    region, domain = m["region"], m["suffix"]
    homes = [suffix for suffix, regions in partitions() if regions.match(region)]
    if not homes:
        return f"the region {_quoted(region)} is not an AWS region"
    if domain not in homes:
        return f"the region {region} is in the {homes[0]} domain, not {_quoted(domain)}"
    return ""


def _sentence(lead: str, problem: str, form: str, example: str) -> str:
    return f"TrainingImage {lead}{because(problem)}; expected {form}, e.g. {example}."


def _scheme(image: str, what: str, form: str, example: str) -> str | None:
    scheme = _SCHEME.match(image)
    if scheme is None:
        return None
    return (
        f"TrainingImage starts with the scheme {_quoted(scheme.group())}, which {what} does not have: drop it; "
        f"expected {form}, e.g. {example}."
    )


def ecr_problem(image: str) -> str:
    """Why `image` is not an Amazon ECR image, as a message naming TrainingImage first."""
    scheme = _scheme(image, "an image URI", ECR_FORM, ECR_EXAMPLE)
    if scheme:
        return scheme
    hub = _no_registry(image)
    if hub:
        return (
            f"TrainingImage {hub}, but SageMaker pulls images from Amazon ECR: push it to an ECR "
            f"repository and use that URI, e.g. {ECR_EXAMPLE}; {VPC_HINT}."
        )
    host = image.partition("/")[0]
    if "dkr.ecr" not in host:
        return (
            f"TrainingImage is in the registry {_quoted(host)}, not Amazon ECR, where SageMaker pulls "
            f"images from: push it to an ECR repository and use that URI, e.g. {ECR_EXAMPLE}; {VPC_HINT}."
        )
    m = _ECR_HOST.fullmatch(host)
    if "/" not in image:
        problem = "the repository is missing after the registry host"
    elif m and m["suffix"] not in {suffix for suffix, _ in partitions()}:
        problem = f"the registry host ends in {_quoted(m['suffix'])}, not an AWS domain such as amazonaws.com"
    else:
        problem = _shape_problem(ecr_pattern(), image) or _region_problem(host)
    return _sentence("is not a valid Amazon ECR image URI", problem, ECR_FORM, ECR_EXAMPLE)


def reference_problem(image: str) -> str:
    """Why `image` is not an image reference any registry could serve, naming TrainingImage first."""
    scheme = _scheme(image, "an image reference", REFERENCE_FORM, REFERENCE_EXAMPLE)
    if scheme:
        return scheme
    problem = _shape_problem(REFERENCE_PATTERN, image) if "/" in image else "the registry host is missing"
    return _sentence("is not an image reference", problem, REFERENCE_FORM, REFERENCE_EXAMPLE)
