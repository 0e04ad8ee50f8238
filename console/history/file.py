"""The history file itself: creating it safely, checking it, recovering it, migrating it.

:func:`open_database` is all :mod:`console.history.store` needs: it returns a
configured connection to a sound file of the current schema, or raises
:class:`HistoryError`. Apart from the store so each stays readable.

- The folder is created 0700 and the file 0600 before SQLite opens it (SQLite
  would create 0644, and the ``-wal``/``-shm`` files copy the file's mode).
- WAL and ``busy_timeout=5000`` let the TUI and scripted CLI runs write at
  once; ``synchronous=FULL`` because WAL's ``NORMAL`` may lose the last
  commits on power loss. That fsync costs 0.3-6 ms a commit on a VM disk,
  so only the pending row before a call pays it; the outcome after it is
  committed with ``NORMAL`` (see :meth:`console.history.store.History.finish_attempt`).
- ``PRAGMA quick_check``, judged by its result rows: a damaged file can still
  answer ``SELECT count(*)``. A damaged or not-a-database file is moved aside
  with its ``-wal``/``-shm`` and replaced, with a warning. The check reads the
  whole file (1.5-3.4 s at a million rows), so it is skipped when a check marker
  (``<name>-checked``, :mod:`console.history.check`) says the file is exactly
  as a check or our own SQLite writes left it.
- ``PRAGMA user_version`` numbers the schema; :data:`_MIGRATIONS` steps it up.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from console.history.check import (
    FileState,
    file_state,
    marker_path,
    needs_check,
    read_marker,
    stamp_marker,
)
from console.text import one_line

__all__ = ["SCHEMA_VERSION", "HistoryError", "OpenedFile", "open_database"]

_APPLICATION_ID = 0x43434F4E  # "CCON": tells our file from another program's SQLite database


class HistoryError(Exception):
    """The history could not be opened, read or written. ``str()`` is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(" ".join(message.split())))


# Schema migrations: _MIGRATIONS[n] takes a file from user_version n to n + 1.
# Append, never edit: a released step has already run on users' files.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,          -- the rowid: newest first is a backwards b-tree walk
            started_at TEXT NOT NULL,
            started_ms INTEGER NOT NULL,     -- epoch ms of started_at, for time-range filters
            finished_at TEXT,
            profile TEXT NOT NULL,
            region TEXT NOT NULL,
            user_pool_id TEXT NOT NULL,
            client_id TEXT NOT NULL,
            username TEXT NOT NULL,
            client_metadata TEXT NOT NULL,   -- JSON object text
            analytics_endpoint_id TEXT,
            outcome TEXT NOT NULL
                CHECK (outcome IN ('pending', 'delivered', 'failed', 'unknown')),
            medium TEXT,
            destination TEXT,
            attribute TEXT,
            error_code TEXT,
            error_message TEXT,
            http_status INTEGER,
            request_id TEXT,
            latency_ms REAL,
            may_be_simulated INTEGER NOT NULL DEFAULT 0,
            operator TEXT NOT NULL,
            pid INTEGER NOT NULL,            -- the writer, to tell a crash from a call in flight
            host TEXT NOT NULL,
            batch_id TEXT
        )""",
        # An index on (x) holds (x, rowid): these serve "WHERE x = ? ORDER BY id DESC".
        "CREATE INDEX attempts_profile ON attempts (profile, id)",
        "CREATE INDEX attempts_outcome ON attempts (outcome, id)",
        "CREATE INDEX attempts_batch ON attempts (batch_id, id) WHERE batch_id IS NOT NULL",
        "CREATE INDEX attempts_started ON attempts (started_ms)",
        # Username substring search: trigram FTS5 over the username column only,
        # as an external-content table (no second copy of the rows), synced by
        # triggers. case_sensitive 0 is the trigram default.
        """CREATE VIRTUAL TABLE attempts_username USING fts5(
            username, content='attempts', content_rowid='id', tokenize='trigram')""",
        """CREATE TRIGGER attempts_ai AFTER INSERT ON attempts BEGIN
            INSERT INTO attempts_username (rowid, username) VALUES (new.id, new.username);
        END""",
        """CREATE TRIGGER attempts_ad AFTER DELETE ON attempts BEGIN
            INSERT INTO attempts_username (attempts_username, rowid, username)
            VALUES ('delete', old.id, old.username);
        END""",
        """CREATE TRIGGER attempts_au AFTER UPDATE OF username ON attempts BEGIN
            INSERT INTO attempts_username (attempts_username, rowid, username)
            VALUES ('delete', old.id, old.username);
            INSERT INTO attempts_username (rowid, username) VALUES (new.id, new.username);
        END""",
    ),
    (
        # The attempt's UUID, made before the call: its key in the team's
        # DynamoDB table, so an upload retried after a crash is the same item.
        # Rows from before have none; the team store derives a stable one.
        "ALTER TABLE attempts ADD COLUMN uid TEXT",
        # Attempts whose latest state the team's table does not have yet
        # (written in the same transaction as the attempt itself, so a crash
        # cannot lose one). See console.history.team_queue.
        """CREATE TABLE team_queue (
            attempt_id INTEGER PRIMARY KEY,  -- attempts.id
            version INTEGER NOT NULL,        -- bumped by each change to the attempt
            tries INTEGER NOT NULL DEFAULT 0,
            due_ms INTEGER NOT NULL DEFAULT 0,  -- epoch ms before which it waits (backoff)
            last_error TEXT
        )""",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)


@dataclass(frozen=True, slots=True)
class OpenedFile:
    """What :func:`open_database` hands :class:`~console.history.store.History`."""

    conn: sqlite3.Connection
    warnings: list[str]
    verified: FileState | None
    """The main file's state as checked (or as the marker vouched for); None if unknown."""
    checked_at: float
    """When the file was last quick_checked (epoch seconds)."""


def open_database(path: Path) -> OpenedFile:
    """A ready connection to the history file at *path*, and warnings for the user.

    *path* should be absolute. The connection is in autocommit mode
    (``isolation_level=None``: the caller runs its own BEGIN/COMMIT) and may be
    used from any thread (``check_same_thread=False``: the caller serialises).
    SQLite's automatic checkpoints are off: the caller checkpoints between
    two :func:`file_state` looks (see :mod:`console.history.check`).
    Raises :class:`HistoryError` when no usable file can be had.
    """
    warnings: list[str] = []
    _prepare_file(path)
    try:
        return _open_checked(path, warnings)
    except _Corrupt as exc:
        aside = _move_aside(path)
        warnings.append(
            f"history file was damaged ({exc}); moved it to {aside.name} and started a new one"
        )
    _prepare_file(path)
    try:
        return _open_checked(path, warnings)
    except _Corrupt as again:
        raise HistoryError(f"history not available ({path}): {again}") from None


def _open_checked(path: Path, warnings: list[str]) -> OpenedFile:
    """Connect, quick_checking unless the marker vouches for the file; stamp after a check."""
    state = file_state(path)
    marker = read_marker(path)
    check = needs_check(state, marker)
    conn = _connect(path, warnings, check=check)
    if not check and marker is not None:
        return OpenedFile(conn, warnings, state, marker.checked_at)
    checked_at = time.time()
    if state is not None and state.size == 0:
        # A file we just created: SQLite wrote its header on connecting.
        state = file_state(path)
    # Otherwise the state from before the check: if anything wrote the file
    # since, stamp_marker sees it moved and the next open checks again.
    if state is not None:
        state = stamp_marker(path, state, checked_at)
    return OpenedFile(conn, warnings, state, checked_at)


class _Corrupt(Exception):
    """The file is not a usable SQLite database (damaged, or not one at all)."""


def _prepare_file(path: Path) -> None:
    """Create the folder (0700) and the file (0600) before SQLite touches them.

    SQLite would create the file with 0644 and its -wal/-shm copy the file's
    mode, so the file must exist with the right mode first.
    """
    folder = path.parent
    try:
        if not folder.is_dir():
            folder.mkdir(mode=0o700, parents=True)
            folder.chmod(0o700)  # mkdir's mode is cut by the umask; say exactly what we mean
        # An existing folder keeps its mode: it may be shared on purpose.
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_mode & 0o077:
                os.fchmod(fd, 0o600)  # made by an older version or by hand: tighten
        finally:
            os.close(fd)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists() and side.stat().st_mode & 0o077:
                side.chmod(0o600)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise HistoryError(f"history not available ({path}): {reason}") from None


def _is_corruption(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:  # pragma: no cover - Python < 3.11
        text = str(exc)
        return "not a database" in text or "malformed" in text
    return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _first_problem(problems: list[str]) -> str:
    """quick_check's first finding on one short line, for the warning."""
    lines = [line for text in problems for line in text.splitlines()]
    # Its first line may be a "*** in database main ***" header: skip to the finding.
    findings = [line for line in lines if line.strip() and not line.startswith("***")]
    return one_line(findings[0].strip() if findings else "quick_check found damage", 120)


def _connect(path: Path, warnings: list[str], *, check: bool) -> sqlite3.Connection:
    """Open, configure, check (if *check*) and migrate. Raises _Corrupt or HistoryError."""
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
    except sqlite3.Error as exc:
        raise HistoryError(f"history not available ({path}): {exc}") from None
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        mode = _switch_to_wal(conn)
        if str(mode).lower() != "wal":
            warnings.append(
                f"history is in {mode} mode, not WAL: another process may find it locked"
            )
        conn.execute("PRAGMA synchronous = FULL")
        # The main file changes only where History can look at it before and
        # after: its own checkpoints and the last connection's close.
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        if check:
            # quick_check reports damage as rows, not as an exception: a damaged
            # file can still answer SELECT count(*) while its b-trees are broken.
            rows = conn.execute("PRAGMA quick_check(10)").fetchall()
            problems = [str(row[0]) for row in rows]
            if problems != ["ok"]:
                raise _Corrupt(_first_problem(problems))
        else:
            # Still read the header and schema, so a file replaced by garbage
            # fails here (SQLITE_NOTADB) rather than at the first write.
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        _migrate(conn, path)
    except _Corrupt:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        if _is_corruption(exc):
            raise _Corrupt(str(exc)) from None
        raise HistoryError(f"history not available ({path}): {exc}") from None
    except BaseException:
        conn.close()
        raise
    return conn


_WAL_SWITCH_PATIENCE_S = 5.0
"""How long to keep retrying the switch to WAL while another process holds the file."""


def _switch_to_wal(conn: sqlite3.Connection) -> str:
    """Put the file in WAL mode and return the journal mode it ends in.

    Switching a new file from its rollback journal to WAL needs an exclusive
    lock, and SQLite answers SQLITE_BUSY at once, without calling the busy
    handler, when two processes both hold a shared lock and want it (it would
    deadlock). So two processes creating the history at the same moment must
    retry here; once the file is in WAL the switch is a no-op that takes no lock.
    """
    deadline = time.monotonic() + _WAL_SWITCH_PATIENCE_S
    while True:
        try:
            (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return str(mode)
        except sqlite3.OperationalError as exc:
            busy = (getattr(exc, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY
            if not busy or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to SCHEMA_VERSION, one step per transaction.

    BEGIN IMMEDIATE takes the write lock before reading user_version, so two
    processes opening a new file at once do not both create the tables.
    """
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            (app_id,) = conn.execute("PRAGMA application_id").fetchone()
            if app_id not in (0, _APPLICATION_ID) or (
                version == 0
                and conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] > 0
            ):
                raise HistoryError(
                    f"history not available ({path}): another program's database is at this path"
                )
            if version > SCHEMA_VERSION:
                raise HistoryError(
                    f"history not available ({path}): written by a newer cognito-console "
                    f"(schema {version}, this one knows {SCHEMA_VERSION})"
                )
            if version == SCHEMA_VERSION:
                conn.execute("COMMIT")
                return
            for statement in _MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _move_aside(path: Path) -> Path:
    """Rename a corrupt file (and its -wal/-shm) to ``<name>.corrupt-<UTC time>``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():  # two recoveries in one second: do not overwrite the first
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    with contextlib.suppress(OSError):
        marker_path(path).unlink()  # it vouched for the damaged file
    try:
        for suffix in ("-wal", "-shm", ""):  # the main file last: it marks the move done
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(aside.with_name(aside.name + suffix))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise HistoryError(
            f"history damaged and could not be moved aside ({path}): {reason}"
        ) from None
    return aside
