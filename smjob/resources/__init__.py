"""Values that exist in the user's account, for pickers and `smjob resources`.

Engine only (no UI): `lookup(kind, target, refresh=False, timeout=5, **params) -> Result` and
`cached(kind, target, **params) -> Result | None`; kinds: roles, buckets, objects (uri=), repositories,
images (repository=), subnets, security-groups, kms-keys. Images from the DLC / built-in algorithm
catalogue are in smjob.catalogue.
"""

from smjob.resources.lookups import (
    FETCHERS,
    TIMEOUT,
    Result,
    cached,
    default_bucket,
    lookup,
    parse_s3_uri,
    sagemaker_trust,
    vpc_conflict,
)
from smjob.resources.models import (
    Bucket,
    ImageTag,
    KmsKey,
    Listing,
    Repository,
    Role,
    S3Object,
    SecurityGroup,
    Subnet,
)

__all__ = [
    "FETCHERS",
    "TIMEOUT",
    "Bucket",
    "ImageTag",
    "KmsKey",
    "Listing",
    "Repository",
    "Result",
    "Role",
    "S3Object",
    "SecurityGroup",
    "Subnet",
    "cached",
    "default_bucket",
    "lookup",
    "parse_s3_uri",
    "sagemaker_trust",
    "vpc_conflict",
]
