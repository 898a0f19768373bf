"""Talking to SageMaker: submit, describe, list, stop, clone, poll. The only module that imports boto3.

boto3/botocore are imported inside functions, never at module import, so headless commands
that do not talk to AWS (validate, render, ...) stay fast and boto3-free.

Every failure surfaces as one `AwsError` with a `kind` (see KINDS), a plain `message` that says
what to do, and `problems`: the fields a server ValidationException names, as request paths.

Server field paths. AWS (the Coral validation layer) writes
    Value 'ml.nope' at 'resourceConfig.instanceType' failed to satisfy constraint: ...
    Value null at 'inputDataConfig.1.member.channelName' failed to satisfy constraint: ...
with several clauses joined by "; ". Segments are lowerCamel member names, matched here
case-insensitively against the request schema; `N.member` (or `member.N`) is a list element.
The index is 1-based: published messages show `.1.member.` for the first and only element
(e.g. DynamoDB `transactItems.1.member.update.key` for a one-item TransactItems, Bedrock
`toolConfig.tools.1.member.toolSpec.name` for a single tool), so `.N.` becomes index N-1.
A segment that matches nothing ends the path at the part that did match.

Retries: clients use botocore's "standard" mode (5 retries on throttling, 5xx and connection
errors, exponential backoff with jitter), a 5 s connect timeout and a 30 s read timeout; all
three are parameters of `client()` so tests and the UI can lower them.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from smjob.paths import Path
from smjob.problems import ERROR, Problem, has_errors

KINDS = ("no-credentials", "expired-token", "access-denied", "unknown-region", "endpoint-unreachable",
         "timeout", "name-in-use", "validation", "throttled", "server-error", "not-found", "other")
TERMINAL = frozenset({"Completed", "Failed", "Stopped"})
DEFAULT_RETRIES = 5
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 30.0


# --- targets and errors ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Target:
    """Where requests go. Deliberately has no credential fields: those stay with botocore."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None

    @property
    def label(self) -> str:
        parts = [f"profile {self.profile}" if self.profile else "default credentials",
                 f"region {self.region}" if self.region else "default region"]
        if self.endpoint_url:
            parts.append(f"endpoint {self.endpoint_url}")
        return ", ".join(parts)


class AwsError(Exception):
    """Anything that went wrong talking to AWS, classified; `message` says what to do."""

    def __init__(self, kind: str, message: str, *, problems: list[Problem] | None = None,
                 code: str | None = None, http_status: int | None = None, operation: str | None = None,
                 detail: str | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown AwsError kind {kind!r}")
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.problems = list(problems or [])
        self.code = code  # the AWS error code or botocore exception name
        self.http_status = http_status
        self.operation = operation
        self.detail = detail  # the original text, for logs

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"AwsError({self.kind!r}, {self.message!r})"


@dataclass(frozen=True, slots=True)
class SubmitResult:
    arn: str
    job_name: str
    target: Target = field(default_factory=Target)  # with the region actually used filled in
    warnings: tuple[Problem, ...] = ()
    note: str = ""  # e.g. "created on a retried request"


# --- clients -----------------------------------------------------------------------------------

def client(target: Target | None = None, *, service: str = "sagemaker", retries: int = DEFAULT_RETRIES,
           connect_timeout: float = DEFAULT_CONNECT_TIMEOUT, read_timeout: float = DEFAULT_READ_TIMEOUT):
    """A botocore client for `target`. `retries` counts retries after the first attempt (0 = one try)."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError

    target = target or Target()
    config = Config(retries={"mode": "standard", "max_attempts": retries},
                    connect_timeout=connect_timeout, read_timeout=read_timeout, user_agent_extra="smjob")
    try:
        session = boto3.session.Session(profile_name=target.profile, region_name=target.region,
                                        botocore_session=_botocore_session())
        return session.client(service, endpoint_url=target.endpoint_url, config=config)
    except BotoCoreError as exc:
        raise translate(exc, target=target, operation=f"creating the {service} client") from exc


_LOADER = None


def _botocore_session():
    """A fresh botocore session (credentials, profile and region resolved anew each time) sharing
    one model loader: parsing the SageMaker service model costs ~0.1-0.3 s per session otherwise."""
    global _LOADER
    import botocore.loaders
    import botocore.session

    if _LOADER is None:
        _LOADER = botocore.loaders.create_loader()
    session = botocore.session.Session()
    session.register_component("data_loader", _LOADER)
    return session


def resolve(target: Target | None = None) -> Target:
    """The target with the profile and region botocore would use filled in (from AWS_PROFILE,
    AWS_REGION, the profile's config...). Never raises: unresolvable parts stay as given."""
    target = target or Target()
    try:
        import boto3

        session = boto3.session.Session(profile_name=target.profile, region_name=target.region,
                                        botocore_session=_botocore_session())
        profile = target.profile or (session.profile_name if session.profile_name != "default" else None)
        return Target(profile, target.region or session.region_name, target.endpoint_url)
    except Exception:  # noqa: BLE001 - e.g. ProfileNotFound: the real call will report it
        return target


def _sm(target: Target | None, given):
    return given if given is not None else client(target)


def _target_of(sm, target: Target | None) -> Target:
    """The target with the region and endpoint botocore actually resolved."""
    target = resolve(target)
    region = getattr(sm.meta, "region_name", None) or target.region
    return Target(target.profile, region, target.endpoint_url)


def _call(sm, operation: str, target: Target | None, **params):
    from botocore.exceptions import BotoCoreError, ClientError

    method = getattr(sm, _snake(operation))
    try:
        return method(**params)
    except (ClientError, BotoCoreError) as exc:
        raise translate(exc, target=target, operation=operation, client=sm) from exc


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# --- identity ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Identity:
    profile: str | None
    region: str | None
    endpoint_url: str | None
    account: str | None = None
    arn: str | None = None
    credential_source: str | None = None  # botocore's provider name: env, shared-credentials-file, sso, ...
    error: str | None = None

    def describe(self) -> str:
        where = ", ".join(p for p in (
            f"profile {self.profile}" if self.profile else "",
            f"{self.credential_source} credentials" if self.credential_source else "",
            f"region {self.region}" if self.region else "no region",
            f"endpoint {self.endpoint_url}" if self.endpoint_url else "") if p)
        if self.account:
            return f"account {self.account} as {self.arn} ({where})"
        return f"{where} (identity unknown: {self.error or 'no answer'})"


def whoami(target: Target | None = None, *, timeout: float = 5.0) -> Identity:
    """Best effort: who the credentials belong to. Never raises; STS trouble ends up in `.error`.

    With an endpoint_url the STS call goes to the same endpoint (right for a local endpoint).
    """
    target = target or Target()
    profile, region, source = target.profile, target.region, None
    try:
        import boto3

        session = boto3.session.Session(profile_name=target.profile, region_name=target.region,
                                        botocore_session=_botocore_session())
        profile = target.profile or (session.profile_name if session.profile_name != "default" else None)
        region = session.region_name or target.region
        creds = session.get_credentials()
        source = getattr(creds, "method", None) if creds is not None else None
    except Exception:  # noqa: BLE001 - best effort by contract
        pass
    try:
        sts = client(target, service="sts", retries=0, connect_timeout=min(timeout, 3.0), read_timeout=timeout)
        answer = _call(sts, "GetCallerIdentity", target)
        return Identity(profile, region, target.endpoint_url, answer.get("Account"), answer.get("Arn"), source)
    except AwsError as exc:
        return Identity(profile, region, target.endpoint_url, credential_source=source, error=exc.message)
    except Exception as exc:  # noqa: BLE001
        return Identity(profile, region, target.endpoint_url, credential_source=source, error=str(exc))


# --- operations ----------------------------------------------------------------------------------

def describe(name: str, target: Target | None = None, *, client=None) -> dict:
    """DescribeTrainingJob, without ResponseMetadata."""
    sm = _sm(target, client)
    response = dict(_call(sm, "DescribeTrainingJob", target, TrainingJobName=name))
    response.pop("ResponseMetadata", None)
    return response


def tags(arn: str, target: Target | None = None, *, client=None) -> list[dict]:
    """Every tag on a resource (ListTags, all pages)."""
    sm = _sm(target, client)
    out: list[dict] = []
    token = None
    for _ in range(1000):
        params = {"ResourceArn": arn, "MaxResults": 100}
        if token:
            params["NextToken"] = token
        page = _call(sm, "ListTags", target, **params)
        out.extend(page.get("Tags", []))
        token = page.get("NextToken")
        if not token:
            break
    return out


def stop(name: str, target: Target | None = None, *, client=None) -> None:
    """StopTrainingJob. The job goes to Stopping, then Stopped, asynchronously."""
    sm = _sm(target, client)
    _call(sm, "StopTrainingJob", target, TrainingJobName=name)


@dataclass(frozen=True, slots=True)
class JobSummary:
    name: str
    arn: str
    status: str
    creation_time: datetime | None = None
    end_time: datetime | None = None
    last_modified: datetime | None = None


def list_jobs(target: Target | None = None, name_contains: str | None = None, max_items: int = 100, *,
              status: str | None = None, page_size: int = 100, client=None) -> list[JobSummary]:
    """Training jobs, newest first, following NextToken until exhausted or `max_items` are found.

    Pages may come back empty while a token remains (moto cuts pages before filtering; AWS may
    too), so an empty page never ends the listing; a repeated token does.
    """
    sm = _sm(target, client)
    params: dict[str, Any] = {"SortBy": "CreationTime", "SortOrder": "Descending",
                              "MaxResults": max(1, min(page_size, 100))}
    if name_contains:
        params["NameContains"] = name_contains
    if status:
        params["StatusEquals"] = status
    out: list[JobSummary] = []
    seen: set[str] = set()
    token = None
    while len(out) < max_items:
        page = _call(sm, "ListTrainingJobs", target, **params, **({"NextToken": token} if token else {}))
        for item in page.get("TrainingJobSummaries", []):
            out.append(JobSummary(item.get("TrainingJobName", ""), item.get("TrainingJobArn", ""),
                                  item.get("TrainingJobStatus", ""), item.get("CreationTime"),
                                  item.get("TrainingEndTime"), item.get("LastModifiedTime")))
        token = page.get("NextToken")
        if not token or token in seen:
            break
        seen.add(token)
    return out[:max_items]


def clone(name: str, target: Target | None = None, *, client=None):
    """A request rebuilt from a job (DescribeTrainingJob + ListTags) -> smjob.load.LoadResult.

    When the tags cannot be read (e.g. no sagemaker:ListTags permission) the clone still comes
    back, with load's "tags missing" note.
    """
    from smjob.load import from_describe

    sm = _sm(target, client)
    response = describe(name, target, client=sm)
    try:
        job_tags = tags(response["TrainingJobArn"], target, client=sm)
    except AwsError as exc:
        if exc.kind not in ("access-denied", "not-found"):
            raise
        job_tags = None
    return from_describe(response, job_tags)


def submit(request: dict, target: Target | None = None, *, client=None) -> SubmitResult:
    """Validate, make sure the name is free, then CreateTrainingJob.

    Refuses (kind "validation", nothing sent) when smjob's own validation finds errors. A name
    that exists already gives kind "name-in-use" without calling CreateTrainingJob: names can
    never be reused, and some endpoints (moto) would silently overwrite the old job.
    """
    from smjob.validate import validate

    problems = validate(request)
    if has_errors(problems):
        errors = [p for p in problems if p.severity == ERROR]
        raise AwsError("validation", f"not submitted: the request has {len(errors)} error(s); fix them first",
                       problems=errors, operation="CreateTrainingJob")
    name = request["TrainingJobName"]
    sm = _sm(target, client)
    try:
        existing = describe(name, target, client=sm)
    except AwsError as exc:
        if exc.kind != "not-found":
            raise
    else:
        raise _name_in_use(name, existing.get("TrainingJobStatus"))
    try:
        answer = _call(sm, "CreateTrainingJob", target, **request)
        note = ""
    except AwsError as exc:
        if exc.kind != "name-in-use" or not exc.__cause__ or _retry_attempts(exc.__cause__) == 0:
            raise
        # A retried create whose first attempt reached AWS: the job may be ours.
        existing = describe(name, target, client=sm)
        if not _same_job(existing, request):
            raise
        answer = {"TrainingJobArn": existing["TrainingJobArn"]}
        note = "created on a retried request (the first attempt's answer was lost)"
    warnings = tuple(p for p in problems if p.severity != ERROR)
    return SubmitResult(answer["TrainingJobArn"], name, _target_of(sm, target), warnings, note)


def _name_in_use(name: str, status: str | None) -> AwsError:
    state = f" (status {status})" if status else ""
    return AwsError("name-in-use", f"a training job named {name!r} already exists{state}; training job names "
                    "can never be reused, even after the job ends: choose a new name "
                    "(`smjob history resubmit` picks a fresh one)", code="ResourceInUse",
                    operation="CreateTrainingJob")


def _retry_attempts(exc) -> int:
    meta = getattr(exc, "response", {}).get("ResponseMetadata", {}) if hasattr(exc, "response") else {}
    return int(meta.get("RetryAttempts", 0) or 0)


def _same_job(described: dict, request: dict) -> bool:
    def pick(d):
        return (d.get("RoleArn"), (d.get("AlgorithmSpecification") or {}).get("TrainingImage"),
                (d.get("OutputDataConfig") or {}).get("S3OutputPath"), d.get("ResourceConfig"))
    return pick(described) == pick(request)


# --- polling ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Transition:
    status: str
    start: datetime | None
    end: datetime | None
    message: str = ""


@dataclass(frozen=True, slots=True)
class JobStatus:
    name: str
    arn: str
    status: str  # InProgress | Completed | Failed | Stopping | Stopped
    secondary_status: str
    transitions: tuple[Transition, ...] = ()
    failure_reason: str | None = None
    model_artifacts: str | None = None
    creation_time: datetime | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    max_runtime_seconds: int | None = None
    max_wait_seconds: int | None = None
    elapsed_seconds: float | None = None

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL

    @property
    def remaining_seconds(self) -> float | None:
        """Time left before MaxRuntimeInSeconds stops the job (None when finished or unknown)."""
        if self.terminal or self.max_runtime_seconds is None or self.elapsed_seconds is None:
            return None
        return max(0.0, self.max_runtime_seconds - self.elapsed_seconds)

    def summary(self) -> str:
        text = f"{self.name}: {self.status}"
        if self.secondary_status and self.secondary_status != self.status:
            text += f" / {self.secondary_status}"
        if self.elapsed_seconds is not None:
            text += f" after {format_seconds(self.elapsed_seconds)}"
        if self.max_runtime_seconds:
            text += f" (max {format_seconds(self.max_runtime_seconds)})"
        return text


def format_seconds(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s" if m else f"{s}s"


def status_from_describe(response: dict, now: datetime | None = None) -> JobStatus:
    """A JobStatus from a DescribeTrainingJob response. Pure: `now` is only used for running jobs."""
    now = now or datetime.now(timezone.utc)
    stopping = response.get("StoppingCondition") or {}
    status = response.get("TrainingJobStatus", "")
    created, started, ended = (response.get(k) for k in ("CreationTime", "TrainingStartTime", "TrainingEndTime"))
    begin = started or created
    finish = (ended or response.get("LastModifiedTime")) if status in TERMINAL else now
    elapsed = None
    if isinstance(begin, datetime) and isinstance(finish, datetime):
        elapsed = max(0.0, (_aware(finish) - _aware(begin)).total_seconds())
    transitions = tuple(Transition(t.get("Status", ""), t.get("StartTime"), t.get("EndTime"),
                                   t.get("StatusMessage", "")) for t in response.get("SecondaryStatusTransitions") or [])
    return JobStatus(
        name=response.get("TrainingJobName", ""), arn=response.get("TrainingJobArn", ""), status=status,
        secondary_status=response.get("SecondaryStatus", ""), transitions=transitions,
        failure_reason=response.get("FailureReason"),
        model_artifacts=(response.get("ModelArtifacts") or {}).get("S3ModelArtifacts"),
        creation_time=created, start_time=started, end_time=ended,
        max_runtime_seconds=stopping.get("MaxRuntimeInSeconds"),
        max_wait_seconds=stopping.get("MaxWaitTimeInSeconds"), elapsed_seconds=elapsed)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def job_status(name: str, target: Target | None = None, *, now: datetime | None = None, client=None) -> JobStatus:
    return status_from_describe(describe(name, target, client=client), now)


TRANSIENT = frozenset({"throttled", "timeout", "endpoint-unreachable", "server-error"})


def watch(name: str, target: Target | None = None, *, poll_seconds: float = 30.0,
          on_update: Callable[[JobStatus, list[Transition]], None] | None = None,
          sleep: Callable[[float], None] = time.sleep, clock: Callable[[], datetime] | None = None,
          max_transient_errors: int = 5, client=None) -> JobStatus:
    """Poll until the job reaches Completed, Failed or Stopped; return the final status.

    `on_update(status, new_transitions)` runs on the first poll and whenever the status, the
    secondary status or the transitions change. Up to `max_transient_errors` consecutive
    throttling/timeout/connection/5xx errors are ridden out (botocore already retried each).
    """
    sm = _sm(target, client)
    clock = clock or (lambda: datetime.now(timezone.utc))
    seen: tuple = ()
    last_key = None
    failures = 0
    while True:
        try:
            current = job_status(name, target, now=clock(), client=sm)
            failures = 0
        except AwsError as exc:
            failures += 1
            if exc.kind not in TRANSIENT or failures > max_transient_errors:
                raise
            sleep(poll_seconds)
            continue
        key = (current.status, current.secondary_status, current.transitions)
        if key != last_key:
            fresh = [t for t in current.transitions if t not in seen]
            seen = current.transitions
            last_key = key
            if on_update:
                on_update(current, fresh)
        if current.terminal:
            return current
        sleep(poll_seconds)


# --- translating errors ------------------------------------------------------------------------

_NOT_FOUND = re.compile(r"could not find|not found|does not exist|no such", re.I)
_ACCESS = {"AccessDenied", "AccessDeniedException", "UnrecognizedClientException", "InvalidClientTokenId",
           "SignatureDoesNotMatch", "NotAuthorized", "UnauthorizedOperation", "InvalidSignatureException"}
_EXPIRED = {"ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"}
_THROTTLE = {"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
             "ProvisionedThroughputExceededException", "SlowDown", "RequestThrottled",
             "RequestThrottledException", "BandwidthLimitExceeded", "EC2ThrottledException",
             "PriorRequestNotComplete", "ThrottledException"}
_CLOCK = {"RequestExpired", "RequestTimeTooSkewed", "SignatureExpired"}


def translate(exc: BaseException, *, target: Target | None = None, operation: str | None = None,
              client=None) -> AwsError:
    """Any botocore exception -> AwsError. Unknown exceptions become kind "other"."""
    from botocore import exceptions as be

    target = target or Target()
    op = operation or "the request"
    profile = target.profile
    login = f"aws sso login --profile {profile}" if profile else "aws sso login --profile NAME"
    configure = f"aws configure --profile {profile}" if profile else "aws configure"
    endpoint = getattr(exc, "kwargs", {}).get("endpoint_url") or target.endpoint_url or (
        getattr(getattr(client, "meta", None), "endpoint_url", None) if client is not None else None)
    region = (getattr(getattr(client, "meta", None), "region_name", None) if client is not None else None) \
        or target.region
    name = type(exc).__name__

    def err(kind, message, **kw):
        return AwsError(kind, message, code=kw.pop("code", name), operation=operation, detail=str(exc), **kw)

    if isinstance(exc, AwsError):
        return exc
    if isinstance(exc, be.ClientError):
        return _from_client_error(exc, target, op, operation, endpoint, region, login, configure)
    if isinstance(exc, be.NoCredentialsError):
        return err("no-credentials", "no AWS credentials found: run `aws configure` or "
                   f"`{login}`, or set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
    if isinstance(exc, be.PartialCredentialsError):
        kw = getattr(exc, "kwargs", {})
        return err("no-credentials", f"incomplete credentials in {kw.get('provider', 'the environment')}: "
                   f"{kw.get('cred_var', 'a value')} is missing; set both AWS_ACCESS_KEY_ID and "
                   f"AWS_SECRET_ACCESS_KEY, or unset them and use a profile (`{configure}`)")
    if isinstance(exc, be.ProfileNotFound):
        missing = getattr(exc, "kwargs", {}).get("profile") or profile
        known = known_profiles()
        hint = f" (profiles found: {', '.join(known)})" if known else " (no profiles are configured)"
        return err("no-credentials", f"no AWS profile named {missing!r} in ~/.aws/config or ~/.aws/credentials"
                   f"{hint}: run `aws configure --profile {missing}` or `aws configure sso`, or pick another "
                   "with --profile / AWS_PROFILE")
    if isinstance(exc, (be.TokenRetrievalError, be.SSOError, getattr(be, "LoginError", be.SSOError),
                        be.RefreshWithMFAUnsupportedError)):
        return err("expired-token", f"your AWS login has expired or is missing: run `{login}` "
                   "(or refresh your temporary credentials) and try again")
    if isinstance(exc, be.CredentialRetrievalError):
        provider = getattr(exc, "kwargs", {}).get("provider", "the credential provider")
        return err("no-credentials", f"could not get credentials from {provider}: "
                   f"{getattr(exc, 'kwargs', {}).get('error_msg', exc)}; check the profile "
                   f"(`aws configure list{' --profile ' + profile if profile else ''}`)")
    if isinstance(exc, be.NoRegionError):
        return err("unknown-region", "no AWS region is set: pass --region, set AWS_REGION "
                   "(or AWS_DEFAULT_REGION), or add `region = ...` to the profile")
    if isinstance(exc, (be.InvalidRegionError, be.UnknownRegionError, be.UnknownEndpointError)):
        bad = getattr(exc, "kwargs", {}).get("region_name") or region
        return err("unknown-region", f"{bad!r} is not a valid AWS region name (e.g. us-east-1, eu-west-1): "
                   "check --region / AWS_REGION")
    if isinstance(exc, (be.ConnectTimeoutError, be.ReadTimeoutError)):
        what = "connect" if isinstance(exc, be.ConnectTimeoutError) else "answer"
        return err("timeout", f"{endpoint or 'AWS'} did not {what} in time during {op}: the network may be slow "
                   "or blocked (VPN, proxy, firewall); try again")
    if isinstance(exc, (be.EndpointConnectionError, be.ConnectionClosedError, be.ProxyConnectionError,
                        be.SSLError, be.ConnectionError)):
        if not target.endpoint_url and region and not _known_region(region):
            return err("unknown-region", f"cannot reach SageMaker in region {region!r}, which botocore does not "
                       "know: check --region / AWS_REGION (e.g. us-east-1, eu-west-1)")
        local = " (is the local endpoint running?)" if target.endpoint_url else ""
        return err("endpoint-unreachable", f"cannot reach {endpoint or 'AWS'}{local}: check the network, VPN "
                   "or proxy settings and the endpoint URL, then try again")
    if isinstance(exc, be.CapacityNotAvailableError):
        return err("throttled", "too many failed attempts recently (botocore's retry quota is used up): "
                   "wait a minute and try again")
    if isinstance(exc, (be.ParamValidationError, be.ValidationError)):
        return err("validation", f"botocore refused the request before sending it: {exc}")
    return err("other", f"{op} failed: {exc}")


def _from_client_error(exc, target: Target, op: str, operation, endpoint, region, login, configure) -> AwsError:
    response = getattr(exc, "response", {}) or {}
    error = response.get("Error", {}) or {}
    code = str(error.get("Code", "") or "")
    text = str(error.get("Message", "") or "")
    status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
    if status is None and code.isdigit():
        status = int(code)
    attempts = (response.get("ResponseMetadata") or {}).get("RetryAttempts", 0)

    def err(kind, message, **kw):
        return AwsError(kind, message, code=code or None, http_status=status, operation=operation,
                        detail=text or str(exc), **kw)

    if code in _EXPIRED:
        return err("expired-token", f"your AWS session token has expired: run `{login}` (or refresh your "
                   "temporary credentials) and try again")
    if code in _CLOCK:
        return err("other", f"AWS rejected the request's timestamp ({code}): check that this computer's clock "
                   "is correct")
    if code in _ACCESS:
        if code in ("UnrecognizedClientException", "InvalidClientTokenId"):
            return err("access-denied", "AWS does not recognise these credentials (the access key is unknown or "
                       f"deleted): check them with `aws configure list` or run `{configure}`; {text}".rstrip("; "))
        if code in ("SignatureDoesNotMatch", "InvalidSignatureException"):
            return err("access-denied", "AWS rejected the request signature: the secret access key does not "
                       f"match the access key; run `{configure}`")
        need = {"CreateTrainingJob": "sagemaker:CreateTrainingJob, and iam:PassRole on the job's RoleArn"}.get(
            operation or "", f"sagemaker:{operation}" if operation else "the needed permission")
        return err("access-denied", f"AWS denied {op}: {text or code}. Ask your administrator for {need}, "
                   "or use a profile that has it (--profile)")
    if code in ("ResourceInUse", "ResourceInUseException"):
        return err("name-in-use", f"{text or 'the name is already in use'}: training job names can never be "
                   "reused: choose a new name")
    if code in ("ResourceNotFound", "ResourceNotFoundException", "NoSuchEntity") or (
            code == "ValidationException" and _NOT_FOUND.search(text) and not server_problems(text)):
        where = f" in {region}" if region else ""
        return err("not-found", f"not found{where}: {text or code}. Check the name, and --region / --profile")
    if code in _THROTTLE or status == 429:
        tries = f" (still after {attempts + 1} attempts)" if attempts else ""
        return err("throttled", f"AWS is throttling requests{tries}: wait a minute and try again")
    if code in ("ResourceLimitExceeded", "LimitExceededException", "ServiceQuotaExceededException"):
        return err("other", f"{text or code}. Ask for a higher quota in the Service Quotas console "
                   "(Amazon SageMaker) or choose another instance type / count")
    if code in ("ValidationException", "ValidationError", "InvalidParameterValue", "InvalidParameterException",
                "SerializationException", "MissingParameter"):
        problems = server_problems(text)
        return err("validation", f"AWS rejected the request: {text or code}", problems=problems)
    if status is not None and status >= 500 or code in ("InternalFailure", "InternalServerError",
                                                        "ServiceUnavailable", "InternalError"):
        shown = "" if text.lstrip().startswith("<") else f": {text}"
        if target.endpoint_url:
            return err("server-error", f"{target.endpoint_url} had an internal error (HTTP {status or code}) during "
                       f"{op}{shown}; a local or custom endpoint may not implement {operation or 'it'} "
                       "(moto does not implement StopTrainingJob)")
        return err("server-error", f"AWS had an internal error (HTTP {status or code}) during {op}{shown}; "
                   "try again in a minute")
    return err("other", f"{op} failed: {code}: {text}".rstrip(": "))


def known_profiles() -> list[str]:
    try:
        import botocore.session

        return sorted(botocore.session.Session().available_profiles)
    except Exception:  # noqa: BLE001
        return []


def _known_region(region: str) -> bool:
    try:
        import boto3

        session = boto3.session.Session()
        return any(region in session.get_available_regions("sagemaker", partition)
                   for partition in session.get_available_partitions())
    except Exception:  # noqa: BLE001
        return True  # cannot tell: do not blame the region


# --- server validation messages -> request paths ------------------------------------------------

_CLAUSE_AT = re.compile(r"\bat '([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*)' failed to satisfy constraint:\s*")
# A clause starts the message, or follows "N validation errors detected:" or the previous clause's "; ".
_VALUE_KEYWORD = re.compile(r"(?:^|(?<=[;:]))\s*(?P<kw>Value)\b")
_MAX_CONSTRAINT = 300


def server_problems(message: str) -> list[Problem]:
    """Problems for every `Value ... at 'a.b.1.member.c' failed to satisfy constraint: ...` clause."""
    if not message:
        return []
    matches = list(_CLAUSE_AT.finditer(message))
    problems: list[Problem] = []
    starts = []  # where each clause's "Value" keyword begins
    prev_end = 0
    for m in matches:
        keywords = list(_VALUE_KEYWORD.finditer(message, prev_end, m.start()))
        starts.append(keywords[-1].start("kw") if keywords else m.start())
        prev_end = m.end()
    for i, m in enumerate(matches):
        value_text = message[starts[i] + 5:m.start()].strip() if message.startswith("Value", starts[i]) else ""
        end = starts[i + 1] if i + 1 < len(matches) else len(message)
        constraint = message[m.end():end].strip().rstrip(";").strip()
        path = aws_path(m.group(1))
        text = f"rejected by AWS: {_shorten(constraint)}"
        value = _value(value_text)
        if value is not None:
            text += f" (value {value})"
        problems.append(Problem(path, text, ERROR, "aws.validation"))
    return problems


def _value(text: str) -> str | None:
    if not text or text == "null":
        return None
    if len(text) > 60:
        text = text[:57] + "..."
    return text if text.startswith(("'", "[", "{")) else repr(text)


def _shorten(constraint: str) -> str:
    if len(constraint) <= _MAX_CONSTRAINT:
        return constraint
    m = re.match(r"(.*?\[)(.*)(\].*)$", constraint, re.S)
    if m:
        items = [s.strip() for s in m.group(2).split(",")]
        kept, size = [], len(m.group(1))
        for item in items:
            if size + len(item) > _MAX_CONSTRAINT - 40:
                break
            kept.append(item)
            size += len(item) + 2
        return f"{m.group(1)}{', '.join(kept)}, ... {len(items) - len(kept)} more{m.group(3)}"
    return constraint[:_MAX_CONSTRAINT - 3] + "..."


def aws_path(text: str) -> Path:
    """`inputDataConfig.1.member.dataSource` -> ("InputDataConfig", 0, "DataSource") via the schema.

    Indices are 1-based in AWS messages (see the module docstring); `member` marks a list
    element and is dropped. Unmatched segments end the path at the longest matched prefix.
    """
    from smjob.schema import request_schema

    node = request_schema()
    segs = text.split(".")
    out: list = []
    i = 0
    while i < len(segs) and node is not None:
        seg = segs[i]
        if node.kind == "list":
            if seg == "member" and i + 1 < len(segs) and segs[i + 1].isdigit():
                seg = segs[i + 1]
                i += 1
            if not seg.isdigit():
                break
            out.append(max(int(seg) - 1, 0))
            node = node.item
            i += 1
            if i < len(segs) and segs[i] == "member":
                i += 1
            continue
        if node.kind == "map":  # AWS reports map problems at the map itself; a key here is taken literally
            out.append(seg)
            node = node.value
            i += 1
            continue
        if node.kind != "structure":
            break
        member = next((m for m in node.members if m.name.lower() == seg.lower()), None)
        if member is None:
            break
        out.append(member.name)
        node = member
        i += 1
    return tuple(out)
