"""smjob's settings: a small JSON file in the data directory (settings.json, mode 0600).

Guard rails: `max_estimated_cost` (USD, the estimate's upper bound) and `max_instance_count`.
Going over one is a warning in the submit confirmation (focus on Cancel) and makes the headless
`smjob submit` refuse without `--yes`. An unknown price with a cost limit set is a warning too:
the limit cannot be checked.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

SETTINGS_NAME = "settings.json"
KNOWN = {
    "max_estimated_cost": "warn when the estimated cost upper bound (USD) is above this",
    "max_instance_count": "warn when the request asks for more instances than this",
}


class SettingsError(ValueError):
    pass


def settings_path() -> Path:
    from smjob.drafts import data_dir

    return data_dir() / SETTINGS_NAME


def load() -> dict:
    """The settings; {} when there is no file or it is unreadable (guard rails then are off)."""
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if k in KNOWN} if isinstance(data, dict) else {}


def parse_value(key: str, text: str) -> float | int | None:
    if key not in KNOWN:
        raise SettingsError(f"no setting {key!r}; settings: {', '.join(KNOWN)}")
    if text.strip().lower() in ("", "none", "off", "unset"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{key} takes a number (or 'off'), not {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise SettingsError(f"{key} takes a finite number of at least 0, not {text!r}")
    return int(value) if key == "max_instance_count" or value.is_integer() else value


def set_value(key: str, text: str) -> dict:
    from smjob.files import write_private

    value = parse_value(key, text)
    settings = load()
    if value is None:
        settings.pop(key, None)
    else:
        settings[key] = value
    write_private(settings_path(), json.dumps(settings, indent=1, sort_keys=True) + "\n")
    return settings


def guard_rail_warnings(estimate, settings: dict | None = None) -> list[str]:
    """Warnings for an smjob.pricing.Estimate against the guard rails (empty when within them)."""
    settings = load() if settings is None else settings
    out = []
    limit = settings.get("max_instance_count")
    if isinstance(limit, int | float) and estimate.instance_count > limit:
        out.append(f"{estimate.instance_count} instances, over your limit of {limit:g} (max_instance_count)")
    limit = settings.get("max_estimated_cost")
    if isinstance(limit, int | float):
        total = estimate.total_usd
        if total is None:
            out.append(f"the cost cannot be estimated (price unknown), so your limit of ${limit:,.2f} is unchecked")
        elif total > limit:
            out.append(f"up to ${total:,.2f}, over your limit of ${limit:,.2f} (max_estimated_cost)")
    return out
