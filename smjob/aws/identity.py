"""Who the credentials belong to (STS GetCallerIdentity), best effort."""

from __future__ import annotations

from dataclasses import dataclass

from smjob.aws.clients import botocore_session, call, client
from smjob.aws.errors import AwsError, exception_text
from smjob.aws.target import Target


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
        where = ", ".join(
            p
            for p in (
                f"profile {self.profile}" if self.profile else "",
                f"{self.credential_source} credentials" if self.credential_source else "",
                f"region {self.region}" if self.region else "no region",
                f"endpoint {self.endpoint_url}" if self.endpoint_url else "",
            )
            if p
        )
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

        session = boto3.session.Session(
            profile_name=target.profile, region_name=target.region, botocore_session=botocore_session()
        )
        profile = target.profile or (session.profile_name if session.profile_name != "default" else None)
        region = session.region_name or target.region
        creds = session.get_credentials()
        source = getattr(creds, "method", None) if creds is not None else None
    except Exception:
        pass
    try:
        sts = client(target, service="sts", retries=0, connect_timeout=min(timeout, 3.0), read_timeout=timeout)
        answer = call(sts, "GetCallerIdentity", target)
        return Identity(profile, region, target.endpoint_url, answer.get("Account"), answer.get("Arn"), source)
    except AwsError as exc:
        return Identity(profile, region, target.endpoint_url, credential_source=source, error=exc.message)
    except Exception as exc:
        return Identity(profile, region, target.endpoint_url, credential_source=source, error=exception_text(exc))
