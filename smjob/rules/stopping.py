"""Rules on the stopping condition and managed Spot training."""

from __future__ import annotations

from collections.abc import Iterator

from smjob.instances import is_accelerated, parse_instance_type
from smjob.problems import ERROR, WARNING
from smjob.rules.core import (
    API,
    DG,
    MAX_RUNTIME,
    MAX_WAIT,
    SC,
    SPOT,
    Finding,
    Rule,
    as_int,
    instance_types,
    name_list,
    section,
    spot_training,
)

MAX_RUNTIME_LIMIT = 28 * 24 * 3600  # API_StoppingCondition.html: "The maximum value is 28 days."
DEFAULT_MAX_RUNTIME = 24 * 3600  # API_StoppingCondition.html: "The default value is 1 day."


def check_max_wait_requires_spot(req: dict) -> Iterator[Finding]:
    if section(req, "StoppingCondition").get("MaxWaitTimeInSeconds") is not None and spot_training(req) is False:
        yield Finding(
            MAX_WAIT,
            "MaxWaitTimeInSeconds is only supported when EnableManagedSpotTraining is true: "
            "set EnableManagedSpotTraining to true for a Spot job, or remove MaxWaitTimeInSeconds.",
            (SPOT,),
        )


def check_max_wait_required(req: dict) -> Iterator[Finding]:
    if spot_training(req) and section(req, "StoppingCondition").get("MaxWaitTimeInSeconds") is None:
        yield Finding(
            MAX_WAIT,
            "MaxWaitTimeInSeconds is required for managed Spot training (EnableManagedSpotTraining): it "
            "is the time allowed for waiting for Spot capacity plus running; set it to at least "
            "MaxRuntimeInSeconds.",
            (SPOT,),
        )


def check_max_wait_below_runtime(req: dict) -> Iterator[Finding]:
    stop = section(req, "StoppingCondition")
    wait, runtime = as_int(stop.get("MaxWaitTimeInSeconds")), as_int(stop.get("MaxRuntimeInSeconds"))
    if wait is not None and runtime is not None and wait < runtime:
        yield Finding(
            MAX_WAIT,
            f"MaxWaitTimeInSeconds is {wait} but must be at least MaxRuntimeInSeconds ({runtime}), "
            f"because it covers waiting for Spot capacity plus the run: raise it to {runtime} or "
            f"more, or lower MaxRuntimeInSeconds.",
            (MAX_RUNTIME,),
        )


def check_max_wait_below_default_runtime(req: dict) -> Iterator[Finding]:
    stop = section(req, "StoppingCondition")
    wait = as_int(stop.get("MaxWaitTimeInSeconds"))
    if (
        spot_training(req)
        and wait is not None
        and wait < DEFAULT_MAX_RUNTIME
        and stop.get("MaxRuntimeInSeconds") is None
    ):
        yield Finding(
            MAX_RUNTIME,
            f"MaxRuntimeInSeconds is not set, so it defaults to {DEFAULT_MAX_RUNTIME} "
            f"(1 day), more than MaxWaitTimeInSeconds ({wait}): set MaxRuntimeInSeconds to "
            f"{wait} or less, or raise MaxWaitTimeInSeconds.",
            (MAX_WAIT,),
        )


def check_max_runtime_limit(req: dict) -> Iterator[Finding]:
    runtime = as_int(section(req, "StoppingCondition").get("MaxRuntimeInSeconds"))
    if runtime is not None and runtime > MAX_RUNTIME_LIMIT:
        yield Finding(
            MAX_RUNTIME,
            f"MaxRuntimeInSeconds is {runtime}, over the maximum of {MAX_RUNTIME_LIMIT} "
            f"(28 days): lower it, and continue longer training in a new job from a "
            f"checkpoint.",
        )


def check_max_pending_no_effect(req: dict) -> Iterator[Finding]:
    if section(req, "StoppingCondition").get("MaxPendingTimeInSeconds") is None:
        return
    types = instance_types(req)
    # Text that is not an instance type counts as neither: schema validation reports it.
    if types and all(parse_instance_type(t) is not None and not is_accelerated(t) for _, t in types):
        yield Finding(
            SC + ("MaxPendingTimeInSeconds",),
            f"MaxPendingTimeInSeconds applies only to accelerated instance types (ml.p, ml.g, ml.trn), "
            f"and this job uses {name_list(t for _, t in types)}: remove it, or choose an accelerated "
            f"instance type.",
            tuple(p for p, _ in types),
        )


RULES: tuple[Rule, ...] = (
    Rule(
        "spot.max-wait-requires-spot",
        ERROR,
        "MaxWaitTimeInSeconds only with EnableManagedSpotTraining=true",
        DG + "model-managed-spot-training.html",
        check_max_wait_requires_spot,
    ),
    Rule(
        "spot.max-wait-required",
        ERROR,
        "Spot training needs MaxWaitTimeInSeconds",
        DG + "model-managed-spot-training.html",
        check_max_wait_required,
    ),
    Rule(
        "spot.max-wait-below-runtime",
        ERROR,
        "MaxWaitTimeInSeconds must be >= MaxRuntimeInSeconds",
        API + "API_StoppingCondition.html",
        check_max_wait_below_runtime,
    ),
    Rule(
        "spot.max-wait-below-default-runtime",
        WARNING,
        "Spot MaxWaitTimeInSeconds below the 1-day default MaxRuntimeInSeconds",
        API + "API_StoppingCondition.html",
        check_max_wait_below_default_runtime,
    ),
    Rule(
        "stopping.max-runtime-limit",
        ERROR,
        "MaxRuntimeInSeconds is at most 28 days",
        API + "API_StoppingCondition.html",
        check_max_runtime_limit,
    ),
    Rule(
        "stopping.max-pending-no-effect",
        WARNING,
        "MaxPendingTimeInSeconds has no effect on CPU-only instance types",
        API + "API_StoppingCondition.html",
        check_max_pending_no_effect,
    ),
)
