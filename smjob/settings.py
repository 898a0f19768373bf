"""smjob's settings: a small JSON file in the data directory (settings.json, mode 0600).

Guard rails: `max_estimated_cost` (USD, the estimate's upper bound) and `max_instance_count`.
Going over one is a warning in the submit confirmation (focus on Cancel) and makes the headless
`smjob submit` refuse without `--yes`. An unknown price with a cost limit set is a warning too:
the limit cannot be checked. So is a settings file that cannot be read (smjob.files.StateFile:
it is reported, kept, and moved aside by the next `smjob settings set`, never written over).
"""

from __future__ import annotations

import math
from pathlib import Path

from smjob.files import StateFile, UnreadableFile, json_object

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


def _check(data) -> None:
    for key, value in json_object(data).items():
        if key in KNOWN and not _is_limit(value):
            raise ValueError(f"{key} is {value!r}, not a number of at least 0")


def _is_limit(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0


def _file() -> StateFile:
    return StateFile(settings_path(), "settings file", "`smjob settings set KEY VALUE`", _check)


def load() -> dict:
    """The settings ({} when there is no file); smjob.files.UnreadableFile when it cannot be used."""
    return {k: v for k, v in (_file().read() or {}).items() if k in KNOWN}


def load_checked() -> tuple[dict, list[str]]:
    """(settings, warnings): a file that cannot be used is a warning, since the guard rails it holds
    cannot be checked, never a reason to fail."""
    try:
        return load(), []
    except UnreadableFile as exc:
        return {}, [f"your guard rails cannot be checked: {exc}"]


def parse_value(key: str, text: str) -> float | int | None:
    if key not in KNOWN:
        raise SettingsError(f"no setting {key!r}; settings: {', '.join(KNOWN)}")
    if text.strip().lower() in ("", "none", "off", "unset"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{key} takes a number (or 'off'), not {text!r}") from None
    if not _is_limit(value):
        raise SettingsError(f"{key} takes a finite number of at least 0, not {text!r}")
    return int(value) if key == "max_instance_count" or value.is_integer() else value


def set_value(key: str, text: str) -> str | None:
    """Set (or with 'off' remove) a setting; keys this version does not know are kept. Returns a note
    when the file could not be used and was moved aside first (see StateFile)."""
    value = parse_value(key, text)
    state = _file()
    settings, note = state.read_for_update()
    settings = settings or {}
    if value is None:
        settings.pop(key, None)
    else:
        settings[key] = value
    state.write(settings)
    return note


def guard_rail_warnings(estimate, settings: dict | None = None) -> list[str]:
    """Warnings for an smjob.pricing.Estimate against the guard rails (empty when within them)."""
    out = []
    if settings is None:
        settings, out = load_checked()
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
