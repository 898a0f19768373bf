"""AwsError and its kinds, and translate(): any botocore exception -> an AwsError that says what to do."""

from __future__ import annotations

import re

from smjob.aws.server_messages import server_problems
from smjob.aws.target import Target
from smjob.problems import Problem

KINDS = (
    "no-credentials",
    "expired-token",
    "access-denied",
    "unknown-region",
    "endpoint-unreachable",
    "timeout",
    "name-in-use",
    "validation",
    "throttled",
    "server-error",
    "not-found",
    "other",
)


class AwsError(Exception):
    """Anything that went wrong talking to AWS, classified; `message` says what to do."""

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        problems: list[Problem] | None = None,
        code: str | None = None,
        http_status: int | None = None,
        operation: str | None = None,
        detail: str | None = None,
    ) -> None:
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


_NOT_FOUND = re.compile(r"could not find|not found|does not exist|no such", re.I)
_ACCESS = {
    "AccessDenied",
    "AccessDeniedException",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "NotAuthorized",
    "UnauthorizedOperation",
    "InvalidSignatureException",
}
_EXPIRED = {"ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"}
_THROTTLE = {
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
    "SlowDown",
    "RequestThrottled",
    "RequestThrottledException",
    "BandwidthLimitExceeded",
    "EC2ThrottledException",
    "PriorRequestNotComplete",
    "ThrottledException",
}
_CLOCK = {"RequestExpired", "RequestTimeTooSkewed", "SignatureExpired"}

# An HTML page where an AWS error was expected (a proxy, a load balancer, moto's 500 page): at the start
# of the text, of a line, after a `:`, or of a bytes repr (botocore's "invalid XML received: b'<!doctype ...").
_PAGE = re.compile(r"(?:^|[:\n])\s*(?:b['\"])?(?:\s|\\[nrt])*<(?:!doctype\s+html|html[\s>])", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.I | re.S)


def html_page(text, status: int | None = None) -> str | None:
    """A short plain sentence when `text` (str, bytes, or a message quoting either) is an HTML page
    rather than an AWS error, e.g. "the endpoint answered HTTP 500 Internal Server Error (an HTML page,
    not an AWS error)"; None for anything else. Only the page's <title> (or the status) is kept."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    if not isinstance(text, str) or not _PAGE.search(text):
        return None
    import html  # only for a page: html.entities is not loaded otherwise

    from smjob.terminal_text import visible

    m = _TITLE.search(text)
    title = re.sub(r"(?:\s|\\[nrt])+", " ", html.unescape(m[1])).strip() if m else ""
    title = visible(title)
    if len(title) > 60:
        title = title[:59] + "…"
    if re.match(r"\d{3}\b", title):
        what = f"HTTP {title}"  # "500 Internal Server Error"
    elif status and title:
        what = f"HTTP {status} ({title})"
    elif status:
        what = f"HTTP {status}"
    elif title:
        what = f"a page titled “{title}”"
    else:
        return "the endpoint answered with an HTML page, not an AWS error"
    return f"the endpoint answered {what} (an HTML page, not an AWS error)"


def _status_of(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode") if isinstance(response, dict) else None
    return status if isinstance(status, int) else None


def exception_text(exc: BaseException) -> str:
    """str(exc), except that an HTML page in it (or in a ClientError's message) becomes html_page's sentence."""
    response = getattr(exc, "response", None)
    message = (response.get("Error") or {}).get("Message") if isinstance(response, dict) else None
    return html_page(message, _status_of(exc)) or html_page(str(exc), _status_of(exc)) or str(exc)


def translate(
    exc: BaseException, *, target: Target | None = None, operation: str | None = None, client=None
) -> AwsError:
    """Any botocore exception -> AwsError. Unknown exceptions become kind "other"."""
    from botocore import exceptions as be

    target = target or Target()
    op = operation or "the request"
    profile = target.profile
    login = f"aws sso login --profile {profile}" if profile else "aws sso login --profile NAME"
    configure = f"aws configure --profile {profile}" if profile else "aws configure"
    endpoint = (
        getattr(exc, "kwargs", {}).get("endpoint_url")
        or target.endpoint_url
        or (getattr(getattr(client, "meta", None), "endpoint_url", None) if client is not None else None)
    )
    region = (
        getattr(getattr(client, "meta", None), "region_name", None) if client is not None else None
    ) or target.region
    name = type(exc).__name__

    def err(kind, message, **kw):
        return AwsError(kind, message, code=kw.pop("code", name), operation=operation, detail=str(exc), **kw)

    if isinstance(exc, AwsError):
        return exc
    if isinstance(exc, be.ClientError):
        return _from_client_error(exc, target, op, operation, endpoint, region, login, configure)
    if isinstance(exc, be.NoCredentialsError):
        return err(
            "no-credentials",
            "no AWS credentials found: run `aws configure` or "
            f"`{login}`, or set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
        )
    if isinstance(exc, be.PartialCredentialsError):
        kw = getattr(exc, "kwargs", {})
        return err(
            "no-credentials",
            f"incomplete credentials in {kw.get('provider', 'the environment')}: "
            f"{kw.get('cred_var', 'a value')} is missing; set both AWS_ACCESS_KEY_ID and "
            f"AWS_SECRET_ACCESS_KEY, or unset them and use a profile (`{configure}`)",
        )
    if isinstance(exc, be.ProfileNotFound):
        missing = getattr(exc, "kwargs", {}).get("profile") or profile
        known = known_profiles()
        hint = f" (profiles found: {', '.join(known)})" if known else " (no profiles are configured)"
        return err(
            "no-credentials",
            f"no AWS profile named {missing!r} in ~/.aws/config or ~/.aws/credentials"
            f"{hint}: run `aws configure --profile {missing}` or `aws configure sso`, or pick another "
            "with --profile / AWS_PROFILE",
        )
    if isinstance(
        exc,
        (
            be.TokenRetrievalError,
            be.SSOError,
            getattr(be, "LoginError", be.SSOError),
            be.RefreshWithMFAUnsupportedError,
        ),
    ):
        return err(
            "expired-token",
            f"your AWS login has expired or is missing: run `{login}` "
            "(or refresh your temporary credentials) and try again",
        )
    if isinstance(exc, be.CredentialRetrievalError):
        provider = getattr(exc, "kwargs", {}).get("provider", "the credential provider")
        return err(
            "no-credentials",
            f"could not get credentials from {provider}: "
            f"{getattr(exc, 'kwargs', {}).get('error_msg', exc)}; check the profile "
            f"(`aws configure list{' --profile ' + profile if profile else ''}`)",
        )
    if isinstance(exc, be.NoRegionError):
        return err(
            "unknown-region",
            "no AWS region is set: pass --region, set AWS_REGION "
            "(or AWS_DEFAULT_REGION), or add `region = ...` to the profile",
        )
    if isinstance(exc, (be.InvalidRegionError, be.UnknownRegionError, be.UnknownEndpointError)):
        bad = getattr(exc, "kwargs", {}).get("region_name") or region
        return err(
            "unknown-region",
            f"{bad!r} is not a valid AWS region name (e.g. us-east-1, eu-west-1): check --region / AWS_REGION",
        )
    if isinstance(exc, (be.ConnectTimeoutError, be.ReadTimeoutError)):
        what = "connect" if isinstance(exc, be.ConnectTimeoutError) else "answer"
        return err(
            "timeout",
            f"{endpoint or 'AWS'} did not {what} in time during {op}: the network may be slow "
            "or blocked (VPN, proxy, firewall); try again",
        )
    if isinstance(
        exc,
        (
            be.EndpointConnectionError,
            be.ConnectionClosedError,
            be.ProxyConnectionError,
            be.SSLError,
            be.ConnectionError,
        ),
    ):
        if not target.endpoint_url and region and not _known_region(region):
            return err(
                "unknown-region",
                f"cannot reach SageMaker in region {region!r}, which botocore does not "
                "know: check --region / AWS_REGION (e.g. us-east-1, eu-west-1)",
            )
        local = " (is the local endpoint running?)" if target.endpoint_url else ""
        return err(
            "endpoint-unreachable",
            f"cannot reach {endpoint or 'AWS'}{local}: check the network, VPN "
            "or proxy settings and the endpoint URL, then try again",
        )
    if isinstance(exc, be.CapacityNotAvailableError):
        return err(
            "throttled",
            "too many failed attempts recently (botocore's retry quota is used up): wait a minute and try again",
        )
    if isinstance(exc, (be.ParamValidationError, be.ValidationError)):
        return err("validation", f"botocore refused the request before sending it: {exc}")
    return err("other", f"{op} failed: {exception_text(exc)}")


def _from_client_error(exc, target: Target, op: str, operation, endpoint, region, login, configure) -> AwsError:
    response = getattr(exc, "response", {}) or {}
    error = response.get("Error", {}) or {}
    code = str(error.get("Code", "") or "")
    raw = text = str(error.get("Message", "") or "")
    status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
    if status is None and code.isdigit():
        status = int(code)
    page = html_page(text, status)
    text = page or text  # every message below says the sentence, never the markup
    attempts = (response.get("ResponseMetadata") or {}).get("RetryAttempts", 0)

    def err(kind, message, **kw):
        return AwsError(
            kind, message, code=code or None, http_status=status, operation=operation, detail=raw or str(exc), **kw
        )

    if code in _EXPIRED:
        return err(
            "expired-token",
            f"your AWS session token has expired: run `{login}` (or refresh your temporary credentials) and try again",
        )
    if code in _CLOCK:
        return err(
            "other", f"AWS rejected the request's timestamp ({code}): check that this computer's clock is correct"
        )
    if code in _ACCESS:
        if code in ("UnrecognizedClientException", "InvalidClientTokenId"):
            return err(
                "access-denied",
                "AWS does not recognise these credentials (the access key is unknown or "
                f"deleted): check them with `aws configure list` or run `{configure}`; {text}".rstrip("; "),
            )
        if code in ("SignatureDoesNotMatch", "InvalidSignatureException"):
            return err(
                "access-denied",
                "AWS rejected the request signature: the secret access key does not "
                f"match the access key; run `{configure}`",
            )
        need = {"CreateTrainingJob": "sagemaker:CreateTrainingJob, and iam:PassRole on the job's RoleArn"}.get(
            operation or "", f"sagemaker:{operation}" if operation else "the needed permission"
        )
        return err(
            "access-denied",
            f"AWS denied {op}: {text or code}. Ask your administrator for {need}, "
            "or use a profile that has it (--profile)",
        )
    if code in ("ResourceInUse", "ResourceInUseException"):
        return err(
            "name-in-use",
            f"{text or 'the name is already in use'}: training job names can never be reused: choose a new name",
        )
    if code in ("ResourceNotFound", "ResourceNotFoundException", "NoSuchEntity") or (
        code == "ValidationException" and _NOT_FOUND.search(text) and not server_problems(text)
    ):
        where = f" in {region}" if region else ""
        return err("not-found", f"not found{where}: {text or code}. Check the name, and --region / --profile")
    if code in _THROTTLE or status == 429:
        tries = f" (still after {attempts + 1} attempts)" if attempts else ""
        return err("throttled", f"AWS is throttling requests{tries}: wait a minute and try again")
    if code in ("ResourceLimitExceeded", "LimitExceededException", "ServiceQuotaExceededException"):
        return err(
            "other",
            f"{text or code}. Ask for a higher quota in the Service Quotas console "
            "(Amazon SageMaker) or choose another instance type / count",
        )
    if code in (
        "ValidationException",
        "ValidationError",
        "InvalidParameterValue",
        "InvalidParameterException",
        "SerializationException",
        "MissingParameter",
    ):
        problems = server_problems(text)
        return err("validation", f"AWS rejected the request: {text or code}", problems=problems)
    if (status is not None and status >= 500) or code in (
        "InternalFailure",
        "InternalServerError",
        "ServiceUnavailable",
        "InternalError",
    ):
        shown = "" if page or text.lstrip().startswith("<") else f": {text}"  # HTTP 500 says it already
        if target.endpoint_url:
            return err(
                "server-error",
                f"{target.endpoint_url} had an internal error (HTTP {status or code}) during "
                f"{op}{shown}; a local or custom endpoint may not implement {operation or 'it'} "
                "(moto does not implement StopTrainingJob)",
            )
        return err(
            "server-error",
            f"AWS had an internal error (HTTP {status or code}) during {op}{shown}; try again in a minute",
        )
    return err("other", f"{op} failed: {code}: {text}".rstrip(": "))


def known_profiles() -> list[str]:
    try:
        import botocore.session

        return sorted(botocore.session.Session().available_profiles)
    except Exception:
        return []


def _known_region(region: str) -> bool:
    try:
        import boto3

        session = boto3.session.Session()
        return any(
            region in session.get_available_regions("sagemaker", partition)
            for partition in session.get_available_partitions()
        )
    except Exception:
        return True  # cannot tell: do not blame the region
