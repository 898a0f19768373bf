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
