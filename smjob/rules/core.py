"""What every rule module shares: `Rule` and `Finding`, the paths and enum values they name,
and safe ways to read a request that may hold anything.

Every reader here returns "nothing" ({}, None, no items) for what it cannot interpret, so a
rule written with them skips junk instead of raising; schema validation reports the junk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from smjob.paths import FieldPath, format_path
from smjob.schema import request_schema

API = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/"
DG = "https://docs.aws.amazon.com/sagemaker/latest/dg/"
HETERO_URL = DG + "train-heterogeneous-cluster.html"  # cited by resource and channel rules


@dataclass(frozen=True, slots=True)
class Finding:
    path: FieldPath  # the field to fix
    message: str
    related: tuple[FieldPath, ...] = ()  # every other field involved


@dataclass(frozen=True, slots=True)
class Context:
    """What validation knows beyond the request: where the job is going. None = not known."""

    region: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str
    doc_url: str
    check: Callable[..., Iterable[Finding]]  # check(request), or check(request, context) when `uses_context`
    uses_context: bool = False


# Enum values the rules compare against; tests assert each is still in the model's enum.
PIPE, FILE = "Pipe", "File"  # TrainingInputMode, Channel.InputMode
GZIP = "Gzip"  # Channel.CompressionType
RECORDIO = "RecordIO"  # Channel.RecordWrapperType
AUGMENTED_MANIFEST = "AugmentedManifestFile"  # S3DataSource.S3DataType
SHARDED = "ShardedByS3Key"  # S3DataSource.S3DataDistributionType
VPC_ACCESS = "Vpc"  # TrainingImageConfig.TrainingRepositoryAccessMode
EVALUATION = "Evaluation"  # ServerlessJobConfig.JobType

ALGO = ("AlgorithmSpecification",)
RC = ("ResourceConfig",)
SC = ("StoppingCondition",)
SPOT = ("EnableManagedSpotTraining",)
SERVERLESS = ("ServerlessJobConfig",)
VPC = ("VpcConfig",)
IMAGE = ALGO + ("TrainingImage",)
MAX_WAIT = SC + ("MaxWaitTimeInSeconds",)
MAX_RUNTIME = SC + ("MaxRuntimeInSeconds",)
S3_SOURCE = ("DataSource", "S3DataSource")


# --- reading a request that may hold anything ---------------------------------------------


def section(parent: Any, key: str) -> dict:
    """parent[key] when it is an object, else {}: what a rule cannot read, it skips."""
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, dict) else {}


def list_items(parent: Any, key: str) -> Iterator[tuple[int, dict]]:
    value = parent.get(key) if isinstance(parent, dict) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def given(parent: Any, key: str) -> bool:
    """Set to something: null, "" and empty lists/objects count as unset, like empty form fields."""
    if not isinstance(parent, dict):
        return False
    value = parent.get(key)
    return value is not None and not (isinstance(value, (str, list, dict)) and not value)


def as_int(value: Any) -> int | None:
    """An integer the API's types can hold; beyond 64 bits (a model error) rules skip it, and its
    digits could not even be printed (str() refuses 4,300+)."""
    if isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63:
        return value
    return None


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def is_serverless(req: dict) -> bool:
    return req.get("ServerlessJobConfig") is not None


def spot_training(req: dict) -> bool | None:
    """True/False for Spot training; None when the flag holds something that is not a boolean."""
    value = req.get("EnableManagedSpotTraining")
    if value is None:
        return False
    return value if isinstance(value, bool) else None


def channels_of(req: dict) -> Iterator[tuple[FieldPath, dict]]:
    for i, channel in list_items(req, "InputDataConfig"):
        yield ("InputDataConfig", i), channel


def repeated(entries: Iterable[tuple[FieldPath, Any]]) -> Iterator[tuple[FieldPath, FieldPath, str]]:
    """(path, path of the first use, value) for each string value seen before."""
    first: dict[str, FieldPath] = {}
    for path, value in entries:
        if not isinstance(value, str):
            continue
        if value in first:
            yield path, first[value], value
        else:
            first[value] = path


def expand(request: Any, template: FieldPath) -> list[tuple[FieldPath, Any]]:
    """Concrete (path, value) pairs for a schema path whose list steps are 0 and map steps "*"."""
    frontier: list[tuple[FieldPath, Any]] = [((), request)]
    for step in template:
        following: list[tuple[FieldPath, Any]] = []
        for path, node in frontier:
            if isinstance(step, int):
                if isinstance(node, list):
                    following.extend((path + (i,), item) for i, item in enumerate(node))
            elif step == "*":
                if isinstance(node, dict):
                    following.extend((path + (k,), v) for k, v in node.items())
            elif isinstance(node, dict) and step in node:
                following.append((path + (step,), node[step]))
        if not following:
            return []
        frontier = following
    return frontier


# --- knowledge derived from the model (computed once) ---------------------------------------


@lru_cache(maxsize=1)
def instance_type_paths() -> tuple[FieldPath, ...]:
    """ResourceConfig members named InstanceType: the job's own, each group's, each preference's."""
    resource = request_schema().member("ResourceConfig")
    return tuple(path for path, _ in resource.walk(RC) if path[-1] == "InstanceType")


def instance_types(req: dict) -> list[tuple[FieldPath, str]]:
    """(path, value) of every instance type the request names; smjob.instances reads the values."""
    return [(p, v) for t in instance_type_paths() for p, v in expand(req, t) if isinstance(v, str)]


@cache
def enum_values(path: FieldPath) -> tuple[str, ...]:
    node = request_schema().at(path)
    return node.enum if node is not None else ()


# --- wording the messages --------------------------------------------------------------------


def field_list(paths: Iterable[FieldPath]) -> str:
    return ", ".join(format_path(p) for p in paths)


def verb(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def name_list(values: Iterable[str], limit: int = 4) -> str:
    values = list(dict.fromkeys(values))
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def channel_label(path: FieldPath, channel: dict) -> str:
    name = channel.get("ChannelName")
    where = format_path(path)
    return f"channel {name!r} ({where})" if isinstance(name, str) else where


def because(problem: str) -> str:
    """The reason after a lead such as "X is not a valid KMS key ARN", from a problem in pattern_words'
    form: a predicate gets a subject (": it has a space at character 9"), a problem naming its part
    stays as it is (": the account has 11 digits; it needs 12"); "" when there is no problem to give."""
    if not problem:
        return ""
    return f": {problem}" if problem.startswith("the ") else f": it {problem}"
