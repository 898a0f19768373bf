"""Writing files so that a crash never leaves a half-written one behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike, text: str, *, mode: int | None = None) -> None:
    """Write to a temp file in the same directory, fsync, then rename over the target."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def ensure_private_dir(path: str | os.PathLike) -> Path:
    """Create `path` (and parents) 0700; an existing directory that we own is narrowed to 0700.

    smjob's data directory holds requests, drafts and history: whichever file is written first,
    the directory is private. A symlink in its place is refused (not followed)."""
    directory = Path(path)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        if os.fstat(fd).st_uid == os.getuid():
            os.fchmod(fd, 0o700)
    finally:
        os.close(fd)
    return directory


def write_private(path: str | os.PathLike, text: str) -> None:
    """smjob's own state (settings, defaults, caches): atomic, 0600, in a 0700 directory."""
    ensure_private_dir(Path(path).parent)
    write_atomic(path, text, mode=0o600)
