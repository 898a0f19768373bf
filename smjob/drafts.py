"""The draft the app autosaves and restores: the request itself, as JSON, mode 0600."""

from __future__ import annotations

import json
import os
from pathlib import Path

from smjob.files import write_atomic


def data_dir() -> Path:
    override = os.environ.get("SMJOB_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("smjob"))


def draft_path() -> Path:
    return data_dir() / "draft.json"


def save_draft(request: dict, path: Path | None = None) -> Path:
    target = path or draft_path()
    write_atomic(target, json.dumps(request, indent=2, ensure_ascii=False), mode=0o600)
    return target


def load_draft(path: Path | None = None) -> dict | None:
    """The saved draft, or None when there is none or it cannot be read (never raises)."""
    try:
        data = json.loads((path or draft_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
