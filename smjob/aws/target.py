"""Where requests go: profile, region and endpoint."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Target:
    """Where requests go. Deliberately has no credential fields: those stay with botocore."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None

    @property
    def label(self) -> str:
        parts = [
            f"profile {self.profile}" if self.profile else "default credentials",
            f"region {self.region}" if self.region else "default region",
        ]
        if self.endpoint_url:
            parts.append(f"endpoint {self.endpoint_url}")
        return ", ".join(parts)

    @property
    def region_label(self) -> str:
        """The shortest form, when the status line is short of room: the region, "…" if there is more."""
        return (self.region or "default region") + (" …" if self.profile or self.endpoint_url else "")

    @property
    def short_label(self) -> str:
        """E.g. "us-east-1 · ml-prod · 127.0.0.1:5000" for the status bar (no account: no call made)."""
        from urllib.parse import urlsplit

        parts = [self.region or "default region"]
        if self.profile:
            parts.append(self.profile)
        if self.endpoint_url:
            host = urlsplit(self.endpoint_url).netloc.rpartition("@")[2]  # never a password on screen
            parts.append(host or self.endpoint_url)
        return " · ".join(parts)


def configured_region(profile: str | None = None) -> str | None:
    """The region botocore would resolve for `profile`, read without importing botocore (its session
    costs about 20 MiB, too much for the status line's cost): AWS_DEFAULT_REGION, else `region` of the
    profile (argument, AWS_PROFILE, AWS_DEFAULT_PROFILE, or default) in AWS_CONFIG_FILE or
    ~/.aws/config. botocore has no other source for the region; a test compares the two."""
    import configparser
    import os
    from pathlib import Path

    if os.environ.get("AWS_DEFAULT_REGION"):
        return os.environ["AWS_DEFAULT_REGION"]
    name = profile or os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE") or "default"
    config = configparser.RawConfigParser()
    try:
        config.read(Path(os.environ.get("AWS_CONFIG_FILE") or "~/.aws/config").expanduser(), encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return None  # botocore would refuse the file too; calls made later will say why
    for section in (f"profile {name}", name) if name != "default" else ("default", "profile default"):
        if config.has_option(section, "region"):
            return config.get(section, "region").strip() or None
    return None
