"""Lookups cached on disk, one JSON file (0600) per account, region and endpoint.

Each entry keeps its items and when they were fetched, so a picker can show the age and offer a
refresh. A corrupt or unreadable file is treated as empty: the cache is never worth an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from pathlib import Path

from smjob.resources.models import dump, load

FORMAT = 1


def cache_root() -> Path:
    from smjob.schema import cache_dir

    return cache_dir() / "resources"


def file_for(account: str, region: str | None, endpoint_url: str | None) -> Path:
    # A custom endpoint (a local moto) has its own state under the same account id: keep it apart.
    where = f"-{hashlib.sha256(endpoint_url.encode()).hexdigest()[:10]}" if endpoint_url else ""
    safe = "".join(c for c in f"{account}-{region or 'noregion'}{where}" if c.isalnum() or c in "-_.")
    return cache_root() / f"{safe}.json"


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("entries", {}) if isinstance(data, dict) and data.get("format") == FORMAT else {}


def get(path: Path, key: str, kind: str):
    """(items, fetched epoch seconds) or None."""
    entry = _read(path).get(key)
    if not isinstance(entry, dict):
        return None
    try:
        return [load(kind, d) for d in entry["items"]], float(entry["fetched"])
    except (KeyError, TypeError, ValueError):
        return None


def put(path: Path, key: str, items: list, fetched: float | None = None) -> float:
    fetched = time.time() if fetched is None else fetched
    entries = _read(path)
    entries[key] = {"fetched": fetched, "items": [dump(i) for i in items]}
    _write(path, entries)
    return fetched


def get_account(target_key: str) -> str | None:
    data = _read(cache_root() / "accounts.json")
    value = data.get(target_key)
    return value if isinstance(value, str) else None


def put_account(target_key: str, account: str) -> None:
    path = cache_root() / "accounts.json"
    entries = _read(path)
    entries[target_key] = account
    _write(path, entries)


def _write(path: Path, entries: dict) -> None:
    from smjob.files import write_private

    with contextlib.suppress(OSError):  # a read-only cache dir costs speed only
        write_private(path, json.dumps({"format": FORMAT, "entries": entries}))


def age_text(fetched: float, now: float | None = None) -> str:
    seconds = max(0, int((now or time.time()) - fetched))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"
