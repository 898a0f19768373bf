"""Hiding secret-looking Environment values on screen. Pure: nothing here touches files or the UI.

`mask_secrets(request)` returns a copy whose `Environment` values are replaced by MASK when the
variable's name looks secret. It is for what is *shown* (the preview, history views); exports,
copies and submissions use the request itself and must stay exact.

A name looks secret when one of its word parts (split on anything not a letter or digit, and at
lower->Upper changes: `dbPassword` -> db, Password) does, ignoring case:
- contains PASSWORD, PASSWD, SECRET, CREDENTIAL or PRIVATE (DB_PASSWORD, AWS_SECRET_ACCESS_KEY,
  GOOGLE_APPLICATION_CREDENTIALS, PRIVATE_KEY_PEM);
- is or ends with TOKEN or KEY, or their plurals (HF_TOKEN, AUTHTOKEN, API_KEY, APIKEY, apiKey);
- is PASS (DB_PASS).
So TOKENIZERS_PARALLELISM and KEYBOARD_LAYOUT are shown (the part only *starts* with TOKEN/KEY),
while the rare MONKEY_MODE is hidden (a false positive only hides a value on screen).
Only non-empty values are masked: an empty value reveals nothing.
"""

from __future__ import annotations

import copy
import re

MASK = "********"
_CONTAINS = ("PASSWORD", "PASSWD", "SECRET", "CREDENTIAL", "PRIVATE")
_ENDS = ("TOKEN", "TOKENS", "KEY", "KEYS")
_WHOLE = ("PASS",)
_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def name_parts(name: str) -> list[str]:
    """`AWS_SECRET_ACCESS_KEY` -> [AWS, SECRET, ACCESS, KEY]; `dbPassword` -> [DB, PASSWORD]."""
    return [p.upper() for p in _PARTS.findall(name)]


def looks_secret(name: str) -> bool:
    if not isinstance(name, str):
        return False
    for part in name_parts(name):
        if any(word in part for word in _CONTAINS) or part.endswith(_ENDS) or part in _WHOLE:
            return True
    return False


def mask_secrets(request: dict) -> dict:
    """`request` with secret-looking Environment values replaced by MASK; the argument is not changed.

    Only the top level and Environment are copied (the rest is shared, read-only): the preview
    calls this on every keystroke, and a deep copy of the largest request took ~3 ms.
    """
    if not isinstance(request, dict):
        return copy.deepcopy(request)
    out = dict(request)
    env = out.get("Environment")
    if isinstance(env, dict):
        out["Environment"] = {
            name: MASK if looks_secret(name) and value not in ("", None) else value for name, value in env.items()
        }
    return out


def mask_changes(changes) -> list:
    """smjob.diff Changes with secret-looking Environment values masked on both sides. A changed
    secret still shows as a change (`******** -> ********`), without either value."""
    import dataclasses

    return [dataclasses.replace(c, old=_mask_at(c.path, c.old), new=_mask_at(c.path, c.new)) for c in changes]


def _mask_at(path: tuple, value):
    if value in ("", None):
        return value
    if path == ():
        return mask_secrets(value) if isinstance(value, dict) else value
    if path[0] != "Environment":
        return value
    if len(path) == 1:
        return mask_secrets({"Environment": value})["Environment"]
    return MASK if len(path) == 2 and looks_secret(path[1]) else value
