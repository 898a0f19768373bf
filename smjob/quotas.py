"""The request against the account's Service Quotas for SageMaker (service code `sagemaker`).

Quotas are read with ListServiceQuotas (the account's applied values, paginated); the names are
SageMaker's own: "ml.g5.xlarge for training job usage", "... for spot training job usage",
"... for training warm pool usage", "Number of instances across all training jobs", "Longest
run time for a training job". What running jobs already use is counted from ListTrainingJobs
(InProgress) and DescribeTrainingJob. Over a quota is an error naming the quota, its value in
the region and where to ask for more; at NEAR_FRACTION of it or above, a warning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from smjob.pricing import instance_lines

SERVICE_CODE = "sagemaker"
NEAR_FRACTION = 0.8
TOTAL_INSTANCES = "Number of instances across all training jobs"
LONGEST_RUN = "Longest run time for a training job"


@dataclass(frozen=True, slots=True)
class Quota:
    code: str
    name: str
    value: float
    unit: str = ""


@dataclass(frozen=True, slots=True)
class QuotaFinding:
    severity: str  # "error" | "warning"
    path: tuple
    quota: Quota | None
    needed: float
    message: str


def per_type_name(instance_type: str, spot: bool) -> str:
    return f"{instance_type} for {'spot ' if spot else ''}training job usage"


def warm_pool_name(instance_type: str) -> str:
    return f"{instance_type} for training warm pool usage"


def increase_hint(quota: Quota, region: str | None) -> str:
    console = f"https://{region or 'us-east-1'}.console.aws.amazon.com/servicequotas/home/services/sagemaker"
    where = f"{console}/quotas/{quota.code}"
    return (
        f"ask for an increase in Service Quotas ({where}) or with `aws service-quotas "
        f"request-service-quota-increase --service-code sagemaker --quota-code {quota.code} --desired-value N`"
    )


def _read(client, operation: str) -> dict[str, Quota]:
    out: dict[str, Quota] = {}
    for page in client.get_paginator(operation).paginate(ServiceCode=SERVICE_CODE):
        for q in page.get("Quotas", []):
            if isinstance(q.get("QuotaName"), str) and isinstance(q.get("Value"), int | float):
                out[q["QuotaName"]] = Quota(
                    q.get("QuotaCode", ""), q["QuotaName"], float(q["Value"]), q.get("Unit", "")
                )
    return out


def list_quotas(client) -> dict[str, Quota]:
    """{quota name: Quota} for SageMaker in the client's region: the applied values (ListServiceQuotas)
    over the defaults (ListAWSDefaultServiceQuotas), since ListServiceQuotas leaves out quotas
    without an applied value. A failing defaults call leaves the applied values alone."""
    applied = _read(client, "list_service_quotas")
    try:
        defaults = _read(client, "list_aws_default_service_quotas")
    except Exception:
        defaults = {}
    return defaults | applied


@dataclass
class Usage:
    """Instances held by InProgress training jobs: by (type, spot) and in total, plus jobs that could not be read."""

    by_type: Counter
    total: int = 0
    unread: int = 0


def running_usage(sm, *, exclude: str | None = None) -> Usage:
    """ListTrainingJobs StatusEquals=InProgress, then DescribeTrainingJob for each one's instances."""
    usage = Usage(Counter())
    for page in sm.get_paginator("list_training_jobs").paginate(StatusEquals="InProgress"):
        for summary in page.get("TrainingJobSummaries", []):
            name = summary.get("TrainingJobName")
            if not name or name == exclude:
                continue
            try:
                job = sm.describe_training_job(TrainingJobName=name)
            except Exception:
                usage.unread += 1
                continue
            spot = job.get("EnableManagedSpotTraining") is True
            for _path, t, count in instance_lines(job):
                usage.by_type[(t, spot)] += count
                usage.total += count
    return usage


def _judge(path, quota: Quota | None, used: float, asked: float, what: str, region) -> QuotaFinding | None:
    if quota is None:
        return None
    needed = used + asked
    in_use = f", {used:g} already in use by running jobs" if used else ""
    if needed > quota.value:
        return QuotaFinding(
            "error",
            path,
            quota,
            needed,
            f"{what} needs {needed:g}{in_use}, over the quota '{quota.name}' of {quota.value:g} in "
            f"{region or 'this region'}; {increase_hint(quota, region)}",
        )
    if quota.value and needed >= NEAR_FRACTION * quota.value:
        return QuotaFinding(
            "warning",
            path,
            quota,
            needed,
            f"{what} needs {needed:g}{in_use}, near the quota '{quota.name}' of {quota.value:g} "
            f"in {region or 'this region'}",
        )
    return None


def check(request: dict, quotas: dict[str, Quota], usage: Usage | None, region: str | None) -> list[QuotaFinding]:
    """Findings for the request; `usage` None when running jobs could not be counted (then only the request)."""
    usage = usage or Usage(Counter())
    spot = request.get("EnableManagedSpotTraining") is True
    lines = instance_lines(request)
    found: list[QuotaFinding | None] = []
    asked_by_type: Counter = Counter()
    first_path: dict[str, tuple] = {}
    for path, t, count in lines:
        asked_by_type[t] += count
        first_path.setdefault(t, path)
    for t, asked in asked_by_type.items():
        name = per_type_name(t, spot)
        found.append(_judge(first_path[t], quotas.get(name), usage.by_type[(t, spot)], asked, f"{asked} x {t}", region))
    total_asked = sum(asked_by_type.values())
    found.append(
        _judge(
            ("ResourceConfig",),
            quotas.get(TOTAL_INSTANCES),
            usage.total,
            total_asked,
            f"{total_asked} instance(s)",
            region,
        )
    )
    rc = request.get("ResourceConfig") if isinstance(request.get("ResourceConfig"), dict) else {}
    if isinstance(rc.get("KeepAlivePeriodInSeconds"), int) and rc["KeepAlivePeriodInSeconds"] > 0:
        for t, asked in asked_by_type.items():
            found.append(
                _judge(first_path[t], quotas.get(warm_pool_name(t)), 0, asked, f"a warm pool of {asked} x {t}", region)
            )
    stopping = request.get("StoppingCondition") if isinstance(request.get("StoppingCondition"), dict) else {}
    runtime = stopping.get("MaxRuntimeInSeconds")
    longest = quotas.get(LONGEST_RUN)
    if isinstance(runtime, int) and longest is not None and runtime > longest.value:
        found.append(
            QuotaFinding(
                "error",
                ("StoppingCondition", "MaxRuntimeInSeconds"),
                longest,
                runtime,
                f"MaxRuntimeInSeconds {runtime} is over the quota '{longest.name}' of {longest.value:g} "
                f"{longest.unit or 'seconds'} in {region or 'this region'}; {increase_hint(longest, region)}",
            )
        )
    return [f for f in found if f is not None]


def missing_type_quotas(request: dict, quotas: dict[str, Quota]) -> list[tuple[tuple, str]]:
    """(path, type) of types with no training quota in the region: SageMaker does not offer them there."""
    spot = request.get("EnableManagedSpotTraining") is True
    return [(p, t) for p, t, _c in instance_lines(request) if per_type_name(t, spot) not in quotas]
