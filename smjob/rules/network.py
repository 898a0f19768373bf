"""Rules on the VPC: what reaches SageMaker only through VpcConfig."""

from __future__ import annotations

from collections.abc import Iterator

from smjob.problems import ERROR
from smjob.rules.core import (
    ALGO,
    DG,
    VPC,
    VPC_ACCESS,
    Finding,
    Rule,
    channel_label,
    channels_of,
    given,
    name_list,
    section,
    verb,
)


def check_file_system_needs_vpc(req: dict) -> Iterator[Finding]:
    if given(req, "VpcConfig"):
        return
    fs = [(p, c) for p, c in channels_of(req) if given(section(c, "DataSource"), "FileSystemDataSource")]
    if fs:
        reads = verb(len(fs), "reads", "read")
        yield Finding(
            VPC,
            f"{name_list(channel_label(p, c) for p, c in fs)} {reads} from a file system (FSx for Lustre or "
            f"EFS), which SageMaker reaches only inside your VPC: add VpcConfig with subnets and "
            f"security groups that can reach the file system.",
            tuple(p + ("DataSource", "FileSystemDataSource") for p, _ in fs),
        )


def check_repository_access_needs_vpc(req: dict) -> Iterator[Finding]:
    config = section(section(req, "AlgorithmSpecification"), "TrainingImageConfig")
    if config.get("TrainingRepositoryAccessMode") == VPC_ACCESS and not given(req, "VpcConfig"):
        yield Finding(
            VPC,
            "TrainingRepositoryAccessMode is Vpc, so SageMaker pulls the image through your VPC, "
            "but VpcConfig is missing: add VpcConfig with subnets that can reach the registry, or "
            "set TrainingRepositoryAccessMode to Platform.",
            (ALGO + ("TrainingImageConfig", "TrainingRepositoryAccessMode"),),
        )


RULES: tuple[Rule, ...] = (
    Rule(
        "vpc.file-system-channel",
        ERROR,
        "FSx for Lustre and EFS channels need VpcConfig",
        DG + "model-access-training-data.html",
        check_file_system_needs_vpc,
    ),
    Rule(
        "vpc.repository-access",
        ERROR,
        "TrainingRepositoryAccessMode=Vpc needs VpcConfig",
        DG + "docker-containers-adapt-your-own-private-registry.html",
        check_repository_access_needs_vpc,
    ),
)
