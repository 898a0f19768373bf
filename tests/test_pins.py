"""The pinned test environment agrees with itself: the versions the snapshots were recorded with
are the ones tests/requirements.lock installs, so `make test` compares every snapshot."""

from __future__ import annotations

import json
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _locked() -> dict[str, str]:
    pins = {}
    for line in (TESTS / "requirements.lock").read_text(encoding="utf-8").splitlines():
        name, sep, version = line.partition("==")
        if sep and not line.startswith("#"):
            pins[name.strip().lower()] = version.strip()
    return pins


def test_snapshot_versions_are_the_locked_versions():
    recorded = json.loads((TESTS / "snapshot_versions.json").read_text(encoding="utf-8"))
    locked = _locked()
    assert {name: locked.get(name) for name in recorded} == recorded, (
        "tests/requirements.lock changed: run `pytest tests/test_snapshots.py --snapshot-update -p no:xdist` "
        "and review the SVG diff"
    )
