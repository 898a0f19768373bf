"""Layering: the engine never imports the UI, and headless commands stay light."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def test_engine_imports_no_textual_or_ui():
    mods = _modules_after(
        "import pkgutil, importlib, smjob\n"
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(smjob.__path__, 'smjob.')]"
    )
    assert not {
        m
        for m in mods
        if m.split(".")[0] in ("textual", "widgets", "tui") or m.startswith(("smjob.tui", "smjob.widgets"))
    }


def test_engine_sources_do_not_mention_ui_packages():
    for path in (ROOT / "smjob").rglob("*.py"):
        text = path.read_text()
        for banned in (
            "import textual",
            "from textual",
            "import smjob.tui",
            "from smjob.tui",
            "import smjob.widgets",
            "from smjob.widgets",
        ):
            assert banned not in text, f"{path}: {banned}"


def test_widgets_never_import_tui():
    for path in (ROOT / "widgets").rglob("*.py"):
        text = path.read_text()
        assert "from smjob.tui" not in text and "import smjob.tui" not in text, path


def test_headless_validate_does_not_load_textual_or_boto3(tmp_path):
    job = tmp_path / "job.json"
    job.write_text('{"TrainingJobName": "a"}')
    mods = _modules_after(f"from smjob.cli.main import main\nmain(['validate', {str(job)!r}])")
    assert "textual" not in mods and "boto3" not in mods
