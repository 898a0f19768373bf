"""Live lookups of the values a training job names (roles, buckets, images, subnets, keys), with
a hard time limit, classified errors and a disk cache.

    result = lookup("roles", target)                 # live unless cached; refresh=True to bypass
    result = cached("roles", target)                 # disk only, never the network (or None)
    result.items, result.age, result.from_cache

Every lookup finishes within `timeout` seconds (5 by default): the calls run in a daemon thread and
a late answer is dropped. Failures raise smjob.aws.AwsError whose `kind` is one of no-credentials,
expired-token, access-denied, endpoint-unreachable, timeout, throttled, unknown-region, not-found,
other, and whose `message` is a sentence for the user.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from smjob.aws.errors import AwsError, translate
from smjob.aws.target import Target
from smjob.catalogue import version_key
from smjob.resources import cache
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

TIMEOUT = 5.0
SHOWN_OBJECTS = 8
SAGEMAKER = "sagemaker.amazonaws.com"
_PARALLEL = 8  # per-item calls (bucket regions, key states) at once


@dataclass(frozen=True)
class Result:
    kind: str
    items: list
    fetched: float  # epoch seconds
    from_cache: bool
    account: str | None
    region: str | None

    @property
    def age(self) -> str:
        return cache.age_text(self.fetched)


# --- calling AWS ---------------------------------------------------------------------------------

_IAM_PREFIX = {"s3": "s3", "iam": "iam", "ec2": "ec2", "ecr": "ecr", "kms": "kms", "sts": "sts"}
_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "NotAuthorized"}


# Clients are reused across lookups (botocore clients are thread-safe): making one costs ~30-60 ms,
# most of a lookup against a local endpoint. Credentials still refresh inside them (SSO, roles);
# a credentials error drops the target's clients so the next lookup resolves them anew.
_CLIENTS: dict[tuple, object] = {}
_CLIENTS_LOCK = threading.Lock()
_CREDENTIAL_KINDS = {"no-credentials", "expired-token", "access-denied"}


def forget_clients(target: Target | None = None) -> None:
    with _CLIENTS_LOCK:
        for key in [k for k in _CLIENTS if target is None or k[0] == target]:
            del _CLIENTS[key]


class _Aws:
    """Clients for one target; every call's errors translated."""

    def __init__(self, target: Target, timeout: float) -> None:
        self.target = target
        self.timeout = timeout

    def client(self, service: str):
        from smjob.aws.clients import client

        key = (self.target, service, self.timeout)
        with _CLIENTS_LOCK:
            if key not in _CLIENTS:
                _CLIENTS[key] = client(
                    self.target,
                    service=service,
                    retries=1,
                    connect_timeout=min(2.0, self.timeout),
                    read_timeout=self.timeout,
                )
            return _CLIENTS[key]

    def call(self, service: str, operation: str, **params):
        from smjob.aws.clients import call

        try:
            return call(self.client(service), operation, self.target, **params)
        except AwsError as err:
            _refined(err, self.target, service, operation)
            raise

    def pages(self, service: str, operation: str, key: str, **params):
        """Every item under `key` across pages (botocore paginators are lazy: errors surface here)."""
        from botocore import xform_name
        from botocore.exceptions import BotoCoreError, ClientError

        sm = self.client(service)
        try:
            for page in sm.get_paginator(xform_name(operation)).paginate(**params):
                yield from page.get(key, [])
        except (ClientError, BotoCoreError) as exc:
            raise _translated(exc, self.target, service, operation, sm) from exc


_MISSING = {"NoSuchBucket", "RepositoryNotFoundException", "NotFoundException", "NoSuchEntity", "NoSuchKey"}


def _translated(exc, target: Target, service: str, operation: str, client) -> AwsError:
    return _refined(translate(exc, target=target, operation=operation, client=client), target, service, operation)


def _refined(err: AwsError, target: Target, service: str, operation: str) -> AwsError:
    """A lookup's own reading of an error: a credentials error drops the target's clients, a missing
    thing is "not-found", a denial names the IAM action to ask for."""
    if err.kind in _CREDENTIAL_KINDS:
        forget_clients(target)
    if err.code in _MISSING:
        err.kind = "not-found"
        err.message = f"not found: {err.detail or err.code}"
    if err.kind == "access-denied" and err.code in _DENIED:
        action = f"{_IAM_PREFIX.get(service, service)}:{operation}"
        err.message = (
            f"AWS denied {action}: ask your administrator for it or use another profile; you can still type the value"
        )
    return err


def _run(fn, timeout: float, what: str, target: Target):
    """fn() in a daemon thread, at most `timeout` s: a hung server cannot hold a picker."""
    box: dict = {}

    def work():
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=work, name=f"smjob-lookup-{what}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        where = target.endpoint_url or "AWS"
        raise AwsError(
            "timeout",
            f"{where} did not answer the {what} lookup within {timeout:g} s: the network may be slow or "
            "blocked (VPN, proxy); try again, or type the value",
            operation=what,
        )
    if "error" in box:
        exc = box["error"]
        if isinstance(exc, AwsError):
            raise exc
        raise translate(exc, target=target, operation=what) from exc
    return box["value"]


# --- account and cache --------------------------------------------------------------------------

_ACCOUNTS: dict[str, str] = {}


def _target_key(target: Target) -> str:
    return json.dumps([target.profile, target.region, target.endpoint_url])


_RESOLVED: dict[tuple, Target] = {}
_ENV = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CONFIG_FILE")


def _resolved(target: Target | None) -> Target:
    """The target with botocore's profile and region, memoised per environment (a botocore
    session costs ~30 ms: too much for a picker opening from the cache)."""
    import os

    from smjob.aws.clients import resolve

    target = target or Target()
    if target.region:  # botocore's profile rule without importing boto3 (cached() stays ~1 ms cold)
        profile = target.profile or os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE")
        return Target(None if profile == "default" else profile, target.region, target.endpoint_url)
    key = (target, *(os.environ.get(v) for v in _ENV))
    if key not in _RESOLVED:
        _RESOLVED[key] = resolve(target)
    return _RESOLVED[key]


def account_of(aws: _Aws) -> str:
    """The target's account: STS once per target and process (a refresh re-reads data, not who we are)."""
    key = _target_key(aws.target)
    if key in _ACCOUNTS:
        return _ACCOUNTS[key]
    account = aws.call("sts", "GetCallerIdentity")["Account"]
    _ACCOUNTS[key] = account
    cache.put_account(key, account)
    return account


def _known_account(target: Target) -> str | None:
    key = _target_key(target)
    return _ACCOUNTS.get(key) or cache.get_account(key)


def _cache_key(kind: str, params: dict) -> str:
    return "|".join([kind, *(f"{k}={params[k]}" for k in sorted(params))])


def cached(kind: str, target: Target | None = None, **params) -> Result | None:
    """What the disk cache holds for this lookup, without any network call (None if nothing)."""
    target = _resolved(target)
    account = _known_account(target)
    if account is None:
        return None
    found = cache.get(cache.file_for(account, target.region, target.endpoint_url), _cache_key(kind, params), kind)
    if found is None:
        return None
    items, fetched = found
    return Result(kind, items, fetched, True, account, target.region)


def lookup(
    kind: str, target: Target | None = None, *, refresh: bool = False, timeout: float = TIMEOUT, **params
) -> Result:
    """The items of `kind` (see FETCHERS) for `target`: cached unless `refresh`, else live."""
    if kind not in FETCHERS:
        raise ValueError(f"unknown lookup {kind!r}; one of {', '.join(FETCHERS)}")
    target = _resolved(target)
    if not refresh:
        hit = cached(kind, target, **params)
        if hit is not None:
            return hit

    def fetch():
        aws = _Aws(target, timeout)
        account = account_of(aws)
        items = FETCHERS[kind](aws, account=account, **params)
        path = cache.file_for(account, target.region, target.endpoint_url)
        return Result(kind, items, cache.put(path, _cache_key(kind, params), items), False, account, target.region)

    return _run(fetch, timeout, kind, target)


# --- the lookups --------------------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value is not None else None)


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def sagemaker_trust(document) -> tuple[bool, str]:
    """Whether a role's trust policy lets SageMaker assume it, and if not, why."""
    if isinstance(document, str):
        try:
            document = json.loads(urllib.parse.unquote(document))
        except ValueError:
            return False, "its trust policy cannot be read"
    if not isinstance(document, dict) or not document.get("Statement"):
        return False, "it has no trust policy statements"
    allowed = conditional = denied = named_other_action = False
    others: set[str] = set()
    for st in _as_list(document.get("Statement")):
        if not isinstance(st, dict):
            continue
        actions = [str(a).lower() for a in _as_list(st.get("Action"))]
        assume = any(a in ("sts:assumerole", "sts:*", "*") for a in actions)
        principal = st.get("Principal")
        services, wildcard = [], principal == "*"
        if isinstance(principal, dict):
            services = [str(s) for s in _as_list(principal.get("Service"))]
            wildcard = wildcard or "*" in _as_list(principal.get("AWS"))
            others.update(services)
            others.update(f"account {a!s}" for a in _as_list(principal.get("AWS")) if a != "*")
            others.update(str(a) for a in _as_list(principal.get("Federated")))
        names = SAGEMAKER in services or wildcard
        if not names:
            continue
        if st.get("Effect") == "Deny" and assume:
            denied = True
        elif st.get("Effect") == "Allow" and assume:
            allowed = True
            conditional = conditional or bool(st.get("Condition"))
        elif st.get("Effect") == "Allow":
            named_other_action = True
    if denied:
        return False, f"a Deny statement stops {SAGEMAKER} from assuming it"
    if allowed:
        return True, "with conditions" if conditional else ""
    if named_other_action:
        return False, f"it names {SAGEMAKER} but not for sts:AssumeRole"
    others.discard(SAGEMAKER)
    if others:
        return False, f"it trusts {', '.join(sorted(others))}, not {SAGEMAKER}"
    return False, f"its trust policy does not name {SAGEMAKER}"


def fetch_roles(aws: _Aws, **_) -> list[Role]:
    roles = []
    for r in aws.pages("iam", "ListRoles", "Roles"):
        ok, reason = sagemaker_trust(r.get("AssumeRolePolicyDocument"))
        roles.append(Role(r["RoleName"], r["Arn"], ok, reason, _iso(r.get("CreateDate")), r.get("Description")))
    return sorted(roles, key=lambda r: (not r.trusts_sagemaker, r.name.lower()))


def default_bucket(region: str | None, account: str) -> str:
    """The SDK's default bucket name (Session.default_bucket)."""
    return f"sagemaker-{region}-{account}"


def location_region(answer: dict) -> str:
    """The region in a GetBucketLocation answer. The API's legacy answers: no constraint is
    us-east-1, "EU" is eu-west-1."""
    region = answer.get("LocationConstraint") or "us-east-1"
    return "eu-west-1" if region == "EU" else region


def _bucket_region(aws: _Aws, name: str) -> str | None:
    try:
        return location_region(aws.call("s3", "GetBucketLocation", Bucket=name))
    except AwsError:
        return None


def fetch_buckets(aws: _Aws, *, account: str, **_) -> list[Bucket]:
    raw = list(aws.pages("s3", "ListBuckets", "Buckets"))
    missing = [b["Name"] for b in raw if not b.get("BucketRegion")]
    with ThreadPoolExecutor(_PARALLEL) as pool:
        found = dict(zip(missing, pool.map(lambda n: _bucket_region(aws, n), missing), strict=True))
    region, default = aws.target.region, default_bucket(aws.target.region, account)
    buckets = []
    for b in raw:
        where = b.get("BucketRegion") or found.get(b["Name"])
        other = bool(region and where and where != region)
        buckets.append(Bucket(b["Name"], where, b["Name"] == default, other, _iso(b.get("CreationDate"))))
    return sorted(buckets, key=lambda b: (not b.is_default, b.other_region, b.name))


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """(bucket, prefix) of an s3:// URI, the form the S3 picker lists (rules.s3.split_s3 reads it)."""
    from smjob.rules.s3 import split_s3

    parts = split_s3(uri) if uri.startswith("s3://") else None
    if parts is None or not parts[0]:
        raise ValueError(f"not an S3 URI (s3://bucket/prefix/): {uri!r}")
    return parts


def fetch_objects(aws: _Aws, *, uri: str, **_) -> list[Listing]:
    bucket, prefix = parse_s3_uri(uri)
    page = aws.call("s3", "ListObjectsV2", Bucket=bucket, Prefix=prefix, Delimiter="/", MaxKeys=1000)
    contents = page.get("Contents", [])
    objects = [S3Object(o["Key"], int(o.get("Size", 0)), _iso(o.get("LastModified"))) for o in contents]
    return [
        Listing(
            bucket,
            prefix,
            [p["Prefix"] for p in page.get("CommonPrefixes", [])],
            objects[:SHOWN_OBJECTS],
            len(objects),
            bool(page.get("IsTruncated")),
        )
    ]


def fetch_repositories(aws: _Aws, **_) -> list[Repository]:
    repos = [
        Repository(r["repositoryName"], r["repositoryUri"], _iso(r.get("createdAt")))
        for r in aws.pages("ecr", "DescribeRepositories", "repositories")
    ]
    return sorted(repos, key=lambda r: r.name)


def fetch_images(aws: _Aws, *, repository: str, **_) -> list[ImageTag]:
    """The tags of one repository, newest push first."""
    repo = aws.call("ecr", "DescribeRepositories", repositoryNames=[repository])["repositories"][0]
    found = []
    for image in aws.pages("ecr", "DescribeImages", "imageDetails", repositoryName=repository):
        for tag in image.get("imageTags", []):
            pushed = image.get("imagePushedAt")
            found.append((pushed.timestamp() if hasattr(pushed, "timestamp") else 0.0, tag, image))
    # Newest push first; pushes in the same second (ECR's resolution) by version-like tag, highest first.
    found.sort(key=lambda f: (f[0], version_key(f[1]), f[1]), reverse=True)
    return [
        ImageTag(
            repository,
            tag,
            f"{repo['repositoryUri']}:{tag}",
            image.get("imageDigest"),
            _iso(image.get("imagePushedAt")),
            image.get("imageSizeInBytes"),
        )
        for _, tag, image in found
    ]


def _name_tag(tags) -> str | None:
    return next((t.get("Value") for t in tags or [] if t.get("Key") == "Name"), None)


def fetch_subnets(aws: _Aws, **_) -> list[Subnet]:
    subnets = [
        Subnet(
            s["SubnetId"],
            s["VpcId"],
            s.get("AvailabilityZone", ""),
            int(s.get("AvailableIpAddressCount", 0)),
            s.get("CidrBlock"),
            _name_tag(s.get("Tags")),
        )
        for s in aws.pages("ec2", "DescribeSubnets", "Subnets")
    ]
    return sorted(subnets, key=lambda s: (s.vpc_id, s.availability_zone, s.id))


def fetch_security_groups(aws: _Aws, **_) -> list[SecurityGroup]:
    groups = [
        SecurityGroup(g["GroupId"], g.get("GroupName", ""), g.get("VpcId"), g.get("Description"))
        for g in aws.pages("ec2", "DescribeSecurityGroups", "SecurityGroups")
    ]
    return sorted(groups, key=lambda g: (g.vpc_id or "", g.name, g.id))


def fetch_kms_keys(aws: _Aws, **_) -> list[KmsKey]:
    keys = list(aws.pages("kms", "ListKeys", "Keys"))
    aliases: dict[str, list[str]] = {}
    for a in aws.pages("kms", "ListAliases", "Aliases"):
        if a.get("TargetKeyId"):
            aliases.setdefault(a["TargetKeyId"], []).append(a["AliasName"])

    def describe(key):
        try:
            return aws.call("kms", "DescribeKey", KeyId=key["KeyId"])["KeyMetadata"]
        except AwsError:
            return {}

    with ThreadPoolExecutor(_PARALLEL) as pool:
        metas = list(pool.map(describe, keys))
    found = [
        KmsKey(
            k["KeyId"],
            k.get("KeyArn") or meta.get("Arn", ""),
            sorted(aliases.get(k["KeyId"], [])),
            meta.get("KeyState"),
            meta.get("KeyManager"),
            meta.get("Description") or None,
        )
        for k, meta in zip(keys, metas, strict=True)
    ]
    return sorted(found, key=lambda k: (k.manager == "AWS", k.state != "Enabled", (k.aliases or ["~"])[0], k.id))


FETCHERS = {
    "roles": fetch_roles,
    "buckets": fetch_buckets,
    "objects": fetch_objects,
    "repositories": fetch_repositories,
    "images": fetch_images,
    "subnets": fetch_subnets,
    "security-groups": fetch_security_groups,
    "kms-keys": fetch_kms_keys,
}


def vpc_conflict(subnets: list[Subnet], groups: list[SecurityGroup]) -> str | None:
    """The error when chosen subnets and security groups are not all in one VPC, else None."""
    vpcs = {s.vpc_id for s in subnets} | {g.vpc_id for g in groups if g.vpc_id}
    if len(vpcs) <= 1:
        return None
    return f"subnets and security groups must be in one VPC; these are in {', '.join(sorted(vpcs))}"
