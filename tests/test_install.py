"""The wheel users install: built from a copy of the source (offline, no build isolation), then
unpacked into a bare virtual environment that sees the dependencies but not this checkout.

The app and widgets live in top-level folders here but must install inside smjob: top-level
`tui` / `widgets` packages would collide with other projects in a user's environment.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {"smjob": "smjob", "tui": "smjob/tui", "widgets": "smjob/widgets"}  # folder here -> place in the wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Build from a copy: an in-tree build writes build/ and *.egg-info into the checkout, and two
    # xdist workers building there at once would trip over each other.
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for folder in SOURCES:
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index", "-w", out, src],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (built,) = out.glob("smjob-*.whl")
    return built


def _names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as z:
        return z.namelist()


def test_the_wheel_installs_everything_inside_smjob(wheel):
    names = _names(wheel)
    assert {n.split("/")[0] for n in names} == {"smjob", "smjob-0.1.0.dist-info"}
    for needed in ("smjob/tui/app.py", "smjob/tui/app.tcss", "smjob/widgets/form.py", "smjob/cli/main.py"):
        assert needed in names
    assert "smjob/examples/pytorch-gpu.json" in names


def test_every_source_module_is_in_the_wheel(wheel):
    """A new subpackage missing from [tool.setuptools] packages would be left out silently."""
    names = set(_names(wheel))
    expected = {
        f"{place}/{path.relative_to(ROOT / folder).as_posix()}"
        for folder, place in SOURCES.items()
        for path in (ROOT / folder).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert expected - names == set()


def test_the_console_script_is_the_launcher(wheel):
    with zipfile.ZipFile(wheel) as z:
        entry_points = z.read("smjob-0.1.0.dist-info/entry_points.txt").decode()
    parser = configparser.ConfigParser()
    parser.read_string(entry_points)
    assert dict(parser["console_scripts"]) == {"smjob": "smjob.tui.launch:main"}


def test_the_installed_wheel_runs_headless_without_textual(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)  # a pure-Python wheel installs by unpacking
    # The dependencies from this interpreter's environment: a plain path, so its .pth files (the
    # editable install of this checkout) are not processed.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    job = tmp_path / "job.json"
    job.write_text('{"TrainingJobName": "a"}')
    code = (
        "import sys, smjob\n"
        "from smjob.tui.launch import main\n"
        f"code = main(['validate', {str(job)!r}])\n"
        "print(smjob.__file__)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'tui', 'widgets', 'boto3'}))\n"
        "print(code)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60, check=False
    )
    lines = result.stdout.strip().splitlines()
    assert len(lines) >= 3, result.stderr
    assert lines[-3].startswith(str(site)), f"smjob came from {lines[-3]}, not the installed wheel"
    assert lines[-2] == "[]"  # no textual, no top-level tui/widgets, no boto3 for a headless command
    assert lines[-1] == "1"  # invalid: RoleArn and more are missing
