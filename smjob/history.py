"""What was submitted or exported, when and where: a SQLite file in `data_dir()/history.sqlite3`.

- The file is created 0600 (and an existing one is chmod-ed to 0600) before SQLite opens it;
  SQLite gives its -wal and -shm files the same mode.
- WAL mode, synchronous=NORMAL and a 30 s busy timeout: several processes (two `smjob submit`s,
  the app and a CLI) can write at once; each writer waits for the lock instead of failing.
  NORMAL may lose the last entries on a power cut, never corrupt the file.
- `PRAGMA user_version` is the schema version; migrations run inside BEGIN IMMEDIATE, so two
  processes opening a new file at once do not both create the table.
- Listing reads only the small columns (no request JSON, no JSON decoding); `get()` decodes
  the request. Newest first is `ORDER BY id DESC` (the rowid b-tree); status, instance type
  and job name have indexes; the text filter is a LIKE over four short columns.
- Nothing here accepts credentials: an entry holds the request, the target's profile name,
  region and endpoint URL, and AWS's answer.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from smjob.drafts import data_dir
from smjob.files import ensure_private_dir

FILENAME = "history.sqlite3"
SCHEMA_VERSION = 1
ACTIONS = ("submit", "export", "submit-failed")
BUSY_TIMEOUT_MS = 30_000

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS entries (
        id INTEGER PRIMARY KEY,
        created TEXT NOT NULL,
        action TEXT NOT NULL,
        job_name TEXT,
        arn TEXT,
        status TEXT,
        profile TEXT,
        region TEXT,
        endpoint TEXT,
        instance_type TEXT,
        request_json TEXT,
        error TEXT,
        path TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS entries_status ON entries(status COLLATE NOCASE, id)",
    "CREATE INDEX IF NOT EXISTS entries_instance ON entries(instance_type COLLATE NOCASE, id)",
    "CREATE INDEX IF NOT EXISTS entries_job ON entries(job_name, id)",
    "CREATE INDEX IF NOT EXISTS entries_created ON entries(created)",
]

_LIST_COLUMNS = "id, created, action, job_name, arn, status, profile, region, endpoint, instance_type, error, path"


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    created: str  # UTC, ISO 8601
    action: str
    job_name: str | None
    arn: str | None
    status: str | None
    profile: str | None
    region: str | None
    endpoint: str | None
    instance_type: str | None
    error: str | None
    path: str | None
    request: dict | None = None  # only from get()
    ignore_rules: tuple[str, ...] = ()  # only from get(): the rule overrides it was made with (smjob.overrides)
    code: dict | None = None  # only from get(): its Code settings (smjob.code.CodeSettings.from_meta)

    def to_dict(self) -> dict:
        optional = {
            "request": self.request is not None,
            "ignore_rules": bool(self.ignore_rules),
            "code": bool(self.code),
        }
        return {k: getattr(self, k) for k in self.__slots__ if optional.get(k, True)}


def where_of(entry: Entry) -> str:
    """Where an entry went, as `smjob history list` and the history screen both show it: an
    export's file; a submission's endpoint (its host) or else its region; "" when none was recorded."""
    if entry.action == "export":
        return entry.path or ""
    if entry.endpoint:
        try:
            return urlsplit(entry.endpoint).netloc or entry.endpoint
        except ValueError:  # e.g. an unclosed "[" of an IPv6 host: the store's text as it is
            return entry.endpoint
    return entry.region or ""


class HistoryUnavailable(OSError):
    """The history file cannot be used; the message names it and says what to do."""

    def __init__(self, path: Path, why: str) -> None:
        self.path = path
        super().__init__(
            f"the history {path} cannot be used: {why}. Move it aside (mv '{path}' '{path}.bad') and smjob "
            "starts a new one; the editor works without it."
        )


def history_path() -> Path:
    return data_dir() / FILENAME


def instance_type_of(request) -> str | None:
    """ResourceConfig.InstanceType, or the instance groups' types joined by ','."""
    if not isinstance(request, dict):
        return None
    rc = request.get("ResourceConfig")
    if not isinstance(rc, dict):
        return None
    if isinstance(rc.get("InstanceType"), str):
        return rc["InstanceType"]
    groups = rc.get("InstanceGroups")
    if isinstance(groups, list):
        types = [
            g.get("InstanceType") for g in groups if isinstance(g, dict) and isinstance(g.get("InstanceType"), str)
        ]
        return ",".join(dict.fromkeys(types)) or None
    return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class History:
    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path is not None else history_path()
        self._lock = threading.RLock()
        self._db = self._open()

    # --- opening ------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except HistoryUnavailable:
            raise
        except sqlite3.DatabaseError as exc:  # random bytes, a foreign or damaged database
            raise HistoryUnavailable(self.path, f"it is not a smjob history database ({exc})") from exc
        except OSError as exc:
            raise HistoryUnavailable(self.path, exc.strerror or str(exc)) from exc

    def _connect(self) -> sqlite3.Connection:
        ensure_private_dir(self.path.parent)
        # O_NOFOLLOW: a symlink planted at the history path must not make us create or chmod its target.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            os.fchmod(fd, 0o600)  # an existing file may be wider
        finally:
            os.close(fd)
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._check_is_ours(db)  # before anything writes to it, even the switch to WAL
            self._retry_locked(lambda: db.execute("PRAGMA journal_mode = WAL").fetchone())
            db.execute("PRAGMA synchronous = NORMAL")
            self._migrate(db)
        except BaseException:
            db.close()
            raise
        return db

    def _check_is_ours(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryUnavailable(self.path, f"it was written by a newer smjob (schema {version}); upgrade smjob")
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "entries" not in tables:
            if tables:
                raise HistoryUnavailable(self.path, f"it holds other tables ({', '.join(sorted(tables))}), not smjob's")
            return  # a new, empty file
        columns = {row[1] for row in db.execute("PRAGMA table_info(entries)")}
        missing = ({*_LIST_COLUMNS.split(", "), "request_json"}) - columns
        if missing:
            raise HistoryUnavailable(self.path, f"its entries table lacks {', '.join(sorted(missing))}")

    @staticmethod
    def _retry_locked(fn, seconds: float = BUSY_TIMEOUT_MS / 1000):
        # Switching to WAL needs an exclusive lock; a brand-new file raced by two processes can
        # report "locked" without going through the busy handler.
        deadline = time.monotonic() + seconds
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _migrate(self, db: sqlite3.Connection) -> None:
        if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        self._retry_locked(lambda: db.execute("BEGIN IMMEDIATE"))
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version < 1:
                for statement in _SCHEMA:
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------------

    def record(
        self,
        action: str,
        request: dict | None,
        *,
        arn: str | None = None,
        status: str | None = None,
        target=None,
        error: str | None = None,
        path: str | os.PathLike | None = None,
        ignore_rules=(),
        code: dict | None = None,
    ) -> int:
        """Add an entry; returns its id. `target` is an smjob.aws.Target (profile, region, endpoint);
        `ignore_rules`, the rule overrides the request was checked with, is stored beside it."""
        from smjob.overrides import attach

        if action not in ACTIONS:
            raise ValueError(f"unknown history action {action!r}; expected one of {', '.join(ACTIONS)}")
        job_name = request.get("TrainingJobName") if isinstance(request, dict) else None
        row = (
            _now(),
            action,
            job_name if isinstance(job_name, str) else None,
            arn,
            status,
            getattr(target, "profile", None),
            getattr(target, "region", None),
            getattr(target, "endpoint_url", None),
            instance_type_of(request),
            None
            if request is None
            else json.dumps(attach(request, ignore_rules, code), ensure_ascii=False, separators=(",", ":")),
            error,
            None if path is None else os.fspath(path),
        )
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO entries (created, action, job_name, arn, status, profile, region, endpoint, "
                "instance_type, request_json, error, path) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                row,
            )
            return int(cur.lastrowid)

    def update_status(self, entry_id: int, status: str) -> None:
        with self._lock:
            cur = self._db.execute("UPDATE entries SET status = ? WHERE id = ?", (status, entry_id))
        if cur.rowcount == 0:
            raise KeyError(f"no history entry {entry_id}")

    # --- reading -------------------------------------------------------------------------------

    def list(
        self,
        text: str | None = None,
        status: str | None = None,
        instance_type: str | None = None,
        limit: int = 200,
        *,
        action: str | None = None,
    ) -> list[Entry]:
        """Newest first. `text` matches part of the job name, ARN, instance type or error
        (case-insensitive for ASCII); `status` and `instance_type` match whole values."""
        where, args = [], []
        if text:
            pattern = _like(text)
            where.append(
                "(job_name LIKE ? ESCAPE '\\' OR arn LIKE ? ESCAPE '\\' "
                "OR instance_type LIKE ? ESCAPE '\\' OR error LIKE ? ESCAPE '\\')"
            )
            args += [pattern] * 4
        if status:
            where.append("status = ? COLLATE NOCASE")
            args.append(status)
        if instance_type:
            where.append("instance_type = ? COLLATE NOCASE")
            args.append(instance_type)
        if action:
            where.append("action = ?")
            args.append(action)
        sql = f"SELECT {_LIST_COLUMNS} FROM entries"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC LIMIT ?"
        args.append(int(limit))
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [Entry(*row) for row in rows]

    def get(self, entry_id: int) -> Entry:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_LIST_COLUMNS}, request_json FROM entries WHERE id = ?", (int(entry_id),)
            ).fetchone()
        if row is None:
            raise KeyError(f"no history entry {entry_id}")
        from smjob.overrides import code_of, split

        record = json.loads(row[-1]) if row[-1] is not None else None
        request, ignore_rules = split(record)
        return Entry(*row[:-1], request=request, ignore_rules=ignore_rules, code=code_of(record))

    def latest_for_job(self, job_name: str) -> Entry | None:
        """The newest entry that submitted `job_name` (without its request)."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {_LIST_COLUMNS} FROM entries WHERE job_name = ? AND action = 'submit' "
                "ORDER BY id DESC LIMIT 1",
                (job_name,),
            ).fetchone()
        return Entry(*row) if row else None

    def previous(self, entry_id: int) -> Entry | None:
        """The newest entry older than `entry_id` that has a request (with its request)."""
        with self._lock:
            row = self._db.execute(
                "SELECT id FROM entries WHERE id < ? AND request_json IS NOT NULL ORDER BY id DESC LIMIT 1",
                (int(entry_id),),
            ).fetchone()
        return self.get(row[0]) if row else None

    def instance_counts(self, ids) -> dict[int, int]:
        """Entry id -> the request's instance count (InstanceCount, or the groups' total), for the
        listed entries only; read in SQL, so the listing still decodes no request in Python."""
        ids = [int(i) for i in ids]
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        sql = (
            "SELECT id, CASE WHEN json_valid(request_json) THEN coalesce("
            "json_extract(request_json, '$.ResourceConfig.InstanceCount'), "
            "(SELECT sum(json_extract(g.value, '$.InstanceCount')) FROM json_each(request_json, "
            "'$.ResourceConfig.InstanceGroups') g WHERE json_type(g.value, '$.InstanceCount') = 'integer')) END "
            f"FROM entries WHERE id IN ({marks}) AND json_type(request_json, '$.ResourceConfig') = 'object'"
        )
        with self._lock:
            rows = self._db.execute(sql, ids).fetchall()
        return {i: n for i, n in rows if isinstance(n, int) and not isinstance(n, bool)}

    def change_mark(self) -> tuple[int, int]:
        """Moves whenever the store changed: PRAGMA data_version when another connection (another
        smjob process) committed, total_changes when this one wrote. Cheap enough to poll."""
        with self._lock:
            return int(self._db.execute("PRAGMA data_version").fetchone()[0]), self._db.total_changes

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM entries").fetchone()[0])
