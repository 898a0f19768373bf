"""SVG snapshots of each main screen at 80x24 and 120x40 (pytest-textual-snapshot).

The scenes (how to reach each screen) live in tests/support/scenes.py, shared with
`python -m tests.support.screenshots`.

    pytest tests/test_snapshots.py                      # compare with tests/__snapshots__/
    pytest tests/test_snapshots.py --snapshot-update    # accept the current screens (review the diff!)

The screens show botocore's service model (section list, `enum(225)`, instance types, field docs),
so they change when botocore does. The versions the snapshots were recorded with are kept in
tests/snapshot_versions.json; with other versions installed the tests skip and say so, instead of
failing on every botocore release, except when CI is set: then a skip is a failure (tests/conftest.py).
`make test` installs the versions in tests/requirements.lock, which the recorded ones must match.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.scenes import SCENES, SIZES, stable_patches

pytestmark = pytest.mark.slow

VERSIONS_FILE = Path(__file__).with_name("snapshot_versions.json")


def _installed_versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("botocore", "textual", "rich")}


@pytest.fixture(scope="module")
def recorded_versions(request) -> dict[str, str] | None:
    if request.config.getoption("--snapshot-update", default=False):
        current = _installed_versions()
        # Every xdist worker writes the same text; a plain write is fine.
        VERSIONS_FILE.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return current
    if not VERSIONS_FILE.exists():
        return None
    return json.loads(VERSIONS_FILE.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _stable(monkeypatch, recorded_versions):
    """No cursor blink, a fixed export directory; skip when the recorded versions differ."""
    if recorded_versions is not None:
        installed = _installed_versions()
        changed = {k: (recorded_versions.get(k), v) for k, v in installed.items() if recorded_versions.get(k) != v}
        if changed:
            what = ", ".join(f"{k} {old} -> {new}" for k, (old, new) in sorted(changed.items()))
            pytest.skip(
                f"snapshots were recorded with other versions ({what}); "
                "run `pytest tests/test_snapshots.py --snapshot-update` and review the SVG diff"
            )
    for owner, name, replacement in stable_patches():
        monkeypatch.setattr(owner, name, replacement)


CASES = [pytest.param(scene, size, id=f"{scene.name}-{size[0]}x{size[1]}") for scene in SCENES for size in SIZES]


@pytest.mark.parametrize(("scene", "size"), CASES)
def test_screen(snap_compare, scene, size):
    assert snap_compare(scene.make_app(), terminal_size=size, run_before=scene.drive)
