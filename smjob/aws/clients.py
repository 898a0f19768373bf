"""botocore clients and sessions, and calling an operation with its errors translated.

Retries: clients use botocore's "standard" mode (2 retries, so at most 3 attempts, on throttling,
5xx and connection errors, exponential backoff with jitter), a 5 s connect timeout and a 30 s read
timeout: a server that accepts and never answers costs at most 3 x 30 s plus the backoff (under
2 minutes) per call, where the old 5 retries meant 3 minutes of silence. All three are parameters
of `client()` so tests and the UI can lower them; smjob.aws.progress shows the attempts.
"""

from __future__ import annotations

import os

from smjob.aws.errors import translate
from smjob.aws.target import Target

DEFAULT_RETRIES = 2  # 3 attempts in all
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 30.0


def client(
    target: Target | None = None,
    *,
    service: str = "sagemaker",
    retries: int = DEFAULT_RETRIES,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    read_timeout: float = DEFAULT_READ_TIMEOUT,
):
    """A botocore client for `target`. `retries` counts retries after the first attempt (0 = one try)."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError

    target = target or Target()
    config = Config(
        retries={"mode": "standard", "max_attempts": retries},
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        user_agent_extra="smjob",
    )
    try:
        session = boto3.session.Session(
            profile_name=target.profile, region_name=target.region, botocore_session=botocore_session()
        )
        return session.client(service, endpoint_url=target.endpoint_url, config=config)
    except BotoCoreError as exc:
        raise translate(exc, target=target, operation=f"creating the {service} client") from exc


_LOADER = None


def botocore_session():
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

        session = boto3.session.Session(
            profile_name=target.profile, region_name=target.region, botocore_session=botocore_session()
        )
        profile = target.profile or (session.profile_name if session.profile_name != "default" else None)
        return Target(profile, target.region or session.region_name, target.endpoint_url)
    except Exception:
        return target


def service_endpoint(service: str, target: Target | None) -> str | None:
    """A service-specific AWS_ENDPOINT_URL_<SERVICE> wins over the target's endpoint: the tests point
    Service Quotas at a local server while everything else goes to moto."""
    env = "AWS_ENDPOINT_URL_" + service.upper().replace("-", "_")
    return os.environ.get(env) or (target.endpoint_url if target else None)


def client_for(target: Target | None, given):
    """`given`, or a new client for `target` (operations take an optional client to reuse)."""
    return given if given is not None else client(target)


def target_of(sm, target: Target | None) -> Target:
    """The target with the region and endpoint botocore actually resolved."""
    target = resolve(target)
    region = getattr(sm.meta, "region_name", None) or target.region
    return Target(target.profile, region, target.endpoint_url)


def call(sm, operation: str, target: Target | None, **params):
    from botocore import xform_name
    from botocore.exceptions import BotoCoreError, ClientError
    from botocore.parsers import ResponseParserError  # not a BotoCoreError: e.g. an HTML page for XML

    method = getattr(sm, xform_name(operation))
    try:
        return method(**params)
    except (ClientError, BotoCoreError, ResponseParserError) as exc:
        raise translate(exc, target=target, operation=operation, client=sm) from exc
