"""What the lookups return: plain dataclasses, JSON-able through `asdict` and back through `load`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields


@dataclass(frozen=True)
class Role:
    name: str
    arn: str
    trusts_sagemaker: bool
    reason: str  # why not (empty when it does); "with conditions" notes a Condition block
    created: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Bucket:
    name: str
    region: str | None  # None: not known (GetBucketLocation denied or out of time)
    is_default: bool = False  # the SDK's sagemaker-<region>-<account>
    other_region: bool = False  # in another region than the target's (the job's)
    created: str | None = None


@dataclass(frozen=True)
class S3Object:
    key: str
    size: int
    modified: str | None = None


@dataclass(frozen=True)
class Listing:
    """One level of a bucket: its sub-prefixes and the first objects (one page of ListObjectsV2)."""

    bucket: str
    prefix: str
    prefixes: list[str] = field(default_factory=list)
    objects: list[S3Object] = field(default_factory=list)  # the first few (SHOWN_OBJECTS)
    object_count: int = 0  # objects at this level in the page read
    truncated: bool = False  # more than one page: counts are lower bounds


@dataclass(frozen=True)
class Repository:
    name: str
    uri: str
    created: str | None = None


@dataclass(frozen=True)
class ImageTag:
    repository: str
    tag: str
    uri: str
    digest: str | None = None
    pushed: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class Subnet:
    id: str
    vpc_id: str
    availability_zone: str
    free_ips: int
    cidr: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class SecurityGroup:
    id: str
    name: str
    vpc_id: str | None
    description: str | None = None


@dataclass(frozen=True)
class KmsKey:
    id: str
    arn: str
    aliases: list[str] = field(default_factory=list)
    state: str | None = None  # Enabled, Disabled, PendingDeletion...
    manager: str | None = None  # CUSTOMER or AWS
    description: str | None = None


KINDS = {
    "roles": Role,
    "buckets": Bucket,
    "objects": Listing,
    "repositories": Repository,
    "images": ImageTag,
    "subnets": Subnet,
    "security-groups": SecurityGroup,
    "kms-keys": KmsKey,
}


def dump(item) -> dict:
    return asdict(item)


def load(kind: str, data: dict):
    cls = KINDS[kind]
    names = {f.name for f in fields(cls)}
    values = {k: v for k, v in data.items() if k in names}
    if cls is Listing:
        values["objects"] = [S3Object(**o) for o in values.get("objects", [])]
    return cls(**values)
