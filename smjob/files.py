"""Writing files so that a crash never leaves a half-written one behind, and reading smjob's own
files so that a broken one is reported and kept, never silently replaced."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
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


# --- smjob's own files that a person or another program may have broken ------------------------


class UnreadableFile(OSError):
    """One of smjob's own files cannot be used (unreadable, not JSON, not what smjob writes). The
    message names the file and says what to do; str(exc) is that message."""

    def __init__(self, path: Path, reason: str, what: str, advice: str) -> None:
        super().__init__(f"the {what} {path} cannot be read ({reason}); {advice}")
        self.path, self.reason, self.what = Path(path), reason, what

    def __str__(self) -> str:
        return self.args[0]


def error_text(exc: Exception) -> str:
    """Why a file could not be read, in a few words."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8: {exc.reason} at byte {exc.start}"
    return str(exc) or type(exc).__name__


def read_regular(path: Path) -> bytes:
    """The bytes of `path`: FileNotFoundError when absent, OSError when unreadable, ValueError when
    it is not a regular file (a symlink is not followed)."""
    if not stat.S_ISREG(os.lstat(path).st_mode):
        raise ValueError("not a regular file")
    return Path(path).read_bytes()


def read_json(path: Path):
    """The JSON in `path` (read_regular), ValueError when it is not UTF-8 JSON."""
    return json.loads(read_regular(path).decode("utf-8"))


def json_object(data) -> dict:
    if not isinstance(data, dict):
        raise ValueError(f"a JSON {type(data).__name__}, not an object")
    return data


def move_aside(path: Path) -> Path:
    """Rename `path` to `<path>.unreadable-<UTC time>[-n]`, never over an existing file."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    for n in range(1000):
        target = path.with_name(f"{path.name}.unreadable-{stamp}" + (f"-{n}" if n else ""))
        try:
            os.link(path, target, follow_symlinks=False)  # fails if target exists: unlike rename, never replaces
        except FileExistsError:
            continue
        path.unlink()
        return target
    raise FileExistsError(f"too many unreadable copies of {path}")


@dataclass(frozen=True)
class StateFile:
    """A JSON file of smjob's own state (settings, defaults), one rule for all of them: reading
    never changes it, and a file that cannot be read or fails `check` raises UnreadableFile (the
    caller shows it and goes on without it). Only a write moves such a file aside, as drafts are
    (`<file>.unreadable-<UTC time>`), and says where: it is never written over."""

    path: Path
    what: str  # "settings file": how messages name it
    restart: str  # the command that writes it anew (and so moves a broken one aside)
    check: Callable[[object], object] = json_object  # raises ValueError saying why the content is unusable

    def read(self):
        """The content, or None when there is no file."""
        try:
            data = read_json(self.path)
            self.check(data)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            advice = f"smjob leaves it as it is: fix it, or {self.restart}, which moves it aside and starts a new one"
            raise UnreadableFile(self.path, error_text(exc), self.what, advice) from None
        return data

    def read_for_update(self) -> tuple[object, str | None]:
        """(content or None, note): before a write, a file that cannot be used is moved aside and
        the note says where. UnreadableFile when it cannot even be moved: nothing may be written."""
        try:
            return self.read(), None
        except UnreadableFile as exc:
            try:
                moved = move_aside(self.path)
            except OSError as err:
                advice = f"it could not be moved aside ({error_text(err)}): fix it, or move it away yourself"
                raise UnreadableFile(self.path, exc.reason, self.what, advice) from None
            return None, f"the {self.what} {self.path} could not be read ({exc.reason}); it was moved to {moved}"

    def write(self, data) -> None:
        write_private(self.path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
