"""smjob's own per-profile defaults for a new job (`smjob defaults list|set|unset`), for what the
SDK's config.yaml does not cover: output path, tags, instance type, channels...

Stored in the data directory as defaults.json (0600): {"profiles": {PROFILE: {PATH: VALUE}}},
PATH as smjob prints paths (`ResourceConfig.InstanceType`, `InputDataConfig[0].ChannelName`).
A profile without its own value uses the "default" profile's. They act as values the user gave:
what you set in smjob wins over what the team's file says, whose Tags are appended by Key.
A file that cannot be used is reported and kept, and moved aside by the next `smjob defaults set`
(smjob.files.StateFile), never written over.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from smjob.files import StateFile, UnreadableFile, json_object
from smjob.paths import FieldPath, format_path, parse_path

FILE = "defaults.json"
DEFAULT_PROFILE = "default"


class DefaultsError(ValueError):
    pass


def path_of() -> Path:
    from smjob.drafts import data_dir

    return data_dir() / FILE


def _check(data) -> None:
    profiles = json_object(data).get("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(v, dict) for v in profiles.values()):
        raise ValueError('"profiles" is not a mapping of profile names to {field path: value}')


def _file() -> StateFile:
    return StateFile(path_of(), "defaults file", "`smjob defaults set PATH VALUE` (or Save as my default)", _check)


def _read() -> dict:
    """The profiles; smjob.files.UnreadableFile when the file cannot be used."""
    return (_file().read() or {}).get("profiles", {})


def listing(profile: str | None = None) -> dict[str, dict]:
    profiles = _read()
    if profile is not None:
        return {profile: profiles.get(profile, {})}
    return profiles


def check_path(text: str):
    from smjob.schema import request_schema

    try:
        path = parse_path(text)
    except ValueError as exc:
        raise DefaultsError(str(exc)) from None
    if not path or request_schema().at(path) is None:
        raise DefaultsError(f"{text!r} is not a field of CreateTrainingJob (see `smjob fields`)")
    return path


def parse_value(text: str):
    """JSON if it parses (numbers, true, lists, objects), else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def set_default(path_text: str, value, profile: str | None = None) -> tuple[str, str | None]:
    """(the path as stored, a note when the file could not be used and was moved aside first)."""
    path = check_path(path_text)
    state = _file()
    data, note = state.read_for_update()
    data = {**(data or {}), "format": 1}  # other keys (a newer smjob's) are kept
    data.setdefault("profiles", {}).setdefault(profile or DEFAULT_PROFILE, {})[format_path(path)] = value
    state.write(data)
    return format_path(path), note


def unset_default(path_text: str, profile: str | None = None) -> bool:
    key = format_path(check_path(path_text))
    state = _file()
    data = state.read() or {}  # a file that cannot be used is reported: there is nothing to unset in it
    found = data.get("profiles", {}).get(profile or DEFAULT_PROFILE, {}).pop(key, None) is not None
    if found:
        state.write(data)
    return found


def for_profile(profile: str | None) -> tuple[dict, dict]:
    """(values by request path, sources by request path) for a new job under `profile`."""
    profiles = _read()
    values, sources = {}, {}
    for name in dict.fromkeys([DEFAULT_PROFILE, profile or DEFAULT_PROFILE]):
        for key, value in (profiles.get(name) or {}).items():
            try:
                path = parse_path(key)
            except ValueError:
                continue
            values[path] = value
            sources[path] = f"smjob defaults ({name})"
    return values, sources


@dataclass
class NewJob:
    request: dict
    sources: dict[FieldPath, str]  # each filled field -> "smjob defaults (PROFILE)" or the config.yaml path
    messages: list[str]  # bad files and stores, each naming the file (and line); they were ignored

    @property
    def notes(self) -> list[str]:
        from smjob.sdk_config import describe

        return describe(self.sources)


def new_job(profile: str | None = None, env=None) -> NewJob:
    """The app's and `smjob new`'s new job: the skeleton, smjob's own defaults for `profile`, then
    the SDK's config.yaml where those leave a field unset (read now: call it when a job is made)."""
    from smjob import sdk_config
    from smjob.skeleton import skeleton

    sdk = sdk_config.load(env)
    messages = list(sdk.messages)
    try:
        values, sources = for_profile(profile)
    except UnreadableFile as exc:
        values, sources = {}, {}
        messages.append(f"{exc} (not applied to this job)")
    # smjob's defaults are the user's own choices, so they play the part of values given in code:
    # the SDK's file fills only what they leave unset, and appends its Tags by Key (its own rule).
    request, filled = _apply_own(skeleton(), values, sources)
    request, from_sdk = sdk_config.apply(request, sdk.values, sdk.sources)
    filled.update(from_sdk)
    return NewJob(request, filled, messages)


def _apply_own(request: dict, values: dict, sources: dict):
    import copy

    from smjob.editing import set_at

    out = copy.deepcopy(request)
    filled = {}
    for path, value in values.items():
        try:
            set_at(out, path, copy.deepcopy(value))
        except (TypeError, ValueError, AttributeError, IndexError, KeyError):
            continue  # a stored path that no longer fits the request: skip, never fail a new job
        filled[path] = sources[path]
    return out, filled
