"""Rules on ResourceConfig: how instances are chosen, their storage, warm pools."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from smjob.instances import ACCELERATED_SERIES, GPU_SERIES, has_local_nvme, parse_instance_type
from smjob.paths import FieldPath, format_path
from smjob.problems import ERROR, WARNING
from smjob.rules.core import (
    API,
    DG,
    HETERO_URL,
    RC,
    SPOT,
    Finding,
    Rule,
    expand,
    field_list,
    given,
    instance_types,
    is_serverless,
    list_items,
    name_list,
    repeated,
    section,
    spot_training,
    verb,
)
from smjob.schema import request_schema

_WARM_POOLS = DG + "train-warm-pools.html"

_READ_ONLY_DOC = re.compile(r"read-only and (?:isn't|is not) accepted in CreateTrainingJob")


@lru_cache(maxsize=1)
def read_only_paths() -> tuple[FieldPath, ...]:
    # The model has no read-only flag; the docs of DescribeTrainingJob-only fields say it in words.
    return tuple(path for path, node in request_schema().walk() if _READ_ONLY_DOC.search(node.doc))


def has_local_storage(instance_type: str) -> bool | None:
    """True for local NVMe storage, False for EBS only, None when not known either way."""
    parts = parse_instance_type(instance_type)
    if parts is None:
        return None  # not an instance type: schema validation reports it
    if has_local_nvme(instance_type):
        return True
    if parts.series in ACCELERATED_SERIES and not (parts.series in GPU_SERIES and int(parts.generation) <= 4):
        # Accelerated families newer than the SDK's table that smjob.instances follows (p6, g7,
        # trn2, ...): rather than guess, the storage rules leave them alone.
        return None
    return False


def check_type_xor_groups(req: dict) -> Iterator[Finding]:
    resource = section(req, "ResourceConfig")
    single = [RC + (k,) for k in ("InstanceType", "InstanceCount") if given(resource, k)]
    if single and given(resource, "InstanceGroups"):
        also = ", nor can InstanceCount" if len(single) > 1 else ""
        yield Finding(
            single[0],
            f"{single[0][-1]} cannot be combined with InstanceGroups{also}: for a heterogeneous cluster "
            f"remove {verb(len(single), 'it', 'them')} and set InstanceType and InstanceCount in each "
            f"instance group, otherwise remove InstanceGroups.",
            (*single[1:], RC + ("InstanceGroups",)),
        )


def check_preferences_exclusive(req: dict) -> Iterator[Finding]:
    # The InstancePreferences doc: "mutually exclusive with InstanceType, InstanceGroups,
    # InstancePlacementConfig, and EnableManagedSpotTraining".
    resource = section(req, "ResourceConfig")
    if not given(resource, "InstancePreferences"):
        return
    clashes = [RC + (k,) for k in ("InstanceType", "InstanceGroups", "InstancePlacementConfig") if given(resource, k)]
    if spot_training(req):
        clashes.append(SPOT)
    if clashes:
        them = verb(len(clashes), "it", "them")
        yield Finding(
            RC + ("InstancePreferences",),
            f"InstancePreferences cannot be combined with {field_list(clashes)}: remove {them}, or remove "
            f"InstancePreferences and choose the instances directly.",
            tuple(clashes),
        )


def check_instances_required(req: dict) -> Iterator[Finding]:
    resource = req.get("ResourceConfig")
    if is_serverless(req) or not isinstance(resource, dict):
        return
    if not any(given(resource, k) for k in ("InstanceType", "InstanceGroups", "InstancePreferences")):
        yield Finding(
            RC + ("InstanceType",),
            "ResourceConfig does not say which instances to train on: set "
            "InstanceType and InstanceCount, or InstanceGroups for a heterogeneous "
            "cluster, or InstancePreferences.",
            (RC + ("InstanceGroups",), RC + ("InstancePreferences",)),
        )


def check_type_count_pair(req: dict) -> Iterator[Finding]:
    resource = section(req, "ResourceConfig")
    if given(resource, "InstanceGroups") or given(resource, "InstancePreferences"):
        return
    has_type, has_count = given(resource, "InstanceType"), given(resource, "InstanceCount")
    if has_type and not has_count:
        yield Finding(
            RC + ("InstanceCount",),
            "InstanceCount is required when InstanceType is set: set it (1 for a single machine).",
            (RC + ("InstanceType",),),
        )
    elif has_count and not has_type:
        yield Finding(
            RC + ("InstanceType",),
            "InstanceType is required when InstanceCount is set: choose an instance type.",
            (RC + ("InstanceCount",),),
        )


def check_unique_group_names(req: dict) -> Iterator[Finding]:
    entries = (
        (RC + ("InstanceGroups", i, "InstanceGroupName"), g.get("InstanceGroupName"))
        for i, g in list_items(section(req, "ResourceConfig"), "InstanceGroups")
    )
    for path, first, name in repeated(entries):
        yield Finding(
            path,
            f"Instance group name {name!r} is also used by {format_path(first)}; instance group "
            f"names must be unique: rename one of the groups.",
            (first,),
        )


def check_volume_kms_local_storage(req: dict) -> Iterator[Finding]:
    if not given(section(req, "ResourceConfig"), "VolumeKmsKeyId"):
        return
    local = [(p, t) for p, t in instance_types(req) if has_local_nvme(t)]
    if local:
        has = verb(len({t for _, t in local}), "has", "have")
        yield Finding(
            RC + ("VolumeKmsKeyId",),
            f"VolumeKmsKeyId cannot be used with {name_list(t for _, t in local)}, which {has} local NVMe "
            f"storage (judged from the type's name) that the instance hardware always encrypts: remove "
            f"VolumeKmsKeyId, or choose an instance type without local storage.",
            tuple(p for p, _ in local),
        )


def check_volume_size_required(req: dict) -> Iterator[Finding]:
    resource = req.get("ResourceConfig")
    if is_serverless(req) or not isinstance(resource, dict) or resource.get("VolumeSizeInGB") is not None:
        return
    ebs = [(p, t) for p, t in instance_types(req) if has_local_storage(t) is False]
    if ebs:
        use = verb(len({t for _, t in ebs}), "uses", "use")
        yield Finding(
            RC + ("VolumeSizeInGB",),
            f"VolumeSizeInGB is required for {name_list(t for _, t in ebs)}, which {use} EBS storage rather "
            f"than local NVMe storage (judged from the type's name): set VolumeSizeInGB large enough for the "
            f"data, checkpoints and model.",
            tuple(p for p, _ in ebs),
        )


def check_read_only(req: dict) -> Iterator[Finding]:
    for template in read_only_paths():
        for path, value in expand(req, template):
            if value is not None:
                yield Finding(
                    path,
                    f"{format_path(path)} is returned by DescribeTrainingJob but not accepted by "
                    f"CreateTrainingJob (it comes along when a job is cloned): remove it.",
                )


def check_warm_pool_spot(req: dict) -> Iterator[Finding]:
    if section(req, "ResourceConfig").get("KeepAlivePeriodInSeconds") is not None and spot_training(req):
        yield Finding(
            RC + ("KeepAlivePeriodInSeconds",),
            "KeepAlivePeriodInSeconds asks for a warm pool, which cannot be used with managed Spot "
            "training: remove it, or set EnableManagedSpotTraining to false.",
            (SPOT,),
        )


def check_warm_pool_groups(req: dict) -> Iterator[Finding]:
    resource = section(req, "ResourceConfig")
    if resource.get("KeepAlivePeriodInSeconds") is not None and given(resource, "InstanceGroups"):
        yield Finding(
            RC + ("KeepAlivePeriodInSeconds",),
            "KeepAlivePeriodInSeconds asks for a warm pool, which cannot be used with a heterogeneous "
            "cluster: remove it, or use InstanceType and InstanceCount instead of InstanceGroups.",
            (RC + ("InstanceGroups",),),
        )


RULES: tuple[Rule, ...] = (
    Rule(
        "resource.type-xor-groups",
        ERROR,
        "InstanceType/InstanceCount cannot be combined with InstanceGroups",
        HETERO_URL,
        check_type_xor_groups,
    ),
    Rule(
        "resource.preferences-exclusive",
        ERROR,
        "InstancePreferences excludes InstanceType, InstanceGroups, placement and Spot",
        API + "API_ResourceConfig.html",
        check_preferences_exclusive,
    ),
    Rule(
        "resource.instances-required",
        ERROR,
        "Non-serverless jobs need InstanceType, InstanceGroups or InstancePreferences",
        API + "API_ResourceConfig.html",
        check_instances_required,
    ),
    Rule(
        "resource.type-count-pair",
        ERROR,
        "InstanceType and InstanceCount go together",
        API + "API_ResourceConfig.html",
        check_type_count_pair,
    ),
    Rule(
        "resource.unique-group-names",
        ERROR,
        "Instance group names must be unique",
        HETERO_URL,
        check_unique_group_names,
    ),
    # Local NVMe is read from the instance type's name (smjob.instances), a guess: warnings, so a
    # family the table gets wrong never blocks a valid job.
    Rule(
        "resource.volume-kms-local-storage",
        WARNING,
        "No VolumeKmsKeyId on instance types with local NVMe storage",
        API + "API_ResourceConfig.html",
        check_volume_kms_local_storage,
    ),
    Rule(
        "resource.volume-size-required",
        WARNING,
        "EBS-only instance types need VolumeSizeInGB",
        API + "API_ResourceConfig.html",
        check_volume_size_required,
    ),
    Rule(
        "resource.read-only",
        ERROR,
        "Fields returned by DescribeTrainingJob only are not accepted",
        API + "API_ResourceConfig.html",
        check_read_only,
    ),
    Rule(
        "warm-pool.not-with-spot",
        ERROR,
        "KeepAlivePeriodInSeconds cannot be used with Spot training",
        _WARM_POOLS,
        check_warm_pool_spot,
    ),
    Rule(
        "warm-pool.not-with-groups",
        ERROR,
        "KeepAlivePeriodInSeconds cannot be used with InstanceGroups",
        _WARM_POOLS,
        check_warm_pool_groups,
    ),
)
