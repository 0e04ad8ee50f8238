"""The attempt history: one SQLite file, written before and after every call.

Every ResendConfirmationCode attempt is inserted as ``pending`` before the
request leaves and completed when its :class:`~console.cognito.outcomes.Outcome`
is known, so a crash mid-call leaves a trace; the next :meth:`History.open`
marks such rows ``unknown`` ("the code may have been sent").

Opening, checking and recovering the file live in :mod:`console.history.file`
(the check marker in :mod:`console.history.check`); who wrote a pending
row and when it counts as interrupted in :mod:`console.history.pending`; what a row holds in
:mod:`console.history.records`; filters and their SQL in
:mod:`console.history.query`; CSV/JSON export in :mod:`console.history.export`.
Callers import all they need from here. Any failure (full disk,
read-only folder, lock held too long) is a one-line :class:`HistoryError` the
caller shows next to the API result, never instead of it.

It never stores a secret or a SecretHash: no method takes one.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Literal, TextIO

from console.cognito import Outcome, OutcomeKind
from console.history.check import FileState, vouched_change
from console.history.export import write_export
from console.history.file import HistoryError, open_database
from console.history.pending import (
    INTERRUPTED_CODE,
    INTERRUPTED_MESSAGE,
    default_operator,
    interrupted,
    utc_now,
)
from console.history.query import ALL_ATTEMPTS, MIN_INDEXED_CHARS, HistoryFilter, select_sql
from console.history.records import (
    FIELDS,
    OUTCOMES,
    SELECT_COLUMNS,
    AttemptRecord,
    record_from_row,
    row_dict,
    simulated_column,
)
from console.history.team_queue import enqueue

__all__ = [
    "CHECKPOINT_EVERY",
    "FIELDS",
    "MIN_INDEXED_CHARS",
    "OUTCOMES",
    "AttemptRecord",
    "History",
    "HistoryError",
    "HistoryFilter",
]

_MAX_MESSAGE_CHARS = 4000  # a server message is a sentence; cap what a hostile proxy could send
CHECKPOINT_EVERY = 100
"""Write transactions between our own WAL checkpoints (an attempt writes ~10
pages, so ~1,000 WAL pages: SQLite's own automatic checkpoint interval)."""


class History:
    """The attempt log. Open with :meth:`History.open`; use as a context manager.

    Threads: one connection opened with ``check_same_thread=False`` and every
    use serialised by a lock. The TUI writes from a worker thread and reads from
    the UI thread; at one write per attempt the lock is never contended for
    long, and one connection keeps the pragmas and the stale-row sweep in one
    place (a connection per thread would need its own lifecycle and leak when
    threads end). Export alone uses a short-lived connection of its own, so a
    long export never holds up a send.
    """

    path: Path
    warnings: list[str]
    operator: str

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        warnings: list[str],
        *,
        verified: FileState | None = None,
        checked_at: float = 0.0,
        team: bool = False,
    ) -> None:
        """Use :meth:`open`; this wraps an already-prepared connection.

        *verified* is the main file's state as last checked (or vouched for by
        the check marker) and *checked_at* when quick_check last ran: see
        :class:`console.history.check.CheckMarker`. With *team*, every change
        to an attempt is also queued for the team's table (:mod:`console.history.team_queue`).
        """
        self.path = path
        self.warnings = warnings
        self.operator = default_operator()
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._host = socket.gethostname()
        self._verified = verified
        self._checked_at = checked_at
        self._writes = 0
        self.team = team

    # -- opening ----------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, team: bool = False) -> History:
        """Open (creating if needed) the history file at *path*.

        Creates the folder 0700 and the file 0600, checks the file, moves a
        corrupt one aside (noting it in :attr:`warnings`), migrates the schema
        and marks pending rows that a dead process left as ``unknown``. *team*
        queues every change for the team's table.
        Raises :class:`HistoryError` when the file cannot be used at all.
        """
        path = Path(path).expanduser().absolute()
        opened = open_database(path)
        history = cls(
            path,
            opened.conn,
            opened.warnings,
            verified=opened.verified,
            checked_at=opened.checked_at,
            team=team,
        )
        warnings = history.warnings
        try:
            history._mark_interrupted()
        except HistoryError as exc:
            warnings.append(str(exc))
        return history

    def _mark_interrupted(self) -> None:
        _, now_ms = utc_now()
        with self._use("history not updated", write=True) as conn:
            rows = conn.execute(
                "SELECT id, pid, host, started_ms FROM attempts WHERE outcome = 'pending'"
            ).fetchall()
            stale = interrupted(rows, now_ms=now_ms, host=self._host, pid=self._pid)
            if stale:
                # outcome = 'pending' again: a row its writer finished meanwhile is left alone.
                conn.executemany(
                    "UPDATE attempts SET outcome = 'unknown', error_code = ?, error_message = ?"
                    " WHERE id = ? AND outcome = 'pending'",
                    [(INTERRUPTED_CODE, INTERRUPTED_MESSAGE, row_id) for row_id in stale],
                )
                if self.team:
                    for row_id in stale:
                        enqueue(conn, row_id)

    # -- writing ----------------------------------------------------------

    def start_attempt(
        self,
        *,
        profile: str,
        region: str,
        user_pool_id: str,
        client_id: str,
        username: str,
        client_metadata: Mapping[str, str],
        analytics_endpoint_id: str | None,
        batch_id: str | None = None,
    ) -> int:
        """Record an attempt as pending, before the call; return its id."""
        started_at, started_ms = utc_now()
        metadata = json.dumps(dict(client_metadata), ensure_ascii=False, separators=(",", ":"))
        with self._use("history not saved", write=True) as conn:
            cursor = conn.execute(
                "INSERT INTO attempts (started_at, started_ms, profile, region, user_pool_id,"
                " client_id, username, client_metadata, analytics_endpoint_id, outcome,"
                " operator, pid, host, batch_id, uid)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)",
                (
                    started_at, started_ms, profile, region, user_pool_id, client_id, username,
                    metadata, analytics_endpoint_id, self.operator, self._pid, self._host, batch_id,
                    str(uuid.uuid4()),
                ),
            )  # fmt: skip
            attempt_id = cursor.lastrowid
            if self.team and attempt_id is not None:
                enqueue(conn, attempt_id)
        if attempt_id is None:  # pragma: no cover - an INSERT always sets it
            raise HistoryError("history not saved: no row id")
        return attempt_id

    def finish_attempt(self, attempt_id: int, outcome: Outcome) -> None:
        """Complete attempt *attempt_id* with *outcome*, after the call."""
        if outcome.kind is OutcomeKind.PENDING:
            raise ValueError("an attempt finishes delivered, failed or unknown, not pending")
        finished_at, _ = utc_now()
        delivery, error = outcome.delivery, outcome.error
        message = error.message[:_MAX_MESSAGE_CHARS] if error else None
        # Not fsynced on its own (synchronous=NORMAL for this commit): a power
        # cut before the next synced write can lose it, and the row is then
        # still 'pending' and is later marked 'unknown' ("the code may have
        # been sent"): never a wrong answer. The pending row before the call is
        # the one that must reach the disk, and it does (FULL).
        with self._use("history not saved", write=True, durable=False) as conn:
            # No "AND outcome = 'pending'": if a sweep marked a slow call
            # interrupted, the real result it now brings back is what counts.
            cursor = conn.execute(
                "UPDATE attempts SET finished_at = ?, outcome = ?, medium = ?, destination = ?,"
                " attribute = ?, error_code = ?, error_message = ?, http_status = ?,"
                " request_id = ?, latency_ms = ?, may_be_simulated = ? WHERE id = ?",
                (
                    finished_at, outcome.kind.value,
                    delivery.medium if delivery else None,
                    delivery.destination if delivery else None,
                    delivery.attribute if delivery else None,
                    error.code if error else None, message,
                    error.http_status if error else None,
                    outcome.request_id, outcome.latency_ms,
                    simulated_column(outcome.may_be_simulated),
                    attempt_id,
                ),
            )  # fmt: skip
            if cursor.rowcount != 1:
                raise HistoryError(f"history not saved: attempt {attempt_id} is not in the history")
            if self.team:
                enqueue(conn, attempt_id)

    # -- reading ----------------------------------------------------------

    def query(
        self, flt: HistoryFilter = ALL_ATTEMPTS, *, before_id: int | None = None, limit: int = 50
    ) -> list[AttemptRecord]:
        """Up to *limit* attempts matching *flt*, newest first.

        For the next page pass ``before_id`` = the last record's id (keyset
        pagination: each page costs the same however deep it is).
        """
        if limit < 1:
            raise ValueError("limit must be at least 1")
        sql, params = select_sql(flt, SELECT_COLUMNS, before_id=before_id, newest_first=True)
        with self._use("history not read") as conn:
            rows = conn.execute(f"{sql} LIMIT ?", [*params, limit]).fetchall()
        return [record_from_row(row) for row in rows]

    def count(self, flt: HistoryFilter = ALL_ATTEMPTS) -> int:
        """How many attempts match *flt*."""
        sql, params = select_sql(flt, "count(*)")
        with self._use("history not read") as conn:
            (total,) = conn.execute(sql, params).fetchone()
        return int(total)

    def get(self, attempt_id: int) -> AttemptRecord | None:
        """The attempt with this id, or ``None``."""
        with self._use("history not read") as conn:
            row = conn.execute(
                f"SELECT {SELECT_COLUMNS} FROM attempts AS a WHERE a.id = ?",  # noqa: S608
                (attempt_id,),
            ).fetchone()
        return record_from_row(row) if row else None

    def delivered_usernames(self, batch_id: str) -> set[str]:
        """Usernames of batch *batch_id* whose code was delivered (to resume a bulk run)."""
        with self._use("history not read") as conn:
            rows = conn.execute(
                "SELECT DISTINCT username FROM attempts"
                " WHERE batch_id = ? AND outcome = 'delivered'",
                (batch_id,),
            ).fetchall()
        return {name for (name,) in rows}

    def export(
        self,
        out: TextIO | Path,
        fmt: Literal["csv", "json"],
        flt: HistoryFilter = ALL_ATTEMPTS,
    ) -> int:
        """Write the attempts matching *flt*, newest first, to *out* as CSV or JSON.

        Streams (constant memory); a path is created 0600 and appears only
        once complete. Returns the number of rows written; raises
        :class:`HistoryError` on any failure, database or file.
        """
        if self._conn is None:
            raise HistoryError("history not exported: the history is closed")
        sql, params = select_sql(flt, SELECT_COLUMNS, newest_first=True)
        try:
            # Its own connection and read transaction: a consistent snapshot,
            # and WAL lets the main connection keep writing meanwhile.
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise HistoryError(f"history not exported: {exc}") from None
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("BEGIN")
            rows = (row_dict(row) for row in conn.execute(sql, params))
            return write_export(rows, FIELDS, out, fmt)
        except sqlite3.Error as exc:
            raise HistoryError(f"history not exported: {exc}") from None
        except BrokenPipeError:
            raise  # the reader left (`| head`): not a failure, the caller exits quietly
        except OSError as exc:
            raise HistoryError(f"history not exported: {exc.strerror or exc}") from None
        finally:
            conn.close()

    # -- lifecycle --------------------------------------------------------

    @contextlib.contextmanager
    def _use(
        self, failure: str, *, write: bool = False, durable: bool = True
    ) -> Iterator[sqlite3.Connection]:
        """The connection under the lock; sqlite errors become HistoryError.

        A write runs in BEGIN IMMEDIATE ... COMMIT: taking the write lock up
        front lets busy_timeout wait for another process, where a deferred
        transaction that reads first could fail at once with SQLITE_BUSY.
        A *durable* write's COMMIT waits for fsync (synchronous=FULL: 0.3-6 ms
        measured on a VM disk); otherwise it reaches the disk with the next one
        that does.
        """
        with self._lock:
            conn = self._conn
            if conn is None:
                raise HistoryError(f"{failure}: the history is closed")
            try:
                if not write:
                    yield conn
                    return
                if not durable:
                    conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                finally:
                    if not durable:
                        conn.execute("PRAGMA synchronous = FULL")
            except sqlite3.Error as exc:
                raise HistoryError(f"{failure}: {exc}") from None
            self._writes += 1
            if self._writes >= CHECKPOINT_EVERY:
                self._writes = 0
                with contextlib.suppress(sqlite3.Error):  # busy: the next one catches up
                    self._vouched_change(lambda: conn.execute("PRAGMA wal_checkpoint(PASSIVE)"))

    @contextlib.contextmanager
    def connection(self, failure: str, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """The history's connection under its lock, for :mod:`console.history.team_queue`.

        *failure* starts the :class:`HistoryError` message. A write is one
        transaction, committed without its own fsync: what it records (the
        queue's bookkeeping) is safe to redo if a power cut loses it.
        """
        with self._use(failure, write=write, durable=False) as conn:
            yield conn

    def _vouched_change(self, change: Callable[[], object]) -> None:
        """Run *change* (a checkpoint, the close) keeping the check marker true; under the lock."""
        self._verified, self._checked_at = vouched_change(
            self.path, self._verified, self._checked_at, change
        )

    def close(self) -> None:
        """Close the file (idempotent). Later calls raise :class:`HistoryError`."""
        with self._lock:
            conn = self._conn
            if conn is not None:
                self._conn = None
                # The last connection to close checkpoints the WAL into the file.
                self._vouched_change(conn.close)

    def __enter__(self) -> History:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
