"""Rule overrides that travel with a request in drafts and history, as smjob metadata.

A stored record is the request with one extra key, META_KEY, that no API member can be named
(members are PascalCase identifiers, never with a colon): {"smjob:meta": {"ignore_rules": [...]}}.
It is written only when there is something to keep, so a record without overrides is exactly
the request, as before. `split` takes it off again; the request handed to validation, rendering
or AWS never carries it.
"""

from __future__ import annotations

from typing import Any

META_KEY = "smjob:meta"


def attach(request: Any, ignore_rules=(), code: dict | None = None, *, meta: dict | None = None) -> Any:
    """The record to store: `request` plus the overrides and the Code settings (smjob.code, as
    CodeSettings.to_meta()); the request itself when there are none. `meta`: the whole metadata
    read with the record (meta_of): keys this version does not know are kept, never dropped."""
    rules = list(dict.fromkeys(r for r in ignore_rules if isinstance(r, str)))
    meta = {k: v for k, v in (meta or {}).items() if k not in ("ignore_rules", "code")}
    if rules:
        meta["ignore_rules"] = rules
    if code:
        meta["code"] = code
    if not meta or not isinstance(request, dict):
        return request
    return {**request, META_KEY: meta}


def code_of(record: Any) -> dict | None:
    """The Code settings stored with a record (smjob.code.CodeSettings.from_meta reads them), or None."""
    meta = record.get(META_KEY) if isinstance(record, dict) else None
    code = meta.get("code") if isinstance(meta, dict) else None
    return code if isinstance(code, dict) else None


def meta_of(record: Any) -> dict:
    """All the metadata stored with a record (a copy; {} when there is none or it is junk)."""
    meta = record.get(META_KEY) if isinstance(record, dict) else None
    return dict(meta) if isinstance(meta, dict) else {}


def split(record: Any) -> tuple[Any, tuple[str, ...]]:
    """(request, ignore_rules) from a stored record; junk metadata is dropped, never raised on."""
    if not isinstance(record, dict) or META_KEY not in record:
        return record, ()
    request = {k: v for k, v in record.items() if k != META_KEY}
    meta = record[META_KEY]
    rules = meta.get("ignore_rules") if isinstance(meta, dict) else None
    if not isinstance(rules, list):
        return request, ()
    return request, tuple(dict.fromkeys(r for r in rules if isinstance(r, str)))
