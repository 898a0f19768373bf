"""Export a request as files: JSON, YAML, Python, or an executable AWS CLI script.

- A CLI script whose command is too long for one shell argument (render_cli's fallback) runs
  `--cli-input-json` on STEM.json written beside it, and finds it next to itself, wherever it is
  run from: `"file://$(dirname -- "$0")/"STEM.json`.
- Every file is written atomically (smjob.files.write_atomic). An existing file keeps its mode
  (a script gains execute wherever it is readable); a new file gets 0644, a script 0755.
- `plan_export` says which files would be written and which of them exist, so the front end
  asks (the app) or refuses without --force (the CLI) before anything is replaced.
"""

from __future__ import annotations

import os
import shlex
import stat
from dataclasses import dataclass, field
from pathlib import Path

from smjob.render import FORMATS, render

EXTENSIONS = {"json": ".json", "yaml": ".yaml", "cli": ".sh", "python": ".py"}
NEW_FILE_MODE, NEW_SCRIPT_MODE = 0o644, 0o755
SHEBANG = "#!/bin/sh\n"


@dataclass(frozen=True, slots=True)
class ExportFile:
    path: Path
    text: str
    script: bool = False

    @property
    def exists(self) -> bool:
        return os.path.lexists(self.path)

    def mode(self) -> int:
        try:
            current = stat.S_IMODE(os.stat(self.path).st_mode)
        except OSError:
            return NEW_SCRIPT_MODE if self.script else NEW_FILE_MODE
        if self.script:  # chmod +x where it can be read: the owner alone for a private file
            current |= (current & 0o444) >> 2
        return current


@dataclass(frozen=True, slots=True)
class ExportPlan:
    request: dict
    fmt: str
    path: Path  # the file asked for; files[0]
    files: tuple[ExportFile, ...]

    @property
    def existing(self) -> list[Path]:
        return [f.path for f in self.files if f.exists]

    @property
    def companions(self) -> list[Path]:
        """Files written that were not asked for by name (a script's JSON)."""
        return [f.path for f in self.files[1:]]

    def overwrite_question(self) -> str | None:
        """What to ask before replacing files, naming each; None when nothing exists."""
        existing = self.existing
        if not existing:
            return None
        if len(existing) == 1 and not self.companions:
            return f"{existing[0]} exists. Overwrite it?"
        written = " and ".join(str(f.path) for f in self.files)
        names = " and ".join(str(p) for p in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        return f"This export writes {written}; {names} {verb}. Replace {'it' if len(existing) == 1 else 'them'}?"


@dataclass
class ExportResult:
    plan: ExportPlan
    written: list[Path]
    entry_id: int | None = None
    warnings: list[str] = field(default_factory=list)


def companion_json(path: Path) -> Path:
    json_path = path.with_suffix(".json")
    return json_path if json_path != path else path.with_name(path.name + ".json")


def script_text(request: dict, json_name: str) -> tuple[str, bool]:
    """The script, and whether it needs its JSON file beside it."""
    from smjob.render_cli import render_cli

    text = render_cli(request, input_json_path=json_name)
    fallback = text.startswith("#")  # render_cli's fallback opens with a comment saying why
    if fallback:
        lines = text.split("\n")
        flat_name = " ".join(json_name.split())  # a newline must not end the comment
        for i, line in enumerate(lines):
            if line.startswith("# Save the request as JSON"):
                lines[i] = f"# The request is in {flat_name}, next to this script; run from anywhere:"
            elif line.lstrip().startswith("--cli-input-json"):
                lines[i] = '  --cli-input-json "file://$(dirname -- "$0")/"' + shlex.quote(json_name)
        text = "\n".join(lines)
    return SHEBANG + text + "\n", fallback


def plan_export(request: dict, fmt: str, path: str | os.PathLike) -> ExportPlan:
    """The files an export writes. ValueError for an unknown format or a directory."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path = Path(os.path.expanduser(os.fspath(path)))
    if path.is_dir():
        raise ValueError(f"{path} is a directory; give a file name")
    if fmt != "cli":
        return ExportPlan(request, fmt, path, (ExportFile(path, render(request, fmt)),))
    json_path = companion_json(path)
    text, needs_json = script_text(request, json_path.name)
    files = [ExportFile(path, text, script=True)]
    if needs_json:
        files.append(ExportFile(json_path, render(request, "json")))
    return ExportPlan(request, fmt, path, tuple(files))


def write_export(plan: ExportPlan, history=None, *, ignore_rules=()) -> ExportResult:
    """Write the plan's files (the JSON before the script that reads it), then record an
    "export" entry when `history` is given, with the job's rule overrides (`ignore_rules`).
    OSError when a file cannot be written."""
    from smjob.files import write_atomic

    written = []
    for f in reversed(plan.files):
        write_atomic(f.path, f.text, mode=f.mode())
        written.append(f.path)
    result = ExportResult(plan, list(reversed(written)))
    if history is not None:
        try:
            result.entry_id = history.record(
                "export", plan.request, path=str(plan.path.absolute()), ignore_rules=ignore_rules
            )
        except Exception as exc:  # the files are written; the history is a convenience
            result.warnings.append(f"could not record this in the history ({exc})")
    return result


def export(request: dict, fmt: str, path, history=None, *, ignore_rules=()) -> ExportResult:
    return write_export(plan_export(request, fmt, path), history, ignore_rules=ignore_rules)
