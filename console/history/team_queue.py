"""The team queue: attempts whose latest state the team's DynamoDB table lacks.

A row in ``team_queue`` means "attempt N changed and the team has not seen
that change yet". :meth:`console.history.store.History.start_attempt` and
``finish_attempt`` add it in the same transaction as the attempt itself, so a
crash can never leave an attempt recorded locally and forgotten by the queue.
The uploader (:mod:`console.history.team_upload`) reads the attempt as it is
*now*, writes it, and removes the row only if no newer change came meanwhile
(the ``version`` it read). Functions here take a connection that the caller
holds under the history's lock.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from console.history.records import SELECT_COLUMNS, AttemptRecord, record_from_row

__all__ = [
    "QueuedAttempt",
    "due_attempts",
    "enqueue",
    "enqueue_all",
    "make_due_now",
    "mark_done",
    "mark_failed",
    "queue_size",
]

_MAX_ERROR_CHARS = 300


@dataclass(frozen=True, slots=True)
class QueuedAttempt:
    """One queued attempt, as it is now, with what the upload needs beside the record."""

    record: AttemptRecord
    uid: str | None
    host: str
    version: int
    tries: int


def enqueue(conn: sqlite3.Connection, attempt_id: int) -> None:
    """Queue *attempt_id*'s current state for the team (inside the caller's write transaction)."""
    conn.execute(
        "INSERT INTO team_queue (attempt_id, version) VALUES (?, 1)"
        " ON CONFLICT (attempt_id) DO UPDATE"
        " SET version = version + 1, tries = 0, due_ms = 0, last_error = NULL",
        (attempt_id,),
    )


def enqueue_all(conn: sqlite3.Connection) -> int:
    """Queue every attempt not queued yet (``history push``); returns how many were added.

    Uploading an attempt the team already has is a no-op (the writes are
    conditional), so pushing twice costs requests, never duplicates.
    """
    cursor = conn.execute(
        "INSERT INTO team_queue (attempt_id, version)"
        " SELECT id, 1 FROM attempts WHERE true ON CONFLICT (attempt_id) DO NOTHING"
    )
    return max(cursor.rowcount, 0)


def make_due_now(conn: sqlite3.Connection) -> None:
    """End every queued attempt's backoff: the operator asked to send now (``team sync``)."""
    conn.execute("UPDATE team_queue SET due_ms = 0 WHERE due_ms > 0")


def due_attempts(conn: sqlite3.Connection, now_ms: int, limit: int) -> list[QueuedAttempt]:
    """Up to *limit* queued attempts whose backoff is over, oldest first."""
    rows = conn.execute(
        f"SELECT {SELECT_COLUMNS}, a.uid, a.host, q.version, q.tries"  # noqa: S608 - constants
        " FROM team_queue AS q JOIN attempts AS a ON a.id = q.attempt_id"
        " WHERE q.due_ms <= ? ORDER BY q.attempt_id LIMIT ?",
        (now_ms, limit),
    ).fetchall()
    out = []
    for row in rows:
        *fields, uid, host, version, tries = row
        out.append(QueuedAttempt(record_from_row(tuple(fields)), uid, host, version, tries))
    # An attempt deleted from history leaves its queue row behind: drop those.
    conn.execute(
        "DELETE FROM team_queue WHERE attempt_id NOT IN (SELECT id FROM attempts) AND due_ms <= ?",
        (now_ms,),
    )
    return out


def mark_done(conn: sqlite3.Connection, attempt_id: int, version: int) -> None:
    """The team has *version* of the attempt: unqueue it, unless it changed since."""
    conn.execute(
        "DELETE FROM team_queue WHERE attempt_id = ? AND version = ?", (attempt_id, version)
    )


def mark_failed(conn: sqlite3.Connection, attempt_id: int, *, due_ms: int, error: str) -> None:
    """The upload failed: try again at *due_ms*, remembering why for the status line."""
    conn.execute(
        "UPDATE team_queue SET tries = tries + 1, due_ms = ?, last_error = ? WHERE attempt_id = ?",
        (due_ms, error[:_MAX_ERROR_CHARS], attempt_id),
    )


def queue_size(conn: sqlite3.Connection) -> tuple[int, str | None]:
    """How many attempts wait for the team, and the newest upload error (None if none)."""
    (count,) = conn.execute("SELECT count(*) FROM team_queue").fetchone()
    row = conn.execute(
        "SELECT last_error FROM team_queue WHERE last_error IS NOT NULL"
        " ORDER BY due_ms DESC LIMIT 1"
    ).fetchone()
    return int(count), (str(row[0]) if row else None)
