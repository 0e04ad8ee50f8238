"""How the history writes, seen in the SQL it runs: what makes "pending before
the call" survive a crash and keeps the WAL file from growing without bound.

A power cut cannot be pulled in a test; the statements SQLite is given are
the next best witness: the pending row commits in a write transaction taken up
front and fsync'd (synchronous=FULL), the completion may ride on the next sync
(NORMAL), and every CHECKPOINT_EVERY writes the WAL is checkpointed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from console.cognito import ErrorInfo, Outcome, OutcomeKind
from console.history import History
from console.history.store import CHECKPOINT_EVERY


@pytest.fixture
def traced(tmp_path: Path) -> Iterator[tuple[History, list[str]]]:
    with History.open(tmp_path / "history.sqlite3") as history:
        statements: list[str] = []
        assert history._conn is not None
        history._conn.set_trace_callback(statements.append)
        yield history, statements


def _start(history: History) -> int:
    return history.start_attempt(
        profile="prod",
        region="eu-west-1",
        user_pool_id="eu-west-1_AbC",
        client_id="client1",
        username="alice",
        client_metadata={"lang": "fr"},
        analytics_endpoint_id=None,
    )


def _kinds(statements: list[str]) -> list[str]:
    """The statements' kinds in order; a full-text index's trigger repeats one, seen once."""
    wanted = ("BEGIN", "COMMIT", "PRAGMA synchronous", "INSERT", "UPDATE", "PRAGMA wal_checkpoint")
    kinds: list[str] = []
    for statement in statements:
        kind = next((w for w in wanted if statement.startswith(w)), None)
        if kind is not None and (not kinds or kinds[-1] != kind):
            kinds.append(kind)
    return kinds


def test_the_pending_row_commits_in_an_immediate_transaction_at_full_sync(
    traced: tuple[History, list[str]],
) -> None:
    history, statements = traced
    _start(history)
    assert _kinds(statements) == ["BEGIN", "INSERT", "COMMIT"]
    assert statements[0] == "BEGIN IMMEDIATE"  # the write lock first: busy_timeout can wait


def test_the_completion_commits_at_normal_sync_then_restores_full(
    traced: tuple[History, list[str]],
) -> None:
    history, statements = traced
    attempt = _start(history)
    statements.clear()
    error = ErrorInfo("ReadTimeout", "no answer", None, "m", "r")
    history.finish_attempt(attempt, Outcome(OutcomeKind.UNKNOWN, error=error, latency_ms=1.0))
    assert statements[0] == "PRAGMA synchronous = NORMAL"
    assert _kinds(statements) == [
        "PRAGMA synchronous",
        "BEGIN",
        "UPDATE",
        "COMMIT",
        "PRAGMA synchronous",
    ]
    assert statements[-1] == "PRAGMA synchronous = FULL"
    record = history.get(attempt)
    assert record is not None and record.outcome == "unknown"


def test_marking_interrupted_rows_is_a_full_sync_write(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with History.open(path) as history:
        assert history._conn is not None
        statements: list[str] = []
        history._conn.set_trace_callback(statements.append)
        history._mark_interrupted()
        assert _kinds(statements)[0] == "BEGIN" and "COMMIT" in _kinds(statements)
        assert "PRAGMA synchronous" not in _kinds(statements)


def test_the_wal_is_checkpointed_every_checkpoint_every_writes(
    traced: tuple[History, list[str]],
) -> None:
    history, statements = traced
    checkpoints_after: list[int] = []
    for write in range(1, 2 * CHECKPOINT_EVERY + 1):
        before = len(statements)
        _start(history)
        if any(s.startswith("PRAGMA wal_checkpoint") for s in statements[before:]):
            checkpoints_after.append(write)
    # Opening the history wrote once already: the count runs across every write.
    assert len(checkpoints_after) == 2
    assert checkpoints_after[1] - checkpoints_after[0] == CHECKPOINT_EVERY
    assert checkpoints_after[0] <= CHECKPOINT_EVERY


def test_reading_does_not_wait_for_another_writer(tmp_path: Path) -> None:
    # Another console (or a batch) holding the write lock must not stall the
    # history screen: reads take no lock of their own under WAL.
    import sqlite3

    path = tmp_path / "history.sqlite3"
    with History.open(path) as history:
        _start(history)
        other = sqlite3.connect(path, isolation_level=None, timeout=0.1)
        try:
            other.execute("BEGIN IMMEDIATE")
            assert history.count() == 1
            assert [r.username for r in history.query()] == ["alice"]
        finally:
            other.execute("ROLLBACK")
            other.close()
