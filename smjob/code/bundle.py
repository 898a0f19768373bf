"""The files of a code folder, checked before anything is uploaded.

Every problem that can be found locally is found here, so an upload never starts on input that
cannot work: a missing folder or entry script, an entry script outside the folder or ignored, a
requirements file that is not there, a folder over the size limit, a file that cannot be read.
The digest names the folder's content (each file's relative path and SHA-256), so the upload's
prefix changes exactly when the code does.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from smjob.code.settings import ENTRY_SUFFIXES, CodeError, CodeSettings

MAX_BYTES = 100 * 1024 * 1024  # code, not data: data belongs in an input channel
MAX_FILES = 10_000
LARGE_FILE = 10 * 1024 * 1024
DATA_SUFFIXES = (".csv", ".parquet", ".npy", ".npz", ".pt", ".pth", ".ckpt", ".h5", ".hdf5", ".tfrecord")
DATA_SUFFIXES += (".pkl", ".zip", ".tar", ".gz", ".bin", ".safetensors", ".arrow", ".jsonl")
DATA_WARN = 1024 * 1024
_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class CodeFile:
    rel: str  # relative path with '/' separators: the object key under the prefix
    path: Path
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Bundle:
    settings: CodeSettings
    root: Path
    files: tuple[CodeFile, ...]
    digest: str  # SHA-256 over every (relative path, SHA-256) in order
    warnings: tuple[str, ...] = field(default=())

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def ignored(rel: str, patterns) -> bool:
    parts = rel.split("/")
    return any(fnmatch.fnmatchcase(rel, p) or any(fnmatch.fnmatchcase(part, p) for part in parts) for p in patterns)


def _inside(root: Path, rel: str) -> str:
    """`rel` as a clean relative path inside `root`, or CodeError."""
    if not rel or os.path.isabs(rel):
        raise CodeError(f"the entry script {rel!r} must be a path relative to the source folder {root}")
    full = (root / rel).resolve()
    try:
        return full.relative_to(root).as_posix()
    except ValueError:
        raise CodeError(f"the entry script {rel!r} is outside the source folder {root}") from None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def scan(settings: CodeSettings, *, max_bytes: int = MAX_BYTES, max_files: int = MAX_FILES) -> Bundle:
    """The folder's files (ignore patterns applied), checked; CodeError says what is wrong."""
    root = Path(os.path.expanduser(settings.source_dir))
    if not root.exists():
        raise CodeError(f"the source folder {root} does not exist")
    if not root.is_dir():
        raise CodeError(f"the source folder {root} is not a folder")
    root = root.resolve()
    entry = _inside(root, settings.entry_point)
    if not entry.endswith(ENTRY_SUFFIXES):
        raise CodeError(f"the entry script {settings.entry_point!r} must be a .py or .sh file")
    if not (root / entry).is_file():
        raise CodeError(f"the entry script {entry} is not in the source folder {root}")
    if ignored(entry, settings.ignore):
        raise CodeError(f"the entry script {entry} matches an ignore pattern ({', '.join(settings.ignore)})")
    if settings.requirements:
        requirements = _inside(root, settings.requirements)
        if not (root / requirements).is_file():
            raise CodeError(f"the requirements file {settings.requirements} is not in the source folder {root}")
    files, unreadable, warnings = [], [], []
    total = 0
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda exc: unreadable.append(f"{exc.filename}")):
        base = Path(dirpath)
        rel_dir = base.relative_to(root).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = sorted(d for d in dirnames if not ignored(prefix + d, settings.ignore))
        for name in sorted(filenames):
            rel = prefix + name
            if ignored(rel, settings.ignore):
                continue
            path = base / name
            try:
                size = path.stat().st_size
                if not path.is_file():
                    continue  # sockets, fifos, dangling links: nothing to upload
                sha = file_sha256(path)
            except OSError as exc:
                unreadable.append(f"{rel} ({exc.strerror or exc})")
                continue
            total += size
            files.append(CodeFile(rel, path, size, sha))
            if size >= LARGE_FILE or (size >= DATA_WARN and name.lower().endswith(DATA_SUFFIXES)):
                warnings.append(
                    f"{rel} is {mib(size)}: data belongs in an input channel; add it to the ignore patterns"
                )
    if unreadable:
        raise CodeError("cannot read " + ", ".join(unreadable[:10]) + (" and more" if len(unreadable) > 10 else ""))
    if total > max_bytes or len(files) > max_files:
        largest = sorted(files, key=lambda f: f.size, reverse=True)[:3]
        names = ", ".join(f"{f.rel} ({mib(f.size)})" for f in largest)
        raise CodeError(
            f"the source folder {root} holds {len(files)} files, {mib(total)}: over the limit of "
            f"{mib(max_bytes)} and {max_files} files for code (largest: {names}); ignore data files or "
            "put them in an input channel"
        )
    files.sort(key=lambda f: f.rel)
    digest = hashlib.sha256()
    for f in files:
        digest.update(f"{f.rel}\0{f.sha256}\n".encode("utf-8", "surrogateescape"))
    return Bundle(settings, root, tuple(files), digest.hexdigest(), tuple(warnings))
