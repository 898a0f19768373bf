"""Rules on the algorithm and on the sections a job needs."""

from __future__ import annotations

from collections.abc import Iterator

from smjob.problems import ERROR
from smjob.rules.core import ALGO, API, IMAGE, SERVERLESS, Finding, Rule, given, is_serverless


def check_image_xor_name(req: dict) -> Iterator[Finding]:
    algo = req.get("AlgorithmSpecification")
    if not isinstance(algo, dict):
        return
    name = ALGO + ("AlgorithmName",)
    has_image, has_name = given(algo, "TrainingImage"), given(algo, "AlgorithmName")
    if has_image and has_name:
        yield Finding(
            name,
            "AlgorithmSpecification sets both TrainingImage and AlgorithmName: keep only one, "
            "TrainingImage for a container image or AlgorithmName for an algorithm resource.",
            (IMAGE,),
        )
    elif not has_image and not has_name:
        yield Finding(
            IMAGE,
            "AlgorithmSpecification needs TrainingImage (a container image URI) or AlgorithmName "
            "(an algorithm resource or Marketplace subscription): set one of them.",
            (name,),
        )


# The CLI reference's synopsis lists these without brackets; the model marks them optional only
# because serverless jobs (ServerlessJobConfig) do without them.
INSTANCE_JOB_SECTIONS = {
    "AlgorithmSpecification": "with TrainingImage and TrainingInputMode",
    "ResourceConfig": "with InstanceType, InstanceCount and VolumeSizeInGB",
    "StoppingCondition": "with MaxRuntimeInSeconds",
}


def check_sections_required(req: dict) -> Iterator[Finding]:
    if is_serverless(req):
        return
    for name, hint in INSTANCE_JOB_SECTIONS.items():
        if req.get(name) is None:
            yield Finding(
                (name,),
                f"{name} is required unless the job is serverless (ServerlessJobConfig): add it {hint}.",
                (SERVERLESS,),
            )


RULES: tuple[Rule, ...] = (
    Rule(
        "algorithm.image-xor-name",
        ERROR,
        "AlgorithmSpecification needs exactly one of TrainingImage and AlgorithmName",
        API + "API_AlgorithmSpecification.html",
        check_image_xor_name,
    ),
    Rule(
        "job.sections-required",
        ERROR,
        "Non-serverless jobs need AlgorithmSpecification, ResourceConfig and StoppingCondition",
        API + "API_CreateTrainingJob.html",
        check_sections_required,
    ),
)
