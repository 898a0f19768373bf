"""Rules on serverless jobs (ServerlessJobConfig)."""

from __future__ import annotations

from collections.abc import Iterator

from smjob.problems import ERROR, WARNING
from smjob.rules.core import API, EVALUATION, RC, SERVERLESS, Finding, Rule, enum_values, given, is_serverless, section


def check_evaluation_type(req: dict) -> Iterator[Finding]:
    config = section(req, "ServerlessJobConfig")
    if config.get("JobType") == EVALUATION and not given(config, "EvaluationType"):
        values = ", ".join(enum_values(SERVERLESS + ("EvaluationType",)))
        yield Finding(
            SERVERLESS + ("EvaluationType",),
            f"EvaluationType is required when ServerlessJobConfig.JobType is Evaluation: set it to one of {values}.",
            (SERVERLESS + ("JobType",),),
        )


def check_serverless_volume_size(req: dict) -> Iterator[Finding]:
    if is_serverless(req) and section(req, "ResourceConfig").get("VolumeSizeInGB") is not None:
        yield Finding(
            RC + ("VolumeSizeInGB",),
            "VolumeSizeInGB cannot be set for a serverless job (ServerlessJobConfig): SageMaker chooses "
            "the volume size; remove it.",
            (SERVERLESS,),
        )


RULES: tuple[Rule, ...] = (
    Rule(
        "serverless.evaluation-type",
        ERROR,
        "Serverless Evaluation jobs need EvaluationType",
        API + "API_ServerlessJobConfig.html",
        check_evaluation_type,
    ),
    Rule(
        "serverless.volume-size",
        WARNING,
        "Serverless jobs cannot set VolumeSizeInGB",
        API + "API_ResourceConfig.html",
        check_serverless_volume_size,
    ),
)
