"""CodeSettings: what the "Code" section holds, and its form as smjob metadata."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_IGNORE = (".git", "__pycache__", ".venv", "*.pyc", ".DS_Store")
DEFAULT_REQUIREMENTS = "requirements.txt"
ENTRY_SUFFIXES = (".py", ".sh")


class CodeError(ValueError):
    """Code settings or a folder that cannot be used; nothing was uploaded. The message says why."""


@dataclass(frozen=True, slots=True)
class CodeSettings:
    source_dir: str  # a local folder
    entry_point: str  # relative to source_dir: a .py run with python, a .sh run as a program
    requirements: str | None = None  # relative to source_dir; `pip install -r` before the entry script
    ignore: tuple[str, ...] = DEFAULT_IGNORE  # fnmatch patterns on any path component or the relative path
    s3_prefix: str | None = None  # default: <OutputDataConfig.S3OutputPath>/<job name>/code/

    def to_meta(self) -> dict:
        out: dict[str, Any] = {"source_dir": self.source_dir, "entry_point": self.entry_point}
        if self.requirements:
            out["requirements"] = self.requirements
        if tuple(self.ignore) != DEFAULT_IGNORE:
            out["ignore"] = list(self.ignore)
        if self.s3_prefix:
            out["s3_prefix"] = self.s3_prefix
        return out

    @classmethod
    def from_meta(cls, data: Any) -> CodeSettings | None:
        """Settings from stored metadata; None for junk (a damaged record is never raised on)."""
        if not isinstance(data, dict):
            return None
        source, entry = data.get("source_dir"), data.get("entry_point")
        if not isinstance(source, str) or not isinstance(entry, str):
            return None
        requirements = data.get("requirements")
        ignore = data.get("ignore")
        prefix = data.get("s3_prefix")
        return cls(
            source,
            entry,
            requirements if isinstance(requirements, str) and requirements else None,
            tuple(p for p in ignore if isinstance(p, str)) if isinstance(ignore, list) else DEFAULT_IGNORE,
            prefix if isinstance(prefix, str) and prefix else None,
        )
