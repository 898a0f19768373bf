"""The shelf of drafts: every job being authored is its own file in data_dir()/drafts (0700), the
request itself as JSON (0600, written atomically), named `<job name>-<id>.json`. The id never
changes, so the file follows renames of TrainingJobName; two drafts never share a file.

A file that cannot be read (truncated, not a mapping, bad UTF-8) is never dropped or overwritten:
it is moved aside as `<file>.unreadable-<UTC time>` and reported to the caller.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from smjob.files import ensure_private_dir, error_text, json_object, move_aside, read_json, write_atomic
from smjob.overrides import attach as attach_overrides
from smjob.overrides import code_of, meta_of
from smjob.overrides import split as split_overrides

DIRNAME = "drafts"
LEGACY = "draft.json"  # the single draft of smjob before the shelf; moved onto it once
_FILE = re.compile(r"^(?P<stem>.+)-(?P<id>[0-9a-f]{6})\.json$")
_ID = re.compile(r"^[0-9a-f]{6}$")


def data_dir() -> Path:
    override = os.environ.get("SMJOB_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("smjob"))


def drafts_dir() -> Path:
    return data_dir() / DIRNAME


@dataclass(frozen=True)
class Draft:
    id: str
    path: Path
    modified: float  # the file's mtime: when it was last autosaved
    request: dict
    ignore_rules: tuple[str, ...] = ()  # rule overrides kept with the draft (smjob.overrides)
    code: dict | None = None  # the job's Code settings (smjob.code.CodeSettings.from_meta)
    meta: dict = field(default_factory=dict, compare=False)  # all its smjob metadata, unknown keys too

    @property
    def name(self) -> str:
        name = self.request.get("TrainingJobName")
        return name if isinstance(name, str) and name else "(unnamed)"


@dataclass(frozen=True)
class Unreadable:
    path: Path
    moved_to: Path | None  # None: it could not be moved (it stays where it was, and is skipped)
    reason: str
    where = "drafts"  # for the app's startup notes, which show `where: message`

    @property
    def message(self) -> str:
        if self.moved_to is None:
            return f"the draft {self.path} cannot be read ({self.reason}) nor moved aside; it is skipped"
        return f"the draft {self.path} could not be read ({self.reason}); it was moved to {self.moved_to}"


def file_stem(request: dict) -> str:
    name = request.get("TrainingJobName") if isinstance(request, dict) else None
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_-")[:60] if isinstance(name, str) else ""
    return stem or "unnamed"


def _files(root: Path, draft_id: str | None = None) -> list[Path]:
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        return []
    out = []
    for name in names:
        match = _FILE.match(name)
        if match and (draft_id is None or match["id"] == draft_id):
            out.append(root / name)
    return out


def new_draft_id(root: Path | None = None) -> str:
    """A short id that no draft (or moved-aside unreadable draft) in `root` uses."""
    root = root or drafts_dir()
    try:
        names = os.listdir(root)
    except FileNotFoundError:
        names = []
    taken = {m["id"] for n in names if (m := _FILE.match(n.split(".unreadable-")[0]))}
    while True:
        draft_id = secrets.token_hex(3)
        if draft_id not in taken:
            return draft_id


def save_draft(
    request: dict, draft_id: str, root: Path | None = None, *, ignore_rules=(), code=None, meta=None
) -> Path:
    """Write the draft under its current job name; the file it had under an older name goes
    only after the new one is written (a crash in between leaves both, and the newer wins).
    `ignore_rules`: the job's rule overrides, and `code` its Code settings (CodeSettings.to_meta()),
    stored beside the request (smjob.overrides); `meta`, the rest of the metadata read with it, is kept."""
    if not _ID.match(draft_id):
        raise ValueError(f"not a draft id: {draft_id!r}")
    root = root or drafts_dir()
    ensure_private_dir(root)  # 0700, and never a symlink followed
    target = root / f"{file_stem(request)}-{draft_id}.json"
    write_atomic(
        target,
        json.dumps(attach_overrides(request, ignore_rules, code, meta=meta), indent=2, ensure_ascii=False),
        mode=0o600,
    )
    for old in _files(root, draft_id):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def remove_draft(draft_id: str, root: Path | None = None) -> list[Path]:
    removed = []
    for path in _files(root or drafts_dir(), draft_id):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _read(path: Path) -> dict:
    """The request in `path`; ValueError when the content is not a draft, OSError when unreadable."""
    return json_object(read_json(path))


def _unreadable(path: Path, exc: Exception) -> Unreadable:
    reason = error_text(exc)
    try:
        return Unreadable(path, move_aside(path), reason)
    except OSError:
        return Unreadable(path, None, reason)


def _migrate_legacy(root: Path, problems: list[Unreadable]) -> None:
    legacy = root.parent / LEGACY
    try:
        st = os.lstat(legacy)
    except OSError:
        return  # none (the usual case)
    try:
        request = _read(legacy)
    except (OSError, ValueError) as exc:
        problems.append(_unreadable(legacy, exc))
        return
    try:
        path = save_draft(request, new_draft_id(root), root)
        os.utime(path, (st.st_atime, st.st_mtime))  # keeps its place in the newest-first order
        legacy.unlink()
    except OSError as exc:
        problems.append(Unreadable(legacy, None, f"could not move it onto the shelf: {exc}"))


def scan(root: Path | None = None) -> tuple[list[Draft], list[Unreadable]]:
    """Every draft, newest first, and the files that could not be read (moved aside)."""
    root = root or drafts_dir()
    problems: list[Unreadable] = []
    _migrate_legacy(root, problems)
    newest: dict[str, Draft] = {}
    for path in _files(root):
        try:
            request = _read(path)
            modified = path.stat().st_mtime
        except FileNotFoundError:
            continue  # renamed or removed by another smjob since the listing
        except (OSError, ValueError) as exc:
            problems.append(_unreadable(path, exc))
            continue
        code, meta = code_of(request), meta_of(request)
        request, ignore_rules = split_overrides(request)
        draft = Draft(_FILE.match(path.name)["id"], path, modified, request, ignore_rules, code, meta)
        if draft.id not in newest or newest[draft.id].modified < modified:
            newest[draft.id] = draft
    drafts = sorted(newest.values(), key=lambda d: d.modified, reverse=True)
    return drafts, problems


def find_draft(key: str, drafts: list[Draft]) -> Draft | None:
    """The draft with this id, or this file name."""
    for draft in drafts:
        if key in (draft.id, draft.path.name):
            return draft
    return None


def latest_draft() -> tuple[Draft | None, list[Unreadable]]:
    drafts, problems = scan()
    return (drafts[0] if drafts else None), problems


def load_draft() -> dict | None:
    """The most recent draft's request, or None when there is none (never raises)."""
    try:
        draft, _ = latest_draft()
    except OSError:
        return None
    return draft.request if draft else None


def problem_counts(request: dict, ignore_rules=()) -> tuple[int, int]:
    """(errors, warnings) from smjob.validate, with the draft's rule overrides (Draft.ignore_rules)."""
    from smjob.problems import ERROR
    from smjob.validate import validate

    problems = validate(request, ignore_rules=ignore_rules)
    errors = sum(p.severity == ERROR for p in problems)
    return errors, len(problems) - errors
