"""Instance hardware facts: vCPUs, memory, GPUs, other accelerators, local NVMe, EFA, network.

The table is generated from EC2 DescribeInstanceTypes answers (smjob.facts.build), shipped in
smjob/facts/data.py; `smjob instances refresh` writes the user's own answer to the data
directory, which then takes precedence. None for a type without facts: callers fall back to the
name heuristics in smjob.instances.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

REFRESHED_NAME = "instance-facts.json"


@dataclass(frozen=True, slots=True)
class InstanceFacts:
    instance_type: str
    vcpus: int | None
    memory_gib: float | None
    gpus: int
    gpu_model: str  # "NVIDIA A10G"
    gpu_memory_gib: float | None  # per GPU
    accelerators: int  # Trainium / Inferentia devices
    accelerator_model: str  # "Trainium", "Inferentia2"
    accelerator_memory_gib: float | None  # per device
    nvme_gb: int  # local instance storage; 0 when none
    efa: bool
    network: str  # EC2's wording: "4x 100 Gigabit", "Up to 10 Gigabit"
    network_gbps: float | None  # peak, summed over network cards

    def to_dict(self) -> dict:
        return asdict(self)


def refreshed_path() -> Path:
    from smjob.drafts import data_dir

    return data_dir() / REFRESHED_NAME


@lru_cache(maxsize=1)
def table() -> dict:
    """{"source", "generated", "facts", "missing"}: the refreshed table when there is a readable one."""
    try:
        refreshed = json.loads(refreshed_path().read_text(encoding="utf-8"))
        if isinstance(refreshed, dict) and isinstance(refreshed.get("facts"), dict):
            return refreshed
    except (OSError, ValueError):
        pass
    from smjob.facts.data import TABLE

    return TABLE


def reload() -> None:
    table.cache_clear()
    facts_for.cache_clear()


@lru_cache(maxsize=1024)
def facts_for(instance_type: str) -> InstanceFacts | None:
    raw = table()["facts"].get(instance_type)
    if not isinstance(raw, dict):
        return None
    try:
        return InstanceFacts(instance_type=instance_type, **raw)
    except TypeError:  # a refreshed file from another smjob version: no facts rather than wrong ones
        return None


def all_facts() -> list[InstanceFacts]:
    return [f for t in table()["facts"] if (f := facts_for(t)) is not None]


def source() -> str:
    t = table()
    return f"{t.get('source', '?')}, generated {t.get('generated', '?')}"
