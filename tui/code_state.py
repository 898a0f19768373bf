"""The job's Code settings while the app runs: the Code section's values, the folder's last check,
and the request as it will be sent (the preview shows it). No Textual here.

The folder is checked (smjob.code.bundle.scan: files, sizes, content digest) in a worker thread
after the settings stop changing, never per keystroke: a source folder typed as `/` must not walk
the disk while the user types. Until a check finishes the preview names the prefix with
`<digest>`; submit and export check the folder again (the code may change after the preview).
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass

from smjob.code.settings import DEFAULT_IGNORE, DEFAULT_REQUIREMENTS, CodeError, CodeSettings

PENDING_DIGEST = "<digest>"


@dataclass(frozen=True)
class Checked:
    settings: CodeSettings
    digest: str | None = None
    files: int = 0
    size: int = 0
    error: str | None = None
    warnings: tuple[str, ...] = ()


def parse_ignore(text: str) -> tuple[str, ...]:
    return tuple(p for p in re.split(r"[,\s]+", text) if p)


class CodeState:
    def __init__(self, meta: dict | None = None) -> None:
        self.meta: dict = dict(meta) if isinstance(meta, dict) else {}
        self.checked: Checked | None = None
        self._lock = threading.Lock()

    # --- the section's values ------------------------------------------------------------
    @property
    def source_dir(self) -> str:
        value = self.meta.get("source_dir")
        return value if isinstance(value, str) else ""

    @property
    def entry_point(self) -> str:
        value = self.meta.get("entry_point")
        return value if isinstance(value, str) else ""

    @property
    def requirements(self) -> bool:
        return bool(self.meta.get("requirements"))

    @property
    def ignore(self) -> tuple[str, ...]:
        value = self.meta.get("ignore")
        return tuple(p for p in value if isinstance(p, str)) if isinstance(value, list) else DEFAULT_IGNORE

    def update(self, **values) -> None:
        """source_dir / entry_point (str), requirements (bool), ignore (tuple of patterns)."""
        for key, value in values.items():
            if key == "requirements":
                value = (self.meta.get("requirements") or DEFAULT_REQUIREMENTS) if value else None
            elif key == "ignore":
                value = None if tuple(value) == DEFAULT_IGNORE else list(value)
            if value in (None, ""):
                self.meta.pop(key, None)
            else:
                self.meta[key] = value

    @property
    def settings(self) -> CodeSettings | None:
        """None when no source folder is set: the job has no code."""
        if not self.source_dir.strip():
            return None
        return CodeSettings.from_meta({**self.meta, "entry_point": self.entry_point})

    def to_meta(self) -> dict | None:
        """What drafts and history keep (CodeSettings.to_meta()), None without a folder."""
        settings = self.settings
        return settings.to_meta() if settings is not None else None

    # --- the folder's check -----------------------------------------------------------------
    def check(self) -> Checked | None:
        """Scan the folder now (a worker thread calls this). Stored unless the settings changed meanwhile."""
        from smjob.code.bundle import scan

        settings = self.settings
        if settings is None:
            return None
        try:
            bundle = scan(settings)
            result = Checked(settings, bundle.digest, len(bundle.files), bundle.total_bytes, None, bundle.warnings)
        except CodeError as exc:
            result = Checked(settings, error=str(exc))
        except Exception as exc:  # never lose the app to an unexpected error in a check
            result = Checked(settings, error=f"{type(exc).__name__}: {exc}")
        with self._lock:
            if self.settings == settings:
                self.checked = result
        return result

    @property
    def current(self) -> Checked | None:
        """The last check, if it was made with the current settings."""
        checked = self.checked
        return checked if checked is not None and checked.settings == self.settings else None

    def problem(self, request: dict) -> str | None:
        """Why the code cannot go with this request, or None (also None while unchecked)."""
        settings = self.settings
        if settings is None:
            return None
        if not settings.entry_point.strip():
            folder = os.path.expanduser(settings.source_dir)
            if not os.path.isdir(folder):  # one stat: the folder's problem comes first
                return f"the source folder {folder} does not exist or is not a folder"
            return "the entry script is empty: name a .py or .sh file inside the source folder"
        current = self.current
        if current is not None and current.error:
            return current.error
        from smjob.code.complete import code_uri, complete_request

        try:
            complete_request(request, settings, code_uri(request, settings, PENDING_DIGEST))
        except CodeError as exc:
            return str(exc)
        return None

    def completed(self, request: dict) -> dict:
        """The request as it will be sent: with the code channel and launcher when a folder is set
        and usable; the request itself otherwise (the Code section says why)."""
        settings = self.settings
        if settings is None or not settings.entry_point.strip():
            return request
        current = self.current
        if current is not None and current.error:
            return request
        from smjob.code.complete import code_uri, complete_request

        digest = current.digest if current is not None and current.digest else PENDING_DIGEST
        try:
            return complete_request(request, settings, code_uri(request, settings, digest))
        except CodeError:
            return request
