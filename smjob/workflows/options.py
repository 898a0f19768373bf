"""Options checked before anything is sent, and what of a target may be recorded."""

from __future__ import annotations

import math
from urllib.parse import urlsplit, urlunsplit

from smjob.aws.target import Target


class OptionError(ValueError):
    """A user-given option that cannot be used; the message says what is wrong and what is expected."""


def check_endpoint_url(text: str) -> str:
    """`text` when it is an http(s) URL with a host (and a valid port), else OptionError."""
    url = text.strip()
    shown = repr(text)
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise OptionError(f"endpoint URL {shown} is empty or contains spaces or control characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as exc:
        raise OptionError(f"endpoint URL {shown} cannot be parsed ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise OptionError(f"endpoint URL {shown} must start with http:// or https://, e.g. http://127.0.0.1:5000")
    if not parts.hostname:
        raise OptionError(f"endpoint URL {shown} has no host, e.g. http://127.0.0.1:5000")
    return url


def poll_seconds(text: str) -> float:
    """A finite number of seconds greater than 0 (not nan, inf, 0 or negative)."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise OptionError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise OptionError(f"{text!r} must be a finite number of seconds greater than 0, e.g. 30 or 0.5")
    return value


def without_userinfo(url: str | None) -> str | None:
    """The URL without `user:password@`: history and screens must never hold credentials."""
    if not url or "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.rsplit("@", 1)[-1]  # unparsable: drop everything up to the last '@'
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def recordable_target(target: Target | None) -> Target | None:
    if target is None or not target.endpoint_url:
        return target
    return Target(target.profile, target.region, without_userinfo(target.endpoint_url))
