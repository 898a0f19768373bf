"""SageMaker built-in algorithms: what their docs allow, and rules that warn when a job asks for
more. An algorithm is recognised by its image repository, so these rules only warn."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from smjob.instances import is_gpu, parse_instance_type
from smjob.problems import WARNING
from smjob.rules.channels import input_mode, instances_for
from smjob.rules.core import (
    DG,
    IMAGE,
    MAX_WAIT,
    PIPE,
    RC,
    SPOT,
    Finding,
    Rule,
    as_int,
    as_str,
    channels_of,
    given,
    instance_types,
    section,
    spot_training,
)
from smjob.rules.image import MAX_REFERENCE

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
    image = as_str(section(req, "AlgorithmSpecification").get("TrainingImage"))
    match = _ECR_IMAGE.fullmatch(image) if image and len(image) <= MAX_REFERENCE else None
    if match and match["repo"] in BUILTIN_ALGORITHMS:
        return match["repo"], BUILTIN_ALGORITHMS[match["repo"]]
    return None


def check_builtin_gpu_only(req: dict) -> Iterator[Finding]:
    found = builtin_algorithm(req)
    if found and found[1].processor == "gpu":
        for path, instance_type in instance_types(req):
            if parse_instance_type(instance_type) is not None and not is_gpu(instance_type):
                yield Finding(
                    path,
                    f"The built-in {found[0]} algorithm trains only on GPU instances (ml.p*, ml.g*), "
                    f"and {instance_type} has no GPU: choose a GPU instance type.",
                    (IMAGE,),
                )


def check_builtin_cpu_only(req: dict) -> Iterator[Finding]:
    found = builtin_algorithm(req)
    if found and found[1].processor == "cpu":
        for path, instance_type in instance_types(req):
            if is_gpu(instance_type):
                yield Finding(
                    path,
                    f"The built-in {found[0]} algorithm trains only on CPU instances, and "
                    f"{instance_type} is a GPU instance: choose a CPU instance type (ml.m*, ml.c*).",
                    (IMAGE,),
                )


def check_builtin_single_instance(req: dict) -> Iterator[Finding]:
    found = builtin_algorithm(req)
    if not found or not found[1].single_instance:
        return
    instances = instances_for(req, {})
    if instances is not None and instances[0] > 1:
        count, paths = instances
        where = paths[0] if len(paths) == 1 else RC + ("InstanceGroups",)
        yield Finding(
            where,
            f"The built-in {found[0]} algorithm trains on a single instance, but the job asks for "
            f"{count}: use one instance.",
            (*(p for p in paths if p != where), IMAGE),
        )


def check_builtin_file_mode(req: dict) -> Iterator[Finding]:
    found = builtin_algorithm(req)
    if not found or not found[1].file_only:
        return
    reported = set()
    for path, channel in channels_of(req):
        mode, mode_path = input_mode(req, path, channel)
        if mode == PIPE and mode_path not in reported:
            reported.add(mode_path)
            yield Finding(
                mode_path,
                f"{mode_path[-1]} is Pipe, but the built-in {found[0]} algorithm reads training data in File "
                f"mode only: use File.",
                (IMAGE,),
            )


def check_builtin_spot_max_wait(req: dict) -> Iterator[Finding]:
    found = builtin_algorithm(req)
    wait = as_int(section(req, "StoppingCondition").get("MaxWaitTimeInSeconds"))
    if not found or not spot_training(req) or wait is None or wait <= BUILTIN_SPOT_MAX_WAIT:
        return
    name, algorithm = found
    if not algorithm.checkpoints:
        yield Finding(
            MAX_WAIT,
            f"The built-in {name} algorithm does not save checkpoints, and for such Spot jobs "
            f"SageMaker allows MaxWaitTimeInSeconds of at most {BUILTIN_SPOT_MAX_WAIT} (is "
            f"{wait}): lower it to {BUILTIN_SPOT_MAX_WAIT} or less.",
            (IMAGE, SPOT),
        )
    elif not given(req, "CheckpointConfig"):
        yield Finding(
            MAX_WAIT,
            f"Without CheckpointConfig the built-in {name} algorithm cannot resume after a Spot "
            f"interruption, and SageMaker may cap MaxWaitTimeInSeconds at {BUILTIN_SPOT_MAX_WAIT} "
            f"for Spot jobs that do not checkpoint (is {wait}): add CheckpointConfig, or lower "
            f"MaxWaitTimeInSeconds to {BUILTIN_SPOT_MAX_WAIT}.",
            (IMAGE, SPOT, ("CheckpointConfig",)),
        )


RULES: tuple[Rule, ...] = (
    Rule(
        "builtin.gpu-only",
        WARNING,
        "GPU-only built-in algorithm on an instance without GPU",
        BUILTIN_ALGORITHMS_URL,
        check_builtin_gpu_only,
    ),
    Rule(
        "builtin.cpu-only",
        WARNING,
        "CPU-only built-in algorithm on a GPU instance",
        BUILTIN_ALGORITHMS_URL,
        check_builtin_cpu_only,
    ),
    Rule(
        "builtin.single-instance",
        WARNING,
        "Single-instance built-in algorithm on several instances",
        BUILTIN_ALGORITHMS_URL,
        check_builtin_single_instance,
    ),
    Rule(
        "builtin.file-mode-only",
        WARNING,
        "File-mode-only built-in algorithm in Pipe mode",
        BUILTIN_ALGORITHMS_URL,
        check_builtin_file_mode,
    ),
    Rule(
        "builtin.spot-max-wait",
        WARNING,
        "Spot MaxWaitTimeInSeconds over 1 hour for a built-in algorithm without checkpoints",
        DG + "model-checkpoints.html",
        check_builtin_spot_max_wait,
    ),
)
