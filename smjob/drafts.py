"""The shelf of drafts: every job being authored is its own file in data_dir()/drafts (0700), the
request itself as JSON (0600, written atomically), named `<job name>-<id>.json`. The id never
changes, so the file follows renames of TrainingJobName; two drafts never share a file.

A file that cannot be read (truncated, not a mapping, bad UTF-8) is never dropped or overwritten:
it is moved aside as `<file>.unreadable-<UTC time>` and reported to the caller.

Two smjob processes on one draft never overwrite each other: an editor autosaves with
autosave_draft, which compares the file with what that editor last read or wrote (a sha256) and,
when another process changed it meanwhile, saves into a new draft marked as a conflict copy.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from smjob.files import ensure_private_dir, error_text, json_object, move_aside, read_regular, write_atomic
from smjob.overrides import attach as attach_overrides
from smjob.overrides import code_of, meta_of
from smjob.overrides import split as split_overrides

DIRNAME = "drafts"
LEGACY = "draft.json"  # the single draft of smjob before the shelf; moved onto it once
_FILE = re.compile(r"^(?P<stem>.+)-(?P<id>[0-9a-f]{6})\.json$")
_ID = re.compile(r"^[0-9a-f]{6}$")
CONFLICT = "conflict"  # metadata of a draft saved beside one another smjob changed: {"of": id, "at": time}


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
    digest: str | None = field(default=None, compare=False)  # sha256 of the file as read: autosave_draft's `known`

    @property
    def name(self) -> str:
        name = self.request.get("TrainingJobName")
        name = name if isinstance(name, str) and name else "(unnamed)"
        conflict = self.meta.get(CONFLICT)
        when = conflict.get("at") if isinstance(conflict, dict) else None
        return f"{name} (conflict {when[:16].replace('T', ' ')})" if isinstance(when, str) else name


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
    record = attach_overrides(request, ignore_rules, code, meta=meta)
    return _write(request, record, draft_id, root or drafts_dir())[0]


def _write(request: dict, record: dict, draft_id: str, root: Path) -> tuple[Path, str]:
    if not _ID.match(draft_id):
        raise ValueError(f"not a draft id: {draft_id!r}")
    ensure_private_dir(root)  # 0700, and never a symlink followed
    target = root / f"{file_stem(request)}-{draft_id}.json"
    text = json.dumps(record, indent=2, ensure_ascii=False)
    write_atomic(target, text, mode=0o600)
    for old in _files(root, draft_id):
        if old != target:
            old.unlink(missing_ok=True)
    return target, _digest(text.encode("utf-8"))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Saved:
    """Where an editor's autosave went (autosave_draft)."""

    draft_id: str  # the editor's draft from now on: a new one after a conflict
    path: Path
    digest: str  # what was written: `known` for the editor's next autosave
    meta: dict  # the metadata saved (a conflict copy is marked in it)
    changed_elsewhere: Path | None = None  # the draft another process changed, left as it is


def autosave_draft(
    request: dict,
    draft_id: str,
    known: str | None,
    root: Path | None = None,
    *,
    ignore_rules=(),
    code=None,
    meta=None,
) -> Saved:
    """save_draft for an editor that may share its draft with another smjob: `known` is the digest
    of the draft as this editor last read or wrote it (Draft.digest, Saved.digest; None when it has
    not seen the file). If the file is no longer that, another process saved there: its save stays,
    and this request goes to a new draft, "<job> (conflict <time>)". Nothing is lost either way."""
    root = root or drafts_dir()
    meta = dict(meta or {})
    ensure_private_dir(root)
    with _shelf_lock(root):  # the check and the write are one step for every smjob on this shelf
        other = _changed_since(root, draft_id, known) if known is not None else None
        if other is not None:
            draft_id = new_draft_id(root)
            meta[CONFLICT] = {"of": _FILE.match(other.name)["id"], "at": datetime.now().isoformat(timespec="seconds")}
        path, digest = _write(request, attach_overrides(request, ignore_rules, code, meta=meta), draft_id, root)
    return Saved(draft_id, path, digest, meta, other)


@contextlib.contextmanager
def _shelf_lock(root: Path):
    fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _changed_since(root: Path, draft_id: str, known: str) -> Path | None:
    """The draft's file when its content is no longer `known` (None: unchanged, or removed)."""
    files = []
    for path in _files(root, draft_id):
        with contextlib.suppress(FileNotFoundError):
            files.append((path.stat().st_mtime_ns, path))
    if not files:
        return None  # removed meanwhile: writing it again loses nothing
    newest = max(files)[1]
    try:
        return None if _digest(read_regular(newest)) == known else newest
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return newest  # unreadable now: not this editor's to write over


def remove_draft(draft_id: str, root: Path | None = None) -> list[Path]:
    removed = []
    for path in _files(root or drafts_dir(), draft_id):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _read(path: Path) -> tuple[dict, str]:
    """(the request in `path`, its digest); ValueError when the content is not a draft, OSError when unreadable."""
    raw = read_regular(path)
    return json_object(json.loads(raw.decode("utf-8"))), _digest(raw)


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
        request, _ = _read(legacy)
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
            request, digest = _read(path)
            modified = path.stat().st_mtime
        except FileNotFoundError:
            continue  # renamed or removed by another smjob since the listing
        except (OSError, ValueError) as exc:
            problems.append(_unreadable(path, exc))
            continue
        code, meta = code_of(request), meta_of(request)
        request, ignore_rules = split_overrides(request)
        draft = Draft(_FILE.match(path.name)["id"], path, modified, request, ignore_rules, code, meta, digest)
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
