"""The preflight checks. Each task takes the Context and returns Checks; TASKS lists them all.

A task never raises on an AWS answer it understands: a missing thing is FAILED at its field,
a refused or unreachable call is UNKNOWN with the reason.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from smjob.aws.clients import client, resolve, service_endpoint
from smjob.aws.target import Target
from smjob.preflight import FAILED, PASSED, UNKNOWN, WARNING, Check
from smjob.pricing import instance_lines
from smjob.resources.lookups import location_region, sagemaker_trust
from smjob.rules.s3 import split_s3

_ECR = re.compile(
    r"(?P<account>\d{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/(?P<repo>[^:@]+)(?::(?P<tag>[^@]+))?(?:@(?P<digest>.+))?"
)
_DENIED = ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException")


# Clients kept for the next preflight (the app runs one per F5): making the eight clients costs
# ~0.3 s of CPU each time, ~1 s the first time in a process (botocore reads the service models).
_CLIENTS: dict = {}
_CLIENTS_LOCK = threading.Lock()
SERVICES = ("sts", "iam", "s3", "ec2", "ecr", "kms", "sagemaker", "service-quotas")


def warm(target=None, *, timeout: float = 5.0) -> None:
    """Make the clients a preflight uses ahead of time (e.g. in a worker thread when the editor opens)."""
    ctx = Context.create({}, target, timeout=timeout)
    for service in SERVICES:
        ctx.client(service)


@dataclass
class Context:
    """What every task shares: the request, where it goes (profile and region resolved), and clients
    made on first use by smjob.aws.clients.client (a service no check needs costs nothing)."""

    request: dict
    target: Target
    region: str | None
    timeout: float = 5.0
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _identity_lock: threading.Lock = field(default_factory=threading.Lock)
    _identity: dict | None = None
    _bucket_regions: dict = field(default_factory=dict)

    @classmethod
    def create(cls, request: dict, target=None, *, timeout: float = 5.0) -> Context:
        target = resolve(target or Target())
        return cls(request if isinstance(request, dict) else {}, target, target.region, timeout)

    def client(self, service: str):
        endpoint = service_endpoint(service, self.target)
        key = (self.target.profile, self.region, endpoint, service, self.timeout)
        with _CLIENTS_LOCK:  # clients are thread-safe once made; making one is not
            if key not in _CLIENTS:
                _CLIENTS[key] = client(
                    Target(self.target.profile, self.region, endpoint),
                    service=service,
                    retries=0,  # a preflight reports; it does not insist
                    connect_timeout=min(self.timeout, 3.0),
                    read_timeout=self.timeout,
                )
            return _CLIENTS[key]

    def identity(self) -> dict:
        """STS GetCallerIdentity, asked once for all tasks; raises like a call."""
        with self._identity_lock:  # not the clients' lock: other tasks go on making clients meanwhile
            if self._identity is None:
                self._identity = self.client("sts").get_caller_identity()
            return self._identity

    def bucket_region(self, bucket: str) -> str:
        with self._lock:
            if bucket in self._bucket_regions:
                return self._bucket_regions[bucket]
        region = location_region(self.client("s3").get_bucket_location(Bucket=bucket))
        with self._lock:
            self._bucket_regions[bucket] = region
        return region


def code(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    return (response or {}).get("Error", {}).get("Code", "") if isinstance(response, dict) else ""


def why(exc: Exception) -> str:
    """Why a call could not be made, in a line (an HTML error page as a sentence, never its markup)."""
    from smjob.aws.errors import AwsError, exception_text

    if isinstance(exc, AwsError):
        return exc.message
    text = exception_text(exc)
    if text != str(exc):
        return text  # an HTML page, as a sentence: the exception's name would add nothing
    c = code(exc)
    if c in _DENIED:
        return f"not allowed: {text}"
    return text if c else f"{type(exc).__name__}: {text}"


def _call_failed(title: str, exc: Exception, missing_codes: tuple[str, ...], missing: str, path) -> Check:
    """A look-up that raised: FAILED (`missing`) when AWS says the thing is not there, else UNKNOWN (why)."""
    if code(exc) in missing_codes:
        return Check(title, FAILED, missing, path)
    return Check(title, UNKNOWN, why(exc), path)


def _get(d, *keys):
    for k in keys:
        d = d.get(k) if isinstance(d, dict) else None
    return d


# --- role ---------------------------------------------------------------------------------


def check_role(ctx: Context) -> list[Check]:
    """execution role"""
    arn = ctx.request.get("RoleArn")
    path = ("RoleArn",)
    m = re.fullmatch(r"arn:aws[a-z-]*:iam::(\d{12}):role/(?:.*/)?([^/]+)", arn) if isinstance(arn, str) else None
    if not m:
        return [Check("execution role", UNKNOWN, "RoleArn is not a role ARN", path)]
    account, name = m.groups()
    out = []
    try:
        role = ctx.client("iam").get_role(RoleName=name)["Role"]
    except Exception as exc:
        return [_call_failed("role exists", exc, ("NoSuchEntity",), f"no role {name} in account {account}", path)]
    out.append(Check("role exists", PASSED, f"{name}", path))
    # The role picker's own reading of the trust policy (Deny, wildcard principals, conditions).
    trusted, why_not = sagemaker_trust(role.get("AssumeRolePolicyDocument") or {})
    if trusted:
        out.append(Check("role trusts SageMaker", PASSED, "sagemaker.amazonaws.com may assume it", path))
    else:
        why = f"the trust policy of {name} does not let sagemaker.amazonaws.com assume it (sts:AssumeRole): {why_not}"
        out.append(Check("role trusts SageMaker", FAILED, why, path))
    try:
        me = ctx.identity()
    except Exception as exc:
        out.append(Check("role in your account", UNKNOWN, why(exc), path))
        out.append(Check("you may pass the role", UNKNOWN, why(exc), path))
        return out
    if me.get("Account") == account:
        out.append(Check("role in your account", PASSED, f"account {account}", path))
    else:
        out.append(
            Check(
                "role in your account",
                WARNING,
                f"the role is in account {account}, you are in {me.get('Account')}: cross-account roles need "
                "a trust policy and iam:PassRole set up for it",
                path,
            )
        )
    out.append(_check_pass_role(ctx, me.get("Arn", ""), arn, path))
    return out


def _principal_for_simulation(caller_arn: str) -> str:
    # An assumed-role session simulates as its role: arn:aws:sts::A:assumed-role/R/s -> arn:aws:iam::A:role/R
    m = re.fullmatch(r"arn:(aws[a-z-]*):sts::(\d{12}):assumed-role/([^/]+)/.+", caller_arn)
    return f"arn:{m[1]}:iam::{m[2]}:role/{m[3]}" if m else caller_arn


def _check_pass_role(ctx: Context, caller_arn: str, role_arn: str, path) -> Check:
    title = "you may pass the role"
    try:
        answer = ctx.client("iam").simulate_principal_policy(
            PolicySourceArn=_principal_for_simulation(caller_arn), ActionNames=["iam:PassRole"], ResourceArns=[role_arn]
        )
    except Exception as exc:
        return Check(title, UNKNOWN, f"policy simulation (iam:SimulatePrincipalPolicy) unavailable: {why(exc)}", path)
    decisions = [r.get("EvalDecision") for r in answer.get("EvaluationResults", [])]
    if decisions and all(d == "allowed" for d in decisions):
        return Check(title, PASSED, "iam:PassRole allowed by policy simulation", path)
    return Check(
        title, FAILED, f"iam:PassRole on {role_arn} is {', '.join(map(str, decisions)) or 'not allowed'}", path
    )


# --- S3 -----------------------------------------------------------------------------------


def _split_s3(uri: str) -> tuple[str, str] | None:
    """(bucket, key prefix), by the rules' own reading of S3 locations; None without a bucket."""
    parts = split_s3(uri) if isinstance(uri, str) else None
    return parts if parts and parts[0] else None


def s3_locations(request: dict) -> tuple[list, list]:
    """([(path, uri, data type)] inputs that must hold data, [(path, uri)] outputs whose bucket must exist)."""
    inputs, outputs = [], []
    for i, channel in enumerate(request.get("InputDataConfig") or []):
        s3 = _get(channel, "DataSource", "S3DataSource")
        if isinstance(s3, dict) and isinstance(s3.get("S3Uri"), str):
            inputs.append(
                (("InputDataConfig", i, "DataSource", "S3DataSource", "S3Uri"), s3["S3Uri"], s3.get("S3DataType"))
            )
    for member, key in (
        ("OutputDataConfig", "S3OutputPath"),
        ("CheckpointConfig", "S3Uri"),
        ("DebugHookConfig", "S3OutputPath"),
        ("TensorBoardOutputConfig", "S3OutputPath"),
        ("ProfilerConfig", "S3OutputPath"),
    ):
        uri = _get(request, member, key)
        if isinstance(uri, str):
            outputs.append(((member, key), uri))
    return inputs, outputs


def _region_check(ctx: Context, bucket: str, path) -> Check:
    title = "bucket in the job's region"
    try:
        region = ctx.bucket_region(bucket)
    except Exception as exc:
        if code(exc) == "NoSuchBucket":
            return Check("bucket exists", FAILED, f"no bucket {bucket}", path)
        return Check(title, UNKNOWN, why(exc), path)
    if ctx.region and region != ctx.region:
        return Check(title, FAILED, f"bucket {bucket} is in {region}, the job runs in {ctx.region}", path)
    return Check(title, PASSED, f"{bucket} in {region}", path)


def check_input(ctx: Context, path, uri: str, data_type) -> list[Check]:
    parts = _split_s3(uri)
    if parts is None:
        return [Check("input data", UNKNOWN, f"not an s3:// URI: {uri!r}", path)]
    bucket, key = parts
    title = "input data exists"
    s3 = ctx.client("s3")
    try:
        if data_type in ("ManifestFile", "AugmentedManifestFile"):
            s3.head_object(Bucket=bucket, Key=key)
            found = True
        else:
            found = s3.list_objects_v2(Bucket=bucket, Prefix=key, MaxKeys=1).get("KeyCount", 0) > 0
    except Exception as exc:
        c = code(exc)
        if c == "NoSuchBucket":
            return [Check("bucket exists", FAILED, f"no bucket {bucket}", path)]
        if c in ("404", "NoSuchKey", "NotFound"):
            return [Check(title, FAILED, f"no object {uri}", path)]
        return [Check(title, UNKNOWN, why(exc), path)]
    out = [
        Check(title, PASSED, f"objects under {uri}", path)
        if found
        else Check(title, FAILED, f"no S3 objects found under {uri}", path)
    ]
    out.append(_region_check(ctx, bucket, path))
    return out


def check_output(ctx: Context, path, uri: str) -> list[Check]:
    parts = _split_s3(uri)
    if parts is None:
        return [Check("output bucket", UNKNOWN, f"not an s3:// URI: {uri!r}", path)]
    check = _region_check(ctx, parts[0], path)
    if check.status == PASSED:
        return [Check("bucket exists", PASSED, parts[0], path), check]
    return [check]


# --- image --------------------------------------------------------------------------------


def check_image(ctx: Context) -> list[Check]:
    """training image"""
    image = _get(ctx.request, "AlgorithmSpecification", "TrainingImage")
    path = ("AlgorithmSpecification", "TrainingImage")
    if not isinstance(image, str):
        return []
    m = _ECR.fullmatch(image)
    if not m:
        return [Check("image exists", UNKNOWN, "not an ECR image: smjob cannot look it up", path)]
    if ctx.region and m["region"] != ctx.region:
        return [
            Check(
                "image in the job's region",
                FAILED,
                f"the image is in {m['region']}, the job runs in {ctx.region}",
                path,
            )
        ]
    try:
        mine = ctx.identity().get("Account") == m["account"]
    except Exception as exc:
        return [Check("image exists", UNKNOWN, why(exc), path)]
    if not mine:
        return [_catalogue_check(ctx, m, path)]
    image_id = {"imageDigest": m["digest"]} if m["digest"] else {"imageTag": m["tag"] or "latest"}
    try:
        ctx.client("ecr").describe_images(repositoryName=m["repo"], imageIds=[image_id])
    except Exception as exc:
        missing = ("RepositoryNotFoundException", "ImageNotFoundException")
        return [_call_failed("image exists", exc, missing, f"{code(exc)}: {image}", path)]
    return [Check("image exists", PASSED, image, path)]


def _catalogue_pairs(region: str) -> tuple[set, set]:
    """({(account, repository)} published in `region}, {accounts that publish anywhere}) from smjob.catalogue."""
    from smjob.catalogue import catalogue

    here, anywhere = set(), set()

    def walk(value) -> None:
        if isinstance(value, dict):
            registries, repo = value.get("registries"), value.get("repository")
            if isinstance(registries, dict) and isinstance(repo, str):
                anywhere.update(registries.values())
                if region in registries:
                    here.add((registries[region], repo))
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(catalogue().configs)
    return here, anywhere


def _catalogue_check(ctx: Context, m: re.Match, path) -> Check:
    """Another account's image: AWS's own (Deep Learning Containers, built-in algorithms) are in smjob.catalogue."""
    try:
        here, anywhere = _catalogue_pairs(ctx.region or m["region"])
    except Exception as exc:  # the catalogue is unreadable: say so rather than guess
        return Check("image exists", UNKNOWN, f"the catalogue of AWS images cannot be read ({exc})", path)
    if (m["account"], m["repo"]) in here:
        return Check(
            "image exists", PASSED, f"AWS publishes {m['repo']} in {ctx.region} (the tag is not looked up)", path
        )
    if m["account"] in anywhere:
        return Check(
            "image exists", FAILED, f"AWS does not publish {m['repo']} from {m['account']} in {ctx.region}", path
        )
    return Check("image exists", UNKNOWN, f"an image of account {m['account']}, which smjob cannot look into", path)


# --- KMS, network, name, quotas -----------------------------------------------------------


def check_kms(ctx: Context) -> list[Check]:
    """KMS keys"""
    out = []
    for path in (
        ("OutputDataConfig", "KmsKeyId"),
        ("ResourceConfig", "VolumeKmsKeyId"),
    ):
        key = _get(ctx.request, *path)
        if not isinstance(key, str):
            continue
        try:
            meta = ctx.client("kms").describe_key(KeyId=key)["KeyMetadata"]
        except Exception as exc:
            out.append(_call_failed("KMS key exists", exc, ("NotFoundException",), f"no KMS key {key}", path))
            continue
        if meta.get("Enabled") and meta.get("KeyState", "Enabled") == "Enabled":
            out.append(Check("KMS key enabled", PASSED, key, path))
        else:
            out.append(Check("KMS key enabled", FAILED, f"KMS key {key} is {meta.get('KeyState', 'disabled')}", path))
    return out


def check_network(ctx: Context) -> list[Check]:
    """subnets and security groups"""
    vpc = ctx.request.get("VpcConfig")
    if not isinstance(vpc, dict):
        return []
    ec2 = ctx.client("ec2")
    out, vpcs = [], []  # vpcs: (path, vpc id)
    count = sum(c for _p, _t, c in instance_lines(ctx.request)) or 1
    for i, subnet in enumerate(vpc.get("Subnets") or []):
        path = ("VpcConfig", "Subnets", i)
        try:
            info = ec2.describe_subnets(SubnetIds=[subnet])["Subnets"][0]
        except Exception as exc:
            out.append(_call_failed("subnet exists", exc, ("InvalidSubnetID.NotFound",), f"no subnet {subnet}", path))
            continue
        vpcs.append((path, info.get("VpcId")))
        free = info.get("AvailableIpAddressCount", 0)
        if free == 0:
            out.append(Check("subnet has free addresses", FAILED, f"{subnet} has no free IP addresses", path))
        elif free < count:
            out.append(
                Check(
                    "subnet has free addresses",
                    WARNING,
                    f"{subnet} has {free} free addresses for {count} instances",
                    path,
                )
            )
        else:
            out.append(Check("subnet exists", PASSED, f"{subnet} in {info.get('VpcId')}, {free} free addresses", path))
    for i, group in enumerate(vpc.get("SecurityGroupIds") or []):
        path = ("VpcConfig", "SecurityGroupIds", i)
        try:
            info = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]
        except Exception as exc:
            missing = f"no security group {group}"
            out.append(_call_failed("security group exists", exc, ("InvalidGroup.NotFound",), missing, path))
            continue
        vpcs.append((path, info.get("VpcId")))
        out.append(Check("security group exists", PASSED, f"{group} in {info.get('VpcId')}", path))
    distinct = sorted({v for _p, v in vpcs})
    if len(distinct) > 1:
        first = vpcs[0][1]
        for p, v in vpcs:
            if v != first:
                out.append(
                    Check(
                        "one VPC", FAILED, f"in {v}, but {format_first(vpcs)} is in {first}: all must share one VPC", p
                    )
                )
    elif distinct:
        out.append(Check("one VPC", PASSED, distinct[0], ("VpcConfig",)))
    return out


def format_first(vpcs) -> str:
    from smjob.paths import format_path

    return format_path(vpcs[0][0])


def check_name(ctx: Context) -> list[Check]:
    """job name is free"""
    name = ctx.request.get("TrainingJobName")
    path = ("TrainingJobName",)
    if not isinstance(name, str):
        return []
    try:
        ctx.client("sagemaker").describe_training_job(TrainingJobName=name)
    except Exception as exc:
        text = str(exc).lower()  # AWS: "Requested resource not found."; moto: "Could not find training job"
        if code(exc) in ("ValidationException", "ResourceNotFound") and ("not found" in text or "not find" in text):
            return [Check("job name is free", PASSED, name, path)]
        return [Check("job name is free", UNKNOWN, why(exc), path)]
    return [Check("job name is free", FAILED, f"a training job named {name} exists in {ctx.region}", path)]


def check_quotas(ctx: Context) -> list[Check]:
    """instance type offered and quotas"""
    from smjob import quotas as q

    if not instance_lines(ctx.request):
        return []
    try:
        found = q.list_quotas(ctx.client("service-quotas"))
    except Exception as exc:
        return [Check("quotas", UNKNOWN, f"Service Quotas for sagemaker: {why(exc)}", ("ResourceConfig",))]
    if not found:
        return [Check("quotas", UNKNOWN, "Service Quotas lists no SageMaker quotas here", ("ResourceConfig",))]
    out = []
    try:
        usage = q.running_usage(ctx.client("sagemaker"), exclude=ctx.request.get("TrainingJobName"))
    except Exception as exc:
        usage = None
        out.append(Check("running jobs counted", UNKNOWN, f"ListTrainingJobs: {why(exc)}", ("ResourceConfig",)))
    missing = {p for p, _t in q.missing_type_quotas(ctx.request, found)}
    for p, t in q.missing_type_quotas(ctx.request, found):
        out.append(
            Check(
                "instance type offered",
                WARNING,
                f"Service Quotas has no training quota for {t} in {ctx.region}: SageMaker may not offer it there",
                p,
            )
        )
    findings = q.check(ctx.request, found, usage, ctx.region)
    for f in findings:
        out.append(Check("quota", FAILED if f.severity == "error" else WARNING, f.message, f.path))
    flagged = {f.path for f in findings} | missing
    for p, t, c in instance_lines(ctx.request):
        if p not in flagged:
            out.append(Check("within quotas", PASSED, f"{c} x {t}", p))
    return out


def _s3_tasks():
    def inputs_and_outputs(ctx: Context) -> list[Check]:
        """S3 data and buckets"""
        from concurrent.futures import ThreadPoolExecutor

        inputs, outputs = s3_locations(ctx.request)
        jobs = [(check_input, (ctx, *i)) for i in inputs] + [(check_output, (ctx, *o)) for o in outputs]
        if not jobs:
            return []
        with ThreadPoolExecutor(max_workers=min(8, len(jobs))) as pool:
            results = list(pool.map(lambda j: j[0](*j[1]), jobs))
        return [c for r in results for c in r]

    return inputs_and_outputs


TASKS = [check_role, _s3_tasks(), check_image, check_kms, check_network, check_name, check_quotas]
