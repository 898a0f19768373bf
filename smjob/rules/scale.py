"""Rules on how big a job is: values the service never accepts are errors, values above the
default account quotas are warnings (quotas can be raised, so such a job may well be valid).

Integers beyond what the API's integer types hold (32-bit `integer`, 64-bit `long`) are model
errors reported by smjob.validate, never here.
"""

from __future__ import annotations

from collections.abc import Iterator

from smjob.paths import FieldPath
from smjob.problems import ERROR, WARNING
from smjob.rules.core import DG, MAX_RUNTIME, RC, Finding, Rule, as_int, given, list_items, section
from smjob.rules.stopping import MAX_RUNTIME_LIMIT

# Default training quotas, "Training Limits per Region" in
# https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-feature-processor-quotas.html
# (adjustable in the Service Quotas console, https://docs.aws.amazon.com/general/latest/gr/sagemaker.html):
QUOTAS_URL = DG + "feature-store-feature-processor-quotas.html"
DEFAULT_MAX_INSTANCES_PER_JOB = 20  # "Maximum number of instances per training job – 20"
DEFAULT_LONGEST_RUNTIME = 432_000  # "Longest run time for a training job – 432,000 seconds" (5 days)
DEFAULT_KEEP_ALIVE = 3_600  # "Keep alive period for cluster reuse – 3,600 seconds"
# The model itself caps KeepAlivePeriodInSeconds at 21600 and MaxRuntimeInSeconds' doc at 28 days
# (stopping.max-runtime-limit).

# SageMaker training volumes are EBS gp2 (the VolumeSizeInGB doc in the model: "Amazon EBS General
# Purpose SSD (gp2) storage"), and gp2 volumes hold 1 to 16,384 GiB
# (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVolume.html, Size).
GP2_MAX_GIB = 16_384
GP2_URL = "https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html"


def job_instance_counts(req: dict) -> Iterator[tuple[int, FieldPath, tuple[FieldPath, ...]]]:
    """(instances, field to report, other fields summed) for each way the job picks instances."""
    resource = section(req, "ResourceConfig")
    count = as_int(resource.get("InstanceCount"))
    if count is not None:
        yield count, RC + ("InstanceCount",), ()
    if given(resource, "InstanceGroups"):
        counts = [
            (n, RC + ("InstanceGroups", i, "InstanceCount"))
            for i, g in list_items(resource, "InstanceGroups")
            if (n := as_int(g.get("InstanceCount"))) is not None
        ]
        if counts:
            yield sum(n for n, _ in counts), RC + ("InstanceGroups",), tuple(p for _, p in counts)
    for i, preference in list_items(resource, "InstancePreferences"):  # alternatives: each on its own
        n = as_int(preference.get("InstanceCount"))
        if n is not None:
            yield n, RC + ("InstancePreferences", i, "InstanceCount"), ()


def check_instances_quota(req: dict) -> Iterator[Finding]:
    for count, path, related in job_instance_counts(req):
        if count > DEFAULT_MAX_INSTANCES_PER_JOB:
            yield Finding(
                path,
                f"The job asks for {count} instances; the default quota is {DEFAULT_MAX_INSTANCES_PER_JOB} "
                f"instances per training job, so SageMaker refuses it unless your account's quota "
                f"(Service Quotas: Maximum number of instances per training job) was raised.",
                related,
            )


def check_volume_size(req: dict) -> Iterator[Finding]:
    size = as_int(section(req, "ResourceConfig").get("VolumeSizeInGB"))
    if size is not None and size > GP2_MAX_GIB:
        yield Finding(
            RC + ("VolumeSizeInGB",),
            f"VolumeSizeInGB is {size}, but training volumes are EBS gp2 volumes of at most {GP2_MAX_GIB} GiB: "
            f"lower it, or read large data sets in FastFile or Pipe mode instead of copying them.",
        )


def check_runtime_quota(req: dict) -> Iterator[Finding]:
    runtime = as_int(section(req, "StoppingCondition").get("MaxRuntimeInSeconds"))
    if runtime is not None and DEFAULT_LONGEST_RUNTIME < runtime <= MAX_RUNTIME_LIMIT:
        yield Finding(
            MAX_RUNTIME,
            f"MaxRuntimeInSeconds is {runtime}, over the default quota of {DEFAULT_LONGEST_RUNTIME} (5 days): "
            f"SageMaker refuses it unless your account's quota (Longest run time for a training job) was raised.",
        )


def check_keep_alive_quota(req: dict) -> Iterator[Finding]:
    keep = as_int(section(req, "ResourceConfig").get("KeepAlivePeriodInSeconds"))
    if keep is not None and keep > DEFAULT_KEEP_ALIVE:
        yield Finding(
            RC + ("KeepAlivePeriodInSeconds",),
            f"KeepAlivePeriodInSeconds is {keep}, over the default quota of {DEFAULT_KEEP_ALIVE} (1 hour): "
            f"SageMaker refuses it unless your account's quota (Keep alive period for cluster reuse) was raised.",
        )


RULES: tuple[Rule, ...] = (
    Rule(
        "scale.instances-quota",
        WARNING,
        "More instances than the default per-job quota (20)",
        QUOTAS_URL,
        check_instances_quota,
    ),
    Rule(
        "scale.volume-size",
        ERROR,
        "VolumeSizeInGB is at most 16384 (gp2)",
        GP2_URL,
        check_volume_size,
    ),
    Rule(
        "scale.max-runtime-quota",
        WARNING,
        "MaxRuntimeInSeconds over the default quota (5 days)",
        QUOTAS_URL,
        check_runtime_quota,
    ),
    Rule(
        "scale.keep-alive-quota",
        WARNING,
        "KeepAlivePeriodInSeconds over the default quota (1 hour)",
        QUOTAS_URL,
        check_keep_alive_quota,
    ),
)
