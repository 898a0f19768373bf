"""What an instance type's name tells: its family, local NVMe storage, GPUs.

The botocore model lists the instance types (the InstanceType enums) but says nothing about
their hardware, so these facts are read from the name by pattern, never from a list of types:

    ml.<series><generation><attributes>[-<variant>].<size>
    e.g. ml.g4dn.xlarge, ml.m7i-flex.large, ml.p6-b200.48xlarge

This is the one place for the heuristic; the picker and the cross-field rules should both use it.
Where smjob.facts has the type's hardware (generated from EC2 DescribeInstanceTypes), the facts
answer and the name is only the fallback for types without them (e.g. ml.p3, retired from EC2's
data, or a type newer than the table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from smjob.short_cache import short_cache

_INSTANCE = re.compile(
    r"ml\.(?P<series>[a-z]+)(?P<gen>\d+)(?P<attrs>[a-z]*)(?:-(?P<variant>[a-z0-9]+))?\.(?P<size>[a-z0-9]+)"
)

# Local NVMe instance storage: such types take no VolumeKmsKeyId and their storage size is fixed.
# https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ResourceConfig.html (VolumeKmsKeyId)
#   names ml.p4d, ml.g4dn and ml.g5 as types with local storage.
# SageMaker Python SDK, `volume_size_supported` (src/sagemaker/utils.py,
#   https://github.com/aws/sagemaker-python-sdk; trn1 added in PR #4828): a "d" in the family
#   (c5d, m5d, r5d, p3dn, p4d, p4de, g4dn) means local storage, and so do the families below,
#   which have it without the letter. We look for the "d" after the generation digit only.
NVME_FAMILY_PREFIXES = ("g5", "g6", "p5", "trn1")
GPU_SERIES = frozenset({"p", "g"})  # NVIDIA GPU families: ml.p*, ml.g*
# https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_StoppingCondition.html
#   (MaxPendingTimeInSeconds): "accelerated ... ml.p, ml.g, and ml.trn"
ACCELERATED_SERIES = GPU_SERIES | {"trn"}


@dataclass(frozen=True, slots=True)
class InstanceParts:
    series: str  # "g"
    generation: str  # "4"
    attributes: str  # "dn"
    variant: str  # "" or e.g. "flex", "b200"
    size: str  # "xlarge"


@short_cache(maxsize=1024)
def parse_instance_type(instance_type: str) -> InstanceParts | None:
    """The parts of `ml.g4dn.xlarge`; None for text that is not a SageMaker instance type."""
    m = _INSTANCE.fullmatch(instance_type)
    if not m:
        return None
    return InstanceParts(m["series"], m["gen"], m["attrs"], m["variant"] or "", m["size"])


def family(instance_type: str) -> str | None:
    """`ml.g4dn.xlarge` -> `g4dn`, `ml.m7i-flex.large` -> `m7i-flex`: between `ml.` and the last dot."""
    if not instance_type.startswith("ml."):
        return None
    head, dot, size = instance_type[3:].rpartition(".")
    return head if dot and head and size else None


def _facts(instance_type: str):
    from smjob.facts import facts_for  # the table loads on first use, not at import

    return facts_for(instance_type)


def has_local_nvme(instance_type: str) -> bool:
    """True for types with local NVMe instance storage (p4d, g4dn, m5d, g5, g6e, p5, trn1, ...)."""
    facts = _facts(instance_type)
    if facts is not None:
        return facts.nvme_gb > 0
    parts = parse_instance_type(instance_type)
    if parts is None:
        return False
    name = f"{parts.series}{parts.generation}{parts.attributes}"
    return "d" in parts.attributes or name.startswith(NVME_FAMILY_PREFIXES)


def is_gpu(instance_type: str) -> bool:
    """True for NVIDIA GPU types (ml.p*, ml.g*)."""
    facts = _facts(instance_type)
    if facts is not None:
        return facts.gpus > 0
    parts = parse_instance_type(instance_type)
    return parts is not None and parts.series in GPU_SERIES


def is_accelerated(instance_type: str) -> bool:
    """True for GPU and Trainium types (ml.p*, ml.g*, ml.trn*)."""
    facts = _facts(instance_type)
    if facts is not None:
        return facts.gpus > 0 or facts.accelerators > 0
    parts = parse_instance_type(instance_type)
    return parts is not None and parts.series in ACCELERATED_SERIES


def processor_label(instance_type: str) -> str:
    """`GPU`, `Trainium` or `CPU`; empty for text that is not an instance type."""
    facts = _facts(instance_type)
    if facts is not None:
        if facts.gpus:
            return "GPU"
        return "Trainium" if "trainium" in facts.accelerator_model.lower() else facts.accelerator_model or "CPU"
    parts = parse_instance_type(instance_type)
    if parts is None:
        return ""
    if parts.series in GPU_SERIES:
        return "GPU"
    if parts.series in ACCELERATED_SERIES:
        return "Trainium"
    return "CPU"


def _size_rank(size: str) -> float:
    m = re.fullmatch(r"(\d*)xlarge", size)
    if m:
        return float(m[1] or 1)
    return {"nano": 1 / 32, "micro": 1 / 16, "small": 1 / 8, "medium": 1 / 4, "large": 1 / 2}.get(size, 1e9)


def sort_key(instance_type: str) -> tuple:
    """Orders types as people read them: by series, generation, attributes, then size."""
    parts = parse_instance_type(instance_type)
    if parts is None:
        return (1, instance_type)
    return (0, parts.series, int(parts.generation), parts.attributes, parts.variant, _size_rank(parts.size), parts.size)
