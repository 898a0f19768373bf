"""Cross-field rules: checks that need more than one field, declared as data.

A `Rule` names a check that reads the request and yields `Finding`s; `check_rules` turns them
into `Problem`s. Schema validation (smjob.validate) reports wrong types, limits, enums and
patterns, so every check here skips what it cannot interpret: a request with junk in it gets
schema problems, never a crash.

Field knowledge comes from the botocore model via `request_schema()`: which members hold S3
locations or instance types, which are read-only, the enum values. What the model lacks (local
NVMe storage, built-in algorithm limits, S3 bucket naming) sits in small tables below, each
with the AWS source it was taken from, and is applied by pattern rather than by listing types.

Adding a rule = one check function + one `Rule` entry in RULES + its cases in tests/test_rules.py.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator

from smjob.paths import Path, format_path
from smjob.problems import ERROR, WARNING, Problem
from smjob.schema import request_schema

log = logging.getLogger(__name__)

API = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/"
DG = "https://docs.aws.amazon.com/sagemaker/latest/dg/"


@dataclass(frozen=True, slots=True)
class Finding:
    path: Path  # the field to fix
    message: str
    related: tuple[Path, ...] = ()  # every other field involved


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str
    doc_url: str
    check: Callable[[dict], Iterable[Finding]]


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

def _sec(parent: Any, key: str) -> dict:
    """parent[key] when it is an object, else {}: what a rule cannot read, it skips."""
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, dict) else {}


def _items(parent: Any, key: str) -> Iterator[tuple[int, dict]]:
    value = parent.get(key) if isinstance(parent, dict) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _given(parent: Any, key: str) -> bool:
    """Set to something: null, "" and empty lists/objects count as unset, like empty form fields."""
    if not isinstance(parent, dict):
        return False
    value = parent.get(key)
    return value is not None and not (isinstance(value, (str, list, dict)) and not value)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _serverless(req: dict) -> bool:
    return req.get("ServerlessJobConfig") is not None


def _spot(req: dict) -> bool | None:
    """True/False for Spot training; None when the flag holds something that is not a boolean."""
    value = req.get("EnableManagedSpotTraining")
    if value is None:
        return False
    return value if isinstance(value, bool) else None


def _fields(paths: Iterable[Path]) -> str:
    return ", ".join(format_path(p) for p in paths)


def _verb(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _names(values: Iterable[str], limit: int = 4) -> str:
    values = list(dict.fromkeys(values))
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def expand(request: Any, template: Path) -> list[tuple[Path, Any]]:
    """Concrete (path, value) pairs for a schema path whose list steps are 0 and map steps "*"."""
    frontier: list[tuple[Path, Any]] = [((), request)]
    for step in template:
        following: list[tuple[Path, Any]] = []
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
def s3_location_paths() -> tuple[Path, ...]:
    """Every S3 location member: string members whose name has "S3" and "Uri" or "Path"."""
    return tuple(
        path for path, node in request_schema().walk()
        if node.kind == "string" and path and isinstance(path[-1], str)
        and "S3" in path[-1] and ("Uri" in path[-1] or "Path" in path[-1])
    )


@lru_cache(maxsize=1)
def instance_type_paths() -> tuple[Path, ...]:
    """ResourceConfig members named InstanceType: the job's own, each group's, each preference's."""
    resource = request_schema().member("ResourceConfig")
    return tuple(path for path, _ in resource.walk(RC) if path[-1] == "InstanceType")


_READ_ONLY_DOC = re.compile(r"read-only and (?:isn't|is not) accepted in CreateTrainingJob")


@lru_cache(maxsize=1)
def read_only_paths() -> tuple[Path, ...]:
    # The model has no read-only flag; the docs of DescribeTrainingJob-only fields say it in words.
    return tuple(path for path, node in request_schema().walk() if _READ_ONLY_DOC.search(node.doc))


@lru_cache(maxsize=1)
def rule_configuration_lists() -> tuple[str, ...]:
    """Top-level lists of Debugger/Profiler rule configurations (items with RuleConfigurationName)."""
    return tuple(
        m.name for m in request_schema().members
        if m.kind == "list" and m.item is not None and m.item.member("RuleConfigurationName")
    )


@lru_cache(maxsize=1)
def data_source_kinds() -> tuple[str, ...]:
    """The alternatives a channel's DataSource offers (S3DataSource, FileSystemDataSource, ...)."""
    return tuple(m.name for m in request_schema().at(("InputDataConfig", 0, "DataSource")).members)


@lru_cache(maxsize=None)
def enum_values(path: Path) -> tuple[str, ...]:
    node = request_schema().at(path)
    return node.enum if node is not None else ()


def _instance_types(req: dict) -> list[tuple[Path, str]]:
    return [(p, v) for t in instance_type_paths() for p, v in expand(req, t) if isinstance(v, str)]


def _s3_locations(req: dict) -> Iterator[tuple[Path, str]]:
    for template in s3_location_paths():
        for path, value in expand(req, template):
            if isinstance(value, str):
                yield path, value


# --- instance types: applied by family pattern, never by listing types -----------------------

# ml.<series><generation><attributes>[-<variant>].<size>, e.g. ml.g4dn.xlarge, ml.p6-b200.48xlarge
_INSTANCE = re.compile(r"ml\.(?P<series>[a-z]+)(?P<gen>\d+)(?P<attrs>[a-z]*)(?:-[a-z0-9]+)?\.[a-z0-9]+")

# Local NVMe instance storage (no VolumeKmsKeyId; storage size fixed). The model does not say
# which types have it. Like the SageMaker Python SDK's `volume_size_supported`
# (src/sagemaker/utils.py; trn1 added in aws/sagemaker-python-sdk PR #4828), a "d" after the
# generation digit (c5d, m5d, r5d, p3dn, p4d, p4de, g4dn) means local storage, and so do these
# families, which have it without the letter. API_ResourceConfig.html names ml.p4d, ml.g4dn, ml.g5.
NVME_FAMILY_PREFIXES = ("g5", "g6", "p5", "trn1")
GPU_SERIES = frozenset({"p", "g"})  # NVIDIA GPU families: ml.p*, ml.g*
# API_StoppingCondition.html (MaxPendingTimeInSeconds): "accelerated ... ml.p, ml.g, and ml.trn"
ACCELERATED_SERIES = GPU_SERIES | {"trn"}


@lru_cache(maxsize=1024)
def instance_family(instance_type: str) -> tuple[str, str, str] | None:
    """(series, generation, attributes) of a SageMaker instance type, e.g. ("g", "4", "dn")."""
    m = _INSTANCE.fullmatch(instance_type)
    return (m["series"], m["gen"], m["attrs"]) if m else None


def has_local_storage(instance_type: str) -> bool | None:
    """True for local NVMe storage, False for EBS only, None when not known either way."""
    family = instance_family(instance_type)
    if family is None:
        return None
    series, gen, attrs = family
    if "d" in attrs or f"{series}{gen}{attrs}".startswith(NVME_FAMILY_PREFIXES):
        return True
    if series in ACCELERATED_SERIES and not (series in GPU_SERIES and int(gen) <= 4):
        # Accelerated families newer than the SDK's table (p6, g7, trn2, ...): rather than guess,
        # the storage rules leave them alone.
        return None
    return False


def has_gpu(instance_type: str) -> bool | None:
    family = instance_family(instance_type)
    return None if family is None else family[0] in GPU_SERIES


def is_accelerated(instance_type: str) -> bool | None:
    family = instance_family(instance_type)
    return None if family is None else family[0] in ACCELERATED_SERIES


# --- SageMaker built-in algorithms -----------------------------------------------------------

BUILTIN_ALGORITHMS_URL = DG + "sagemaker-algo-docker-registry-paths.html"


@dataclass(frozen=True, slots=True)
class Builtin:
    processor: str = "any"  # "gpu" or "cpu" when the docs allow only that instance class
    single_instance: bool = False  # "single instance only"
    file_only: bool = False  # training input mode "File" only
    checkpoints: bool = False  # checkpoints by itself (DG/model-checkpoints.html)


# Keyed by ECR repository name. Instance class, single-instance and input modes come from the
# table at BUILTIN_ALGORITHMS_URL; `checkpoints` from DG/model-checkpoints.html ("Image
# Classification, Object Detection, Semantic Segmentation, and XGBoost (0.90-1 or later)").
# BlazingText is single-instance only on GPU; that nuance is left out.
BUILTIN_ALGORITHMS: dict[str, Builtin] = {
    "blazingtext": Builtin(),
    "factorization-machines": Builtin(),
    "forecasting-deepar": Builtin(file_only=True),
    "image-classification": Builtin("gpu", checkpoints=True),
    "ipinsights": Builtin(file_only=True),
    "kmeans": Builtin(),
    "knn": Builtin(),
    "lda": Builtin("cpu", single_instance=True),
    "linear-learner": Builtin(),
    "ntm": Builtin(),
    "object2vec": Builtin(single_instance=True, file_only=True),
    "object-detection": Builtin("gpu", checkpoints=True),
    "pca": Builtin(),
    "randomcutforest": Builtin("cpu"),
    "semantic-segmentation": Builtin("gpu", single_instance=True, checkpoints=True),
    "seq2seq": Builtin("gpu", single_instance=True, file_only=True),
    "sagemaker-xgboost": Builtin(checkpoints=True),  # 0.90-1 and later
    "xgboost": Builtin(),  # the legacy 0.72 image, which does not checkpoint
}
# DG/model-checkpoints.html: for a built-in algorithm that does not checkpoint, Spot jobs may
# not wait longer than an hour.
BUILTIN_SPOT_MAX_WAIT = 3600

# Built-in images live at the root of an AWS-owned ECR registry: <account>.dkr.ecr.<region>...
_ECR_IMAGE = re.compile(r"\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/(?P<repo>[^:@/]+)(?:[:@].*)?")


def builtin_algorithm(req: dict) -> tuple[str, Builtin] | None:
    image = _str(_sec(req, "AlgorithmSpecification").get("TrainingImage"))
    match = _ECR_IMAGE.fullmatch(image) if image else None
    if match and match["repo"] in BUILTIN_ALGORITHMS:
        return match["repo"], BUILTIN_ALGORITHMS[match["repo"]]
    return None


# --- S3 locations ----------------------------------------------------------------------------

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


# --- channels --------------------------------------------------------------------------------

def _channels(req: dict) -> Iterator[tuple[Path, dict]]:
    for i, channel in _items(req, "InputDataConfig"):
        yield ("InputDataConfig", i), channel


def _s3_source(channel: dict) -> dict:
    return _sec(_sec(channel, "DataSource"), "S3DataSource")


def _label(path: Path, channel: dict) -> str:
    name = channel.get("ChannelName")
    where = format_path(path)
    return f"channel {name!r} ({where})" if isinstance(name, str) else where


def _input_mode(req: dict, path: Path, channel: dict) -> tuple[str | None, Path]:
    """The channel's effective input mode and the field it comes from: its own InputMode wins."""
    own = _str(channel.get("InputMode"))
    if own:
        return own, path + ("InputMode",)
    return _str(_sec(req, "AlgorithmSpecification").get("TrainingInputMode")), ALGO + ("TrainingInputMode",)


def _group_counts(req: dict) -> dict[str, tuple[int | None, Path]]:
    """Instance group name -> (InstanceCount, its path)."""
    out: dict[str, tuple[int | None, Path]] = {}
    for i, group in _items(_sec(req, "ResourceConfig"), "InstanceGroups"):
        name = _str(group.get("InstanceGroupName"))
        if name is not None and name not in out:
            out[name] = (_int(group.get("InstanceCount")), RC + ("InstanceGroups", i, "InstanceCount"))
    return out


def _instances_for(req: dict, channel: dict) -> tuple[int, tuple[Path, ...]] | None:
    """How many instances receive a channel's data, and the fields that say so; None if unknown."""
    resource = _sec(req, "ResourceConfig")
    if _given(resource, "InstanceGroups"):
        groups = _group_counts(req)
        names = _s3_source(channel).get("InstanceGroupNames")
        if isinstance(names, list) and names:
            chosen = [groups.get(n) if isinstance(n, str) else None for n in names]
        else:
            chosen = list(groups.values())
        if not chosen or any(c is None or c[0] is None for c in chosen):
            return None
        return sum(c[0] for c in chosen), tuple(c[1] for c in chosen)
    count = _int(resource.get("InstanceCount"))
    return None if count is None else (count, (RC + ("InstanceCount",),))


def _duplicates(entries: Iterable[tuple[Path, Any]]) -> Iterator[tuple[Path, Path, str]]:
    """(path, path of the first use, value) for each string value seen before."""
    first: dict[str, Path] = {}
    for path, value in entries:
        if not isinstance(value, str):
            continue
        if value in first:
            yield path, first[value], value
        else:
            first[value] = path


# === the checks ===============================================================================

# --- algorithm and required sections ---

def check_image_xor_name(req: dict) -> Iterator[Finding]:
    algo = req.get("AlgorithmSpecification")
    if not isinstance(algo, dict):
        return
    name = ALGO + ("AlgorithmName",)
    has_image, has_name = _given(algo, "TrainingImage"), _given(algo, "AlgorithmName")
    if has_image and has_name:
        yield Finding(name, "AlgorithmSpecification sets both TrainingImage and AlgorithmName: keep only one, "
                            "TrainingImage for a container image or AlgorithmName for an algorithm resource.", (IMAGE,))
    elif not has_image and not has_name:
        yield Finding(IMAGE, "AlgorithmSpecification needs TrainingImage (a container image URI) or AlgorithmName "
                             "(an algorithm resource or Marketplace subscription): set one of them.", (name,))


# The CLI reference's synopsis lists these without brackets; the model marks them optional only
# because serverless jobs (ServerlessJobConfig) do without them.
INSTANCE_JOB_SECTIONS = {
    "AlgorithmSpecification": "with TrainingImage and TrainingInputMode",
    "ResourceConfig": "with InstanceType, InstanceCount and VolumeSizeInGB",
    "StoppingCondition": "with MaxRuntimeInSeconds",
}


def check_sections_required(req: dict) -> Iterator[Finding]:
    if _serverless(req):
        return
    for name, hint in INSTANCE_JOB_SECTIONS.items():
        if req.get(name) is None:
            yield Finding((name,), f"{name} is required unless the job is serverless (ServerlessJobConfig): "
                                   f"add {name} {hint}.", (SERVERLESS,))


# --- stopping condition and Spot ---

MAX_RUNTIME_LIMIT = 28 * 24 * 3600  # API_StoppingCondition.html: "The maximum value is 28 days."
DEFAULT_MAX_RUNTIME = 24 * 3600  # API_StoppingCondition.html: "The default value is 1 day."


def check_max_wait_requires_spot(req: dict) -> Iterator[Finding]:
    if _sec(req, "StoppingCondition").get("MaxWaitTimeInSeconds") is not None and _spot(req) is False:
        yield Finding(MAX_WAIT, "MaxWaitTimeInSeconds is only supported when EnableManagedSpotTraining is true: "
                                "set EnableManagedSpotTraining to true for a Spot job, or remove MaxWaitTimeInSeconds.",
                      (SPOT,))


def check_max_wait_required(req: dict) -> Iterator[Finding]:
    if _spot(req) and _sec(req, "StoppingCondition").get("MaxWaitTimeInSeconds") is None:
        yield Finding(MAX_WAIT, "Managed Spot training (EnableManagedSpotTraining) needs "
                                "StoppingCondition.MaxWaitTimeInSeconds, the time allowed for waiting for Spot "
                                "capacity plus running: set it to at least MaxRuntimeInSeconds.", (SPOT,))


def check_max_wait_below_runtime(req: dict) -> Iterator[Finding]:
    stop = _sec(req, "StoppingCondition")
    wait, runtime = _int(stop.get("MaxWaitTimeInSeconds")), _int(stop.get("MaxRuntimeInSeconds"))
    if wait is not None and runtime is not None and wait < runtime:
        yield Finding(MAX_WAIT, f"MaxWaitTimeInSeconds ({wait}) must be at least MaxRuntimeInSeconds ({runtime}), "
                                f"because it covers waiting for Spot capacity plus the run: raise "
                                f"MaxWaitTimeInSeconds to {runtime} or more, or lower MaxRuntimeInSeconds.",
                      (MAX_RUNTIME,))


def check_max_wait_below_default_runtime(req: dict) -> Iterator[Finding]:
    stop = _sec(req, "StoppingCondition")
    wait = _int(stop.get("MaxWaitTimeInSeconds"))
    if _spot(req) and wait is not None and wait < DEFAULT_MAX_RUNTIME and stop.get("MaxRuntimeInSeconds") is None:
        yield Finding(MAX_RUNTIME, f"MaxRuntimeInSeconds is not set, so it defaults to {DEFAULT_MAX_RUNTIME} "
                                   f"(1 day), more than MaxWaitTimeInSeconds ({wait}): set MaxRuntimeInSeconds to "
                                   f"{wait} or less, or raise MaxWaitTimeInSeconds.", (MAX_WAIT,))


def check_max_runtime_limit(req: dict) -> Iterator[Finding]:
    runtime = _int(_sec(req, "StoppingCondition").get("MaxRuntimeInSeconds"))
    if runtime is not None and runtime > MAX_RUNTIME_LIMIT:
        yield Finding(MAX_RUNTIME, f"MaxRuntimeInSeconds is {runtime}, over the maximum of {MAX_RUNTIME_LIMIT} "
                                   f"(28 days): lower it, and continue longer training in a new job from a "
                                   f"checkpoint.")


def check_max_pending_no_effect(req: dict) -> Iterator[Finding]:
    if _sec(req, "StoppingCondition").get("MaxPendingTimeInSeconds") is None:
        return
    types = _instance_types(req)
    if types and all(is_accelerated(t) is False for _, t in types):
        yield Finding(SC + ("MaxPendingTimeInSeconds",),
                      f"MaxPendingTimeInSeconds applies only to accelerated instance types (ml.p, ml.g, ml.trn), "
                      f"and this job uses {_names(t for _, t in types)}: remove it, or choose an accelerated "
                      f"instance type.", tuple(p for p, _ in types))


# --- resources ---

def check_type_xor_groups(req: dict) -> Iterator[Finding]:
    resource = _sec(req, "ResourceConfig")
    single = [RC + (k,) for k in ("InstanceType", "InstanceCount") if _given(resource, k)]
    if single and _given(resource, "InstanceGroups"):
        yield Finding(single[0], "InstanceType and InstanceCount cannot be combined with InstanceGroups: for a "
                                 "heterogeneous cluster remove them and set InstanceType and InstanceCount in each "
                                 "instance group, otherwise remove InstanceGroups.",
                      (*single[1:], RC + ("InstanceGroups",)))


def check_preferences_exclusive(req: dict) -> Iterator[Finding]:
    # The InstancePreferences doc: "mutually exclusive with InstanceType, InstanceGroups,
    # InstancePlacementConfig, and EnableManagedSpotTraining".
    resource = _sec(req, "ResourceConfig")
    if not _given(resource, "InstancePreferences"):
        return
    clashes = [RC + (k,) for k in ("InstanceType", "InstanceGroups", "InstancePlacementConfig") if _given(resource, k)]
    if _spot(req):
        clashes.append(SPOT)
    if clashes:
        them = _verb(len(clashes), "it", "them")
        yield Finding(RC + ("InstancePreferences",),
                      f"InstancePreferences cannot be combined with {_fields(clashes)}: remove {them}, or remove "
                      f"InstancePreferences and choose the instances directly.", tuple(clashes))


def check_instances_required(req: dict) -> Iterator[Finding]:
    resource = req.get("ResourceConfig")
    if _serverless(req) or not isinstance(resource, dict):
        return
    if not any(_given(resource, k) for k in ("InstanceType", "InstanceGroups", "InstancePreferences")):
        yield Finding(RC + ("InstanceType",), "ResourceConfig does not say which instances to train on: set "
                                              "InstanceType and InstanceCount, or InstanceGroups for a heterogeneous "
                                              "cluster, or InstancePreferences.",
                      (RC + ("InstanceGroups",), RC + ("InstancePreferences",)))


def check_type_count_pair(req: dict) -> Iterator[Finding]:
    resource = _sec(req, "ResourceConfig")
    if _given(resource, "InstanceGroups") or _given(resource, "InstancePreferences"):
        return
    has_type, has_count = _given(resource, "InstanceType"), _given(resource, "InstanceCount")
    if has_type and not has_count:
        yield Finding(RC + ("InstanceCount",), "InstanceType is set but InstanceCount is not: set InstanceCount "
                                               "(1 for a single machine).", (RC + ("InstanceType",),))
    elif has_count and not has_type:
        yield Finding(RC + ("InstanceType",), "InstanceCount is set but InstanceType is not: choose an "
                                              "InstanceType.", (RC + ("InstanceCount",),))


def check_unique_group_names(req: dict) -> Iterator[Finding]:
    entries = ((RC + ("InstanceGroups", i, "InstanceGroupName"), g.get("InstanceGroupName"))
               for i, g in _items(_sec(req, "ResourceConfig"), "InstanceGroups"))
    for path, first, name in _duplicates(entries):
        yield Finding(path, f"Instance group name {name!r} is also used by {format_path(first)}; instance group "
                            f"names must be unique: rename one of the groups.", (first,))


def check_volume_kms_local_storage(req: dict) -> Iterator[Finding]:
    if not _given(_sec(req, "ResourceConfig"), "VolumeKmsKeyId"):
        return
    local = [(p, t) for p, t in _instance_types(req) if has_local_storage(t)]
    if local:
        has = _verb(len({t for _, t in local}), "has", "have")
        yield Finding(RC + ("VolumeKmsKeyId",),
                      f"VolumeKmsKeyId cannot be used with {_names(t for _, t in local)}, which {has} local NVMe "
                      f"storage that the instance hardware always encrypts: remove VolumeKmsKeyId, or choose an "
                      f"instance type without local storage.", tuple(p for p, _ in local))


def check_volume_size_required(req: dict) -> Iterator[Finding]:
    resource = req.get("ResourceConfig")
    if _serverless(req) or not isinstance(resource, dict) or resource.get("VolumeSizeInGB") is not None:
        return
    ebs = [(p, t) for p, t in _instance_types(req) if has_local_storage(t) is False]
    if ebs:
        use = _verb(len({t for _, t in ebs}), "uses", "use")
        yield Finding(RC + ("VolumeSizeInGB",),
                      f"VolumeSizeInGB is required for {_names(t for _, t in ebs)}, which {use} EBS storage rather "
                      f"than local NVMe storage: set VolumeSizeInGB large enough for the data, checkpoints and model.",
                      tuple(p for p, _ in ebs))


def check_read_only(req: dict) -> Iterator[Finding]:
    for template in read_only_paths():
        for path, value in expand(req, template):
            if value is not None:
                yield Finding(path, f"{format_path(path)} is returned by DescribeTrainingJob but not accepted by "
                                    f"CreateTrainingJob (it comes along when a job is cloned): remove it.")


def check_warm_pool_spot(req: dict) -> Iterator[Finding]:
    if _sec(req, "ResourceConfig").get("KeepAlivePeriodInSeconds") is not None and _spot(req):
        yield Finding(RC + ("KeepAlivePeriodInSeconds",),
                      "KeepAlivePeriodInSeconds (a warm pool) cannot be used with managed Spot training: remove "
                      "KeepAlivePeriodInSeconds, or set EnableManagedSpotTraining to false.", (SPOT,))


def check_warm_pool_groups(req: dict) -> Iterator[Finding]:
    resource = _sec(req, "ResourceConfig")
    if resource.get("KeepAlivePeriodInSeconds") is not None and _given(resource, "InstanceGroups"):
        yield Finding(RC + ("KeepAlivePeriodInSeconds",),
                      "KeepAlivePeriodInSeconds (a warm pool) cannot be used with a heterogeneous cluster: remove "
                      "KeepAlivePeriodInSeconds, or use InstanceType and InstanceCount instead of InstanceGroups.",
                      (RC + ("InstanceGroups",),))


# --- channels ---

def check_groups_all_or_none(req: dict) -> Iterator[Finding]:
    naming, silent = [], []
    for path, channel in _channels(req):
        s3 = _s3_source(channel)
        if s3:
            (naming if _given(s3, "InstanceGroupNames") else silent).append((path, channel))
    if not naming:
        return
    named_paths = tuple(p + S3_SOURCE + ("InstanceGroupNames",) for p, _ in naming)
    others = f"{_names(_label(p, c) for p, c in naming)} {_verb(len(naming), 'names', 'name')}"
    for path, channel in silent:
        yield Finding(path + S3_SOURCE + ("InstanceGroupNames",),
                      f"{_label(path, channel)} has no InstanceGroupNames, but {others} instance groups; when "
                      f"one channel names instance groups every channel must: add InstanceGroupNames to it.",
                      named_paths)


def check_group_unknown(req: dict) -> Iterator[Finding]:
    groups = _sec(req, "ResourceConfig").get("InstanceGroups")
    if groups is not None and not isinstance(groups, list):
        return
    defined = _group_counts(req)
    have = f"defined: {_names(defined, 8)}" if defined else "it defines none"
    for path, channel in _channels(req):
        names = _s3_source(channel).get("InstanceGroupNames")
        for j, name in enumerate(names if isinstance(names, list) else ()):
            if isinstance(name, str) and name not in defined:
                yield Finding(path + S3_SOURCE + ("InstanceGroupNames", j),
                              f"{_label(path, channel)} sends data to instance group {name!r}, which "
                              f"ResourceConfig.InstanceGroups does not define ({have}): use a defined group name, "
                              f"or add the group.", (RC + ("InstanceGroups",),))


def check_unique_channel_names(req: dict) -> Iterator[Finding]:
    entries = ((p + ("ChannelName",), c.get("ChannelName")) for p, c in _channels(req))
    for path, first, name in _duplicates(entries):
        yield Finding(path, f"Channel name {name!r} is also used by {format_path(first)}; channel names must be "
                            f"unique: rename one of the channels.", (first,))


def check_one_data_source(req: dict) -> Iterator[Finding]:
    kinds = data_source_kinds()
    for path, channel in _channels(req):
        source = channel.get("DataSource")
        if not isinstance(source, dict):
            continue
        chosen = [k for k in kinds if _given(source, k)]
        if len(chosen) == 1:
            continue
        where = path + ("DataSource",)
        if not chosen:
            yield Finding(where, f"{_label(path, channel)} has an empty DataSource: set one of {', '.join(kinds)}.")
        else:
            yield Finding(where, f"{_label(path, channel)} sets {' and '.join(chosen)} in DataSource; a channel "
                                 f"reads from exactly one source: keep one of them.",
                          tuple(where + (k,) for k in chosen))


def _mode_findings(req: dict, field: tuple, value: str, bad: Callable[[str], bool], text: str) -> Iterator[Finding]:
    """Channels whose `field` (a path below the channel) equals `value` in a mode where `bad(mode)`."""
    for path, channel in _channels(req):
        node: Any = channel
        for step in field:
            node = node.get(step) if isinstance(node, dict) else None
        mode, mode_path = _input_mode(req, path, channel)
        if node == value and mode is not None and bad(mode):
            label = _label(path, channel)
            yield Finding(path + field, text.format(channel=label, mode=mode, where=format_path(mode_path)),
                          (mode_path,))


def check_gzip_needs_pipe(req: dict) -> Iterator[Finding]:
    yield from _mode_findings(
        req, ("CompressionType",), GZIP, lambda mode: mode != PIPE,
        "CompressionType Gzip works only in Pipe input mode, but {channel} uses {mode} mode (from {where}): set "
        "the channel's InputMode to Pipe, or store the data uncompressed and set CompressionType to None.")


def check_augmented_manifest_needs_pipe(req: dict) -> Iterator[Finding]:
    yield from _mode_findings(
        req, S3_SOURCE + ("S3DataType",), AUGMENTED_MANIFEST, lambda mode: mode != PIPE,
        "S3DataType AugmentedManifestFile needs Pipe input mode, but {channel} uses {mode} mode (from {where}): "
        "set the channel's InputMode to Pipe, or use S3Prefix or ManifestFile.")


def check_recordio_not_file(req: dict) -> Iterator[Finding]:
    yield from _mode_findings(
        req, ("RecordWrapperType",), RECORDIO, lambda mode: mode == FILE,
        "RecordWrapperType RecordIO cannot be used in File mode, which {channel} uses (from {where}): set "
        "RecordWrapperType to None, or use Pipe mode.")


def check_sharded_single_instance(req: dict) -> Iterator[Finding]:
    for path, channel in _channels(req):
        if _s3_source(channel).get("S3DataDistributionType") != SHARDED:
            continue
        instances = _instances_for(req, channel)
        if instances is not None and instances[0] == 1:
            yield Finding(path + S3_SOURCE + ("S3DataDistributionType",),
                          f"{_label(path, channel)} shards its data by S3 key (ShardedByS3Key), but only one "
                          f"instance receives it, so sharding changes nothing: use FullyReplicated, or train on "
                          f"more instances.", instances[1])


# --- network ---

def check_file_system_needs_vpc(req: dict) -> Iterator[Finding]:
    if _given(req, "VpcConfig"):
        return
    fs = [(p, c) for p, c in _channels(req) if _given(_sec(c, "DataSource"), "FileSystemDataSource")]
    if fs:
        reads = _verb(len(fs), "reads", "read")
        yield Finding(VPC, f"{_names(_label(p, c) for p, c in fs)} {reads} from a file system (FSx for Lustre or "
                           f"EFS), which SageMaker reaches only inside your VPC: add VpcConfig with subnets and "
                           f"security groups that can reach the file system.",
                      tuple(p + ("DataSource", "FileSystemDataSource") for p, _ in fs))


def check_repository_access_needs_vpc(req: dict) -> Iterator[Finding]:
    config = _sec(_sec(req, "AlgorithmSpecification"), "TrainingImageConfig")
    if config.get("TrainingRepositoryAccessMode") == VPC_ACCESS and not _given(req, "VpcConfig"):
        yield Finding(VPC, "TrainingRepositoryAccessMode is Vpc, so SageMaker pulls the image through your VPC, "
                           "but VpcConfig is missing: add VpcConfig with subnets that can reach the registry, or "
                           "set TrainingRepositoryAccessMode to Platform.",
                      (ALGO + ("TrainingImageConfig", "TrainingRepositoryAccessMode"),))


# --- Debugger, Profiler, tags, metrics, hyperparameters ---

# API_ProfilerConfig.html lists these; the model has no enum for this long.
PROFILING_INTERVALS_MS = (100, 200, 500, 1000, 5000, 60000)


def check_profiling_interval(req: dict) -> Iterator[Finding]:
    interval = _int(_sec(req, "ProfilerConfig").get("ProfilingIntervalInMilliseconds"))
    if interval is not None and interval not in PROFILING_INTERVALS_MS:
        allowed = ", ".join(map(str, PROFILING_INTERVALS_MS))
        yield Finding(("ProfilerConfig", "ProfilingIntervalInMilliseconds"),
                      f"ProfilingIntervalInMilliseconds is {interval}; the allowed values are {allowed}: pick one "
                      f"of them (500 is the default).")


def check_unique_rule_names(req: dict) -> Iterator[Finding]:
    for name in rule_configuration_lists():
        entries = (((name, i, "RuleConfigurationName"), r.get("RuleConfigurationName")) for i, r in _items(req, name))
        for path, first, value in _duplicates(entries):
            yield Finding(path, f"RuleConfigurationName {value!r} is also used by {format_path(first)}; rule "
                                f"configuration names must be unique: rename one of them.", (first,))


def check_unique_tag_keys(req: dict) -> Iterator[Finding]:
    entries = ((("Tags", i, "Key"), t.get("Key")) for i, t in _items(req, "Tags"))
    for path, first, key in _duplicates(entries):
        yield Finding(path, f"Tag key {key!r} is also used by {format_path(first)}; tag keys must be unique: "
                            f"remove or rename one of the tags.", (first,))


def check_tag_aws_prefix(req: dict) -> Iterator[Finding]:
    for i, tag in _items(req, "Tags"):
        key = _str(tag.get("Key"))
        if key is not None and key[:4].lower() == "aws:":
            yield Finding(("Tags", i, "Key"), f"Tag key {key!r} starts with 'aws:', a prefix reserved for AWS: "
                                              f"choose a key without it.")


def check_metric_regex(req: dict) -> Iterator[Finding]:
    for i, metric in _items(_sec(req, "AlgorithmSpecification"), "MetricDefinitions"):
        pattern = _str(metric.get("Regex"))
        error = regex_error(pattern) if pattern else None
        if error:
            name = _str(metric.get("Name"))
            which = f" for metric {name!r}" if name else ""
            yield Finding(ALGO + ("MetricDefinitions", i, "Regex"),
                          f"MetricDefinitions[{i}].Regex{which} is not a valid regular expression ({error}): fix "
                          f"the pattern so SageMaker can read the metric from the training logs.")


@lru_cache(maxsize=256)
def regex_error(pattern: str) -> str | None:
    """Why Python's `re` cannot compile `pattern`, or None."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # FutureWarnings about nested sets are not errors
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError, ValueError) as exc:
            return str(exc)
    return None


def check_hyperparameter_strings(req: dict) -> Iterator[Finding]:
    for key, value in _sec(req, "HyperParameters").items():
        if isinstance(key, str) and isinstance(value, (bool, int, float)):
            kind = "boolean" if isinstance(value, bool) else "number"
            text = json.dumps(value)
            yield Finding(("HyperParameters", key),
                          f"HyperParameters[{key!r}] is the {kind} {text}, but hyperparameter values are strings: "
                          f"write it in quotes, as \"{text}\".")


# --- S3 locations ---

def check_s3_https(req: dict) -> Iterator[Finding]:
    for path, uri in _s3_locations(req):
        if not uri.startswith("https://"):
            continue
        parts = split_s3(uri)
        fix = f"use \"s3://{parts[0]}/{parts[1]}\" instead" if parts and parts[0] else "use an s3://bucket/prefix location"
        yield Finding(path, f"{format_path(path)} is an HTTPS URL; SageMaker documents S3 locations in the "
                            f"s3://bucket/prefix form: {fix}.")


def check_s3_bucket_name(req: dict) -> Iterator[Finding]:
    for path, uri in _s3_locations(req):
        parts = split_s3(uri)
        if not parts or not parts[0]:
            continue  # no bucket at all: the model's pattern reports that
        reason = bucket_name_problem(parts[0])
        if reason:
            yield Finding(path, f"{format_path(path)} names bucket {parts[0]!r}, which is not a valid S3 bucket "
                                f"name: it {reason}. Use the name of your bucket.")


def check_s3_empty_segment(req: dict) -> Iterator[Finding]:
    for path, uri in _s3_locations(req):
        parts = split_s3(uri)
        if parts and "//" in parts[1]:
            yield Finding(path, f"{format_path(path)} has an empty path segment ('//') in {uri!r}; S3 keeps it as "
                                f"part of the key, so this is probably not the intended location: remove the extra "
                                f"slash.")


def check_kms_s3_express(req: dict) -> Iterator[Finding]:
    output = _sec(req, "OutputDataConfig")
    uri = _str(output.get("S3OutputPath"))
    parts = split_s3(uri) if uri else None
    if parts and parts[0].endswith(DIRECTORY_BUCKET_SUFFIX) and _given(output, "KmsKeyId"):
        yield Finding(("OutputDataConfig", "KmsKeyId"),
                      f"OutputDataConfig.KmsKeyId cannot be used with S3 Express One Zone output: bucket "
                      f"{parts[0]!r} is a directory bucket, which is always encrypted with S3 managed keys. Remove "
                      f"KmsKeyId, or write the output to a general purpose bucket.",
                      (("OutputDataConfig", "S3OutputPath"),))


# --- serverless ---

def check_evaluation_type(req: dict) -> Iterator[Finding]:
    config = _sec(req, "ServerlessJobConfig")
    if config.get("JobType") == EVALUATION and not _given(config, "EvaluationType"):
        values = ", ".join(enum_values(SERVERLESS + ("EvaluationType",)))
        yield Finding(SERVERLESS + ("EvaluationType",), f"ServerlessJobConfig.JobType is Evaluation, so "
                                                        f"EvaluationType is required: set it to one of {values}.",
                      (SERVERLESS + ("JobType",),))


def check_serverless_volume_size(req: dict) -> Iterator[Finding]:
    if _serverless(req) and _sec(req, "ResourceConfig").get("VolumeSizeInGB") is not None:
        yield Finding(RC + ("VolumeSizeInGB",), "SageMaker chooses the volume size of serverless jobs "
                                                "(ServerlessJobConfig); it cannot be customized: remove "
                                                "ResourceConfig.VolumeSizeInGB.", (SERVERLESS,))


# --- built-in algorithms (recognised by image repository, hence warnings) ---

def check_builtin_gpu_only(req: dict) -> Iterator[Finding]:
    found = builtin_algorithm(req)
    if found and found[1].processor == "gpu":
        for path, instance_type in _instance_types(req):
            if has_gpu(instance_type) is False:
                yield Finding(path, f"The built-in {found[0]} algorithm trains only on GPU instances (ml.p*, ml.g*), "
                                    f"and {instance_type} has no GPU: choose a GPU instance type.", (IMAGE,))


def check_builtin_cpu_only(req: dict) -> Iterator[Finding]:
    found = builtin_algorithm(req)
    if found and found[1].processor == "cpu":
        for path, instance_type in _instance_types(req):
            if has_gpu(instance_type):
                yield Finding(path, f"The built-in {found[0]} algorithm trains only on CPU instances, and "
                                    f"{instance_type} is a GPU instance: choose a CPU instance type (ml.m*, ml.c*).",
                              (IMAGE,))


def check_builtin_single_instance(req: dict) -> Iterator[Finding]:
    found = builtin_algorithm(req)
    if not found or not found[1].single_instance:
        return
    instances = _instances_for(req, {})
    if instances is not None and instances[0] > 1:
        count, paths = instances
        where = paths[0] if len(paths) == 1 else RC + ("InstanceGroups",)
        yield Finding(where, f"The built-in {found[0]} algorithm trains on a single instance, but the job asks for "
                             f"{count}: use one instance.", (*(p for p in paths if p != where), IMAGE))


def check_builtin_file_mode(req: dict) -> Iterator[Finding]:
    found = builtin_algorithm(req)
    if not found or not found[1].file_only:
        return
    reported = set()
    for path, channel in _channels(req):
        mode, mode_path = _input_mode(req, path, channel)
        if mode == PIPE and mode_path not in reported:
            reported.add(mode_path)
            yield Finding(mode_path, f"The built-in {found[0]} algorithm reads training data in File mode only, but "
                                     f"{format_path(mode_path)} selects Pipe: use File.", (IMAGE,))


def check_builtin_spot_max_wait(req: dict) -> Iterator[Finding]:
    found = builtin_algorithm(req)
    wait = _int(_sec(req, "StoppingCondition").get("MaxWaitTimeInSeconds"))
    if not found or not _spot(req) or wait is None or wait <= BUILTIN_SPOT_MAX_WAIT:
        return
    name, algorithm = found
    if not algorithm.checkpoints:
        yield Finding(MAX_WAIT, f"The built-in {name} algorithm does not save checkpoints, and for such Spot jobs "
                                f"SageMaker allows MaxWaitTimeInSeconds of at most {BUILTIN_SPOT_MAX_WAIT} (is "
                                f"{wait}): lower it to {BUILTIN_SPOT_MAX_WAIT} or less.", (IMAGE, SPOT))
    elif not _given(req, "CheckpointConfig"):
        yield Finding(MAX_WAIT, f"Without CheckpointConfig the built-in {name} algorithm cannot resume after a Spot "
                                f"interruption, and SageMaker may cap MaxWaitTimeInSeconds at {BUILTIN_SPOT_MAX_WAIT} "
                                f"for Spot jobs that do not checkpoint (is {wait}): add CheckpointConfig, or lower "
                                f"MaxWaitTimeInSeconds to {BUILTIN_SPOT_MAX_WAIT}.", (IMAGE, SPOT, ("CheckpointConfig",)))


# === the catalogue ============================================================================

_HETERO = DG + "train-heterogeneous-cluster.html"
_WARM_POOLS = DG + "train-warm-pools.html"

RULES: tuple[Rule, ...] = (
    Rule("algorithm.image-xor-name", ERROR, "AlgorithmSpecification needs exactly one of TrainingImage and AlgorithmName",
         API + "API_AlgorithmSpecification.html", check_image_xor_name),
    Rule("job.sections-required", ERROR, "Non-serverless jobs need AlgorithmSpecification, ResourceConfig and StoppingCondition",
         API + "API_CreateTrainingJob.html", check_sections_required),
    Rule("spot.max-wait-requires-spot", ERROR, "MaxWaitTimeInSeconds only with EnableManagedSpotTraining=true",
         DG + "model-managed-spot-training.html", check_max_wait_requires_spot),
    Rule("spot.max-wait-required", ERROR, "Spot training needs MaxWaitTimeInSeconds",
         DG + "model-managed-spot-training.html", check_max_wait_required),
    Rule("spot.max-wait-below-runtime", ERROR, "MaxWaitTimeInSeconds must be >= MaxRuntimeInSeconds",
         API + "API_StoppingCondition.html", check_max_wait_below_runtime),
    Rule("spot.max-wait-below-default-runtime", WARNING, "Spot MaxWaitTimeInSeconds below the 1-day default MaxRuntimeInSeconds",
         API + "API_StoppingCondition.html", check_max_wait_below_default_runtime),
    Rule("stopping.max-runtime-limit", ERROR, "MaxRuntimeInSeconds is at most 28 days",
         API + "API_StoppingCondition.html", check_max_runtime_limit),
    Rule("stopping.max-pending-no-effect", WARNING, "MaxPendingTimeInSeconds has no effect on CPU-only instance types",
         API + "API_StoppingCondition.html", check_max_pending_no_effect),
    Rule("resource.type-xor-groups", ERROR, "InstanceType/InstanceCount cannot be combined with InstanceGroups",
         _HETERO, check_type_xor_groups),
    Rule("resource.preferences-exclusive", ERROR, "InstancePreferences excludes InstanceType, InstanceGroups, placement and Spot",
         API + "API_ResourceConfig.html", check_preferences_exclusive),
    Rule("resource.instances-required", ERROR, "Non-serverless jobs need InstanceType, InstanceGroups or InstancePreferences",
         API + "API_ResourceConfig.html", check_instances_required),
    Rule("resource.type-count-pair", ERROR, "InstanceType and InstanceCount go together",
         API + "API_ResourceConfig.html", check_type_count_pair),
    Rule("resource.unique-group-names", ERROR, "Instance group names must be unique",
         _HETERO, check_unique_group_names),
    Rule("resource.volume-kms-local-storage", ERROR, "No VolumeKmsKeyId on instance types with local NVMe storage",
         API + "API_ResourceConfig.html", check_volume_kms_local_storage),
    Rule("resource.volume-size-required", ERROR, "EBS-only instance types need VolumeSizeInGB",
         API + "API_ResourceConfig.html", check_volume_size_required),
    Rule("resource.read-only", ERROR, "Fields returned by DescribeTrainingJob only are not accepted",
         API + "API_ResourceConfig.html", check_read_only),
    Rule("warm-pool.not-with-spot", ERROR, "KeepAlivePeriodInSeconds cannot be used with Spot training",
         _WARM_POOLS, check_warm_pool_spot),
    Rule("warm-pool.not-with-groups", ERROR, "KeepAlivePeriodInSeconds cannot be used with InstanceGroups",
         _WARM_POOLS, check_warm_pool_groups),
    Rule("channel.groups-all-or-none", ERROR, "If one channel names InstanceGroupNames, all must",
         _HETERO, check_groups_all_or_none),
    Rule("channel.group-unknown", ERROR, "InstanceGroupNames must name groups in ResourceConfig.InstanceGroups",
         _HETERO, check_group_unknown),
    Rule("channel.unique-names", ERROR, "Channel names must be unique",
         API + "API_Channel.html", check_unique_channel_names),
    Rule("channel.one-data-source", ERROR, "A channel's DataSource holds exactly one source",
         API + "API_DataSource.html", check_one_data_source),
    Rule("channel.gzip-needs-pipe", ERROR, "CompressionType Gzip only in Pipe input mode",
         API + "API_Channel.html", check_gzip_needs_pipe),
    Rule("channel.augmented-manifest-needs-pipe", ERROR, "AugmentedManifestFile only in Pipe input mode",
         API + "API_S3DataSource.html", check_augmented_manifest_needs_pipe),
    Rule("channel.recordio-not-file", ERROR, "RecordWrapperType RecordIO not in File input mode",
         API + "API_Channel.html", check_recordio_not_file),
    Rule("channel.sharded-single-instance", WARNING, "ShardedByS3Key on one instance does nothing",
         API + "API_S3DataSource.html", check_sharded_single_instance),
    Rule("vpc.file-system-channel", ERROR, "FSx for Lustre and EFS channels need VpcConfig",
         DG + "model-access-training-data.html", check_file_system_needs_vpc),
    Rule("vpc.repository-access", ERROR, "TrainingRepositoryAccessMode=Vpc needs VpcConfig",
         DG + "docker-containers-adapt-your-own-private-registry.html", check_repository_access_needs_vpc),
    Rule("profiler.interval", ERROR, "ProfilingIntervalInMilliseconds is one of 100, 200, 500, 1000, 5000, 60000",
         API + "API_ProfilerConfig.html", check_profiling_interval),
    Rule("rule-config.unique-names", ERROR, "RuleConfigurationName must be unique within Debugger and within Profiler rules",
         API + "API_DebugRuleConfiguration.html", check_unique_rule_names),
    Rule("tags.unique-keys", ERROR, "Tag keys must be unique",
         API + "API_Tag.html", check_unique_tag_keys),
    Rule("tags.aws-prefix", ERROR, "Tag keys must not start with aws:",
         "https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html", check_tag_aws_prefix),
    Rule("metrics.regex", ERROR, "MetricDefinitions[i].Regex must be a valid regular expression",
         API + "API_MetricDefinition.html", check_metric_regex),
    Rule("hyperparameters.string-values", ERROR, "HyperParameters values are strings",
         API + "API_CreateTrainingJob.html", check_hyperparameter_strings),
    Rule("s3.https-uri", WARNING, "S3 locations should use the s3:// form",
         API + "API_S3DataSource.html", check_s3_https),
    Rule("s3.bucket-name", ERROR, "S3 locations must name a valid bucket",
         S3_NAMING_URL, check_s3_bucket_name),
    Rule("s3.empty-segment", WARNING, "S3 locations should not contain empty path segments (//)",
         "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html", check_s3_empty_segment),
    Rule("output.kms-s3-express", ERROR, "OutputDataConfig.KmsKeyId is not supported for S3 Express One Zone",
         API + "API_OutputDataConfig.html", check_kms_s3_express),
    Rule("serverless.evaluation-type", ERROR, "Serverless Evaluation jobs need EvaluationType",
         API + "API_ServerlessJobConfig.html", check_evaluation_type),
    Rule("serverless.volume-size", WARNING, "Serverless jobs cannot set VolumeSizeInGB",
         API + "API_ResourceConfig.html", check_serverless_volume_size),
    Rule("builtin.gpu-only", WARNING, "GPU-only built-in algorithm on an instance without GPU",
         BUILTIN_ALGORITHMS_URL, check_builtin_gpu_only),
    Rule("builtin.cpu-only", WARNING, "CPU-only built-in algorithm on a GPU instance",
         BUILTIN_ALGORITHMS_URL, check_builtin_cpu_only),
    Rule("builtin.single-instance", WARNING, "Single-instance built-in algorithm on several instances",
         BUILTIN_ALGORITHMS_URL, check_builtin_single_instance),
    Rule("builtin.file-mode-only", WARNING, "File-mode-only built-in algorithm in Pipe mode",
         BUILTIN_ALGORITHMS_URL, check_builtin_file_mode),
    Rule("builtin.spot-max-wait", WARNING, "Spot MaxWaitTimeInSeconds over 1 hour for a built-in algorithm without checkpoints",
         DG + "model-checkpoints.html", check_builtin_spot_max_wait),
)


def check_rules(request: Any, rules: Iterable[Rule] | None = None) -> list[Problem]:
    """Run every rule; a rule that fails becomes a warning rather than stopping the others."""
    if not isinstance(request, dict):
        return []  # schema validation reports a request that is not an object
    problems: list[Problem] = []
    for rule in RULES if rules is None else rules:
        try:
            findings = list(rule.check(request))
        except Exception as exc:  # a bug in one rule must not hide what the others find
            log.exception("rule %s failed", rule.id)
            problems.append(Problem((), f"Check {rule.id} failed ({type(exc).__name__}) and was skipped; please "
                                        f"report this.", WARNING, rule.id, (), rule.doc_url))
            continue
        problems.extend(Problem(f.path, f.message, rule.severity, rule.id, tuple(f.related), rule.doc_url)
                        for f in findings)
    return problems


def rule_catalog() -> list[dict]:
    """id, severity, summary and doc_url of every rule, for docs and `smjob rules`."""
    return [{"id": r.id, "severity": r.severity, "summary": r.summary, "doc_url": r.doc_url} for r in RULES]
