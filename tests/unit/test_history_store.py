"""The history store: attempts, interrupted attempts, filters, pages, threads, secrets."""

from __future__ import annotations

import getpass
import inspect
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.cognito import Delivery, ErrorInfo, Outcome, OutcomeKind
from console.history import (
    FIELDS,
    AttemptRecord,
    History,
    HistoryError,
    HistoryFilter,
    default_operator,
)
from console.history.store import INTERRUPTED_CODE, INTERRUPTED_MESSAGE

DELIVERED = Outcome(
    OutcomeKind.DELIVERED,
    delivery=Delivery("EMAIL", "a***@e***.com", "email"),
    request_id="req-1",
    latency_ms=123.5,
    may_be_simulated=True,
)
FAILED = Outcome(
    OutcomeKind.FAILED,
    error=ErrorInfo("LimitExceededException", "Attempt limit exceeded", 400, "m", "r"),
    request_id="req-2",
    latency_ms=80.0,
)


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    with History.open(tmp_path / "history.sqlite3") as opened:
        yield opened


def _add(
    history: History,
    username: str = "alice",
    *,
    profile: str = "prod",
    batch_id: str | None = None,
    metadata: dict[str, str] | None = None,
) -> int:
    return history.start_attempt(
        profile=profile,
        region="eu-west-1",
        user_pool_id="eu-west-1_AbC",
        client_id="client1",
        username=username,
        client_metadata=metadata or {},
        analytics_endpoint_id=None,
        batch_id=batch_id,
    )


def _set(path: Path, attempt_id: int, **columns: object) -> None:
    """Rewrite raw columns of one row (pid, host, started_ms...), as another process would."""
    conn = sqlite3.connect(path)
    assignments = ", ".join(f"{name} = ?" for name in columns)
    sql = f"UPDATE attempts SET {assignments} WHERE id = ?"  # noqa: S608 - names from this test
    conn.execute(sql, [*columns.values(), attempt_id])
    conn.commit()
    conn.close()


# -- one attempt ----------------------------------------------------------------


def test_attempt_is_pending_then_completed(history: History) -> None:
    attempt = history.start_attempt(
        profile="prod",
        region="eu-west-1",
        user_pool_id="eu-west-1_AbC",
        client_id="client1",
        username="alice",
        client_metadata={"source": "helpdesk", "ticket": "42"},
        analytics_endpoint_id="endpoint-7",
        batch_id="batch-1",
    )
    pending = history.get(attempt)
    assert pending is not None
    assert pending.outcome == "pending" and pending.finished_at is None
    assert pending.started_at.endswith("Z") and len(pending.started_at) == len(
        "2025-01-31T09:15:02.123Z"
    )
    assert pending.client_metadata == {"source": "helpdesk", "ticket": "42"}
    assert pending.analytics_endpoint_id == "endpoint-7"
    assert pending.batch_id == "batch-1"
    assert pending.operator == default_operator()

    history.finish_attempt(attempt, DELIVERED)
    done = history.get(attempt)
    assert done is not None
    assert done.outcome == "delivered" and done.finished_at is not None
    assert done.finished_at >= done.started_at
    assert (done.medium, done.destination, done.attribute) == ("EMAIL", "a***@e***.com", "email")
    assert (done.request_id, done.latency_ms, done.may_be_simulated) == ("req-1", 123.5, True)
    assert done.error_code is None and done.http_status is None


def test_failed_attempt_keeps_the_error(history: History) -> None:
    attempt = _add(history)
    history.finish_attempt(attempt, FAILED)
    record = history.get(attempt)
    assert record is not None
    assert record.outcome == "failed" and record.medium is None
    assert (record.error_code, record.error_message, record.http_status) == (
        "LimitExceededException",
        "Attempt limit exceeded",
        400,
    )


def test_finish_rejects_pending_and_unknown_ids(history: History) -> None:
    attempt = _add(history)
    with pytest.raises(ValueError, match="pending"):
        history.finish_attempt(attempt, Outcome(OutcomeKind.PENDING))
    with pytest.raises(HistoryError, match="not in the history"):
        history.finish_attempt(attempt + 100, DELIVERED)
    assert history.get(attempt + 100) is None


def test_record_dict_has_the_stable_field_names(history: History) -> None:
    record = history.get(_add(history, metadata={"k": "v"}))
    assert record is not None
    data = record.to_dict()
    assert tuple(data) == FIELDS == tuple(AttemptRecord.__dataclass_fields__)
    assert data["client_metadata"] == {"k": "v"}
    assert data["client_metadata"] is not record.client_metadata  # a copy, safe to change


def test_untrusted_text_is_stored_as_is(history: History) -> None:
    name = "[@click=app.quit]x[/]\x1b]52;c;aGk=\x07'; DROP TABLE attempts; --"
    record = history.get(_add(history, name, metadata={"\u202ek": "v\x00"}))
    assert record is not None
    assert record.username == name and record.client_metadata == {"\u202ek": "v\x00"}
    assert history.count() == 1


def test_works_from_other_threads(history: History) -> None:
    def send(i: int) -> int:
        attempt = _add(history, f"user{i}")
        history.finish_attempt(attempt, DELIVERED)
        return attempt

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(send, range(100)))
    assert len(set(ids)) == 100
    assert history.count(HistoryFilter(outcome="delivered")) == 100


def test_closed_history_raises(tmp_path: Path) -> None:
    history = History.open(tmp_path / "h.sqlite3")
    history.close()
    history.close()  # idempotent
    with pytest.raises(HistoryError, match="closed"):
        _add(history)
    with pytest.raises(HistoryError, match="closed"):
        history.query()
    with pytest.raises(HistoryError, match="closed"):
        history.export(tmp_path / "out.csv", "csv")


def test_default_operator_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> str:
        raise OSError("no user")

    monkeypatch.setattr(getpass, "getuser", broken)
    assert default_operator() == "unknown"


# -- interrupted attempts -------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()  # reaped: the pid names no process now
    return proc.pid


@pytest.fixture
def live_pid() -> Iterator[int]:
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        yield proc.pid
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()


def test_a_dead_writers_pending_row_becomes_unknown(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        crashed = _add(history, "crashed")
        finished = _add(history, "finished")
        history.finish_attempt(finished, FAILED)
    _set(path, crashed, pid=_dead_pid())
    _set(path, finished, pid=_dead_pid())
    with History.open(path) as history:
        record = history.get(crashed)
        assert record is not None
        assert record.outcome == "unknown"
        assert (record.error_code, record.error_message) == (INTERRUPTED_CODE, INTERRUPTED_MESSAGE)
        assert "may have been sent" in INTERRUPTED_MESSAGE
        assert record.finished_at is None  # we do not know when (or whether) it ended
        untouched = history.get(finished)
        assert untouched is not None and untouched.outcome == "failed"


def test_a_live_writers_pending_row_is_untouched(tmp_path: Path, live_pid: int) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        attempt = _add(history)
    _set(path, attempt, pid=live_pid)
    with History.open(path) as history:
        record = history.get(attempt)
        assert record is not None and record.outcome == "pending"


def test_our_own_call_in_flight_is_untouched_by_a_second_open(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as first:
        attempt = _add(first)
        with History.open(path) as second:
            record = second.get(attempt)
            assert record is not None and record.outcome == "pending"
        first.finish_attempt(attempt, DELIVERED)
        record = first.get(attempt)
        assert record is not None and record.outcome == "delivered"


def test_another_hosts_row_is_judged_by_age_only(tmp_path: Path, live_pid: int) -> None:
    path = tmp_path / "h.sqlite3"
    now_ms = int(time.time() * 1000)
    with History.open(path) as history:
        recent, old, old_live = _add(history), _add(history), _add(history)
    _set(path, recent, host="elsewhere", pid=_dead_pid())
    _set(path, old, host="elsewhere", started_ms=now_ms - 2 * 3600 * 1000)
    # A pending row an hour old is a crash even if its pid is alive (reused).
    _set(path, old_live, pid=live_pid, started_ms=now_ms - 2 * 3600 * 1000)
    with History.open(path) as history:
        outcomes = {i: r.outcome for i in (recent, old, old_live) if (r := history.get(i))}
    assert outcomes == {recent: "pending", old: "unknown", old_live: "unknown"}


def test_a_slow_call_marked_interrupted_still_records_its_result(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        attempt = _add(history)
        _set(path, attempt, started_ms=0)
        History.open(path).close()  # another process's sweep marks it
        history.finish_attempt(attempt, DELIVERED)
        record = history.get(attempt)
        assert record is not None and record.outcome == "delivered"


# -- filters and pages ----------------------------------------------------------


@pytest.fixture
def names(history: History) -> list[str]:
    usernames = [
        "alice.smith@example.com",
        "ALICE.JONES@example.com",
        "bob",
        "a%b",
        "a_b",
        "axb",
        "100%sure",
        "under_score_x",
        "back\\slash",
        'say"hi"x',
        "zoë",
    ]
    for name in usernames:
        _add(history, name)
    return usernames


def _usernames(history: History, text: str) -> set[str]:
    found = {r.username for r in history.query(HistoryFilter(username=text), limit=100)}
    assert history.count(HistoryFilter(username=text)) == len(found)
    return found


@pytest.mark.usefixtures("names")
def test_username_substring_is_case_insensitive(history: History) -> None:
    both = {"alice.smith@example.com", "ALICE.JONES@example.com"}
    assert _usernames(history, "alice") == both  # 3+ chars: trigram index
    assert _usernames(history, "Alic") == both
    assert _usernames(history, "AL") == both  # 1-2 chars: LIKE
    assert _usernames(history, "jones@EX") == {"ALICE.JONES@example.com"}
    assert _usernames(history, "nobody") == set()


@pytest.mark.usefixtures("names")
def test_like_wildcards_are_literal(history: History) -> None:
    assert _usernames(history, "%") == {"a%b", "100%sure"}
    assert _usernames(history, "_") == {"a_b", "under_score_x"}
    assert _usernames(history, "a_") == {"a_b"}
    assert _usernames(history, "a_b") == {"a_b"}  # not axb
    assert _usernames(history, "0%s") == {"100%sure"}
    assert _usernames(history, "\\") == {"back\\slash"}
    assert _usernames(history, "k\\s") == {"back\\slash"}


@pytest.mark.usefixtures("names")
def test_fts_syntax_is_plain_text(history: History) -> None:
    assert _usernames(history, 'y"h') == {'say"hi"x'}
    assert _usernames(history, '"hi"') == {'say"hi"x'}
    assert _usernames(history, "bob OR alice") == set()
    assert _usernames(history, "a*") == set()
    assert _usernames(history, "zoë") == {"zoë"}
    assert _usernames(history, "ZOË") == {"zoë"}  # trigram folds non-ASCII case too


def test_exact_filters(history: History) -> None:
    for i in range(6):
        attempt = _add(
            history, f"user{i}", profile="prod" if i % 2 else "test", batch_id=f"b{i % 3}"
        )
        history.finish_attempt(attempt, DELIVERED if i < 4 else FAILED)
    _add(history, "still-pending", profile="test")
    assert history.count() == 7
    assert history.count(HistoryFilter(profile="prod")) == 3
    assert history.count(HistoryFilter(profile="pro")) == 0  # exact, not substring
    assert history.count(HistoryFilter(outcome="failed")) == 2
    assert history.count(HistoryFilter(outcome="pending")) == 1
    assert [r.username for r in history.query(HistoryFilter(batch_id="b1"))] == ["user4", "user1"]
    both = HistoryFilter(profile="test", outcome="delivered")
    assert {r.username for r in history.query(both)} == {"user0", "user2"}
    with_batch = HistoryFilter(username="USER", batch_id="b0")  # LIKE path inside a batch
    assert {r.username for r in history.query(with_batch)} == {"user0", "user3"}
    with pytest.raises(ValueError, match="unknown outcome"):
        HistoryFilter(outcome="sent")
    with pytest.raises(ValueError, match="limit"):
        history.query(limit=0)


def test_time_range(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    base = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    with History.open(path) as history:
        ids = [_add(history, f"user{i}") for i in range(5)]
    for i, attempt in enumerate(ids):
        _set(path, attempt, started_ms=int((base + timedelta(days=i)).timestamp() * 1000))
    with History.open(path) as history:

        def days(flt: HistoryFilter) -> list[str]:
            return [r.username for r in history.query(flt)]

        since = base + timedelta(days=2)
        until = base + timedelta(days=4)
        assert days(HistoryFilter(since=since)) == ["user4", "user3", "user2"]  # inclusive
        assert days(HistoryFilter(until=until)) == ["user3", "user2", "user1", "user0"]
        assert days(HistoryFilter(since=since, until=until)) == ["user3", "user2"]
        assert days(HistoryFilter(since=since, username="user")) == ["user4", "user3", "user2"]
        assert history.count(HistoryFilter(since=since, until=until)) == 2


@pytest.mark.parametrize(
    "flt",
    [HistoryFilter(), HistoryFilter(username="user"), HistoryFilter(username="us"),
     HistoryFilter(profile="prod")],
    ids=["all", "trigram", "like", "profile"],
)  # fmt: skip
def test_keyset_pages_cover_everything_once_newest_first(
    history: History, flt: HistoryFilter
) -> None:
    ids = [_add(history, f"user{i}") for i in range(120)]
    seen: list[int] = []
    sizes: list[int] = []
    before: int | None = None
    while page := history.query(flt, before_id=before, limit=50):
        sizes.append(len(page))
        seen.extend(r.id for r in page)
        before = page[-1].id
    assert sizes == [50, 50, 20]
    assert seen == sorted(ids, reverse=True)
    assert history.count(flt) == 120


def test_delivered_usernames_for_a_batch(history: History) -> None:
    for name, outcome in (("a", DELIVERED), ("b", FAILED), ("a", DELIVERED), ("c", DELIVERED)):
        history.finish_attempt(_add(history, name, batch_id="run-1"), outcome)
    history.finish_attempt(_add(history, "d", batch_id="run-2"), DELIVERED)
    _add(history, "e", batch_id="run-1")  # pending
    assert history.delivered_usernames("run-1") == {"a", "c"}
    assert history.delivered_usernames("nope") == set()


def test_search_index_stays_in_sync(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        keep, gone, renamed = _add(history, "keeper"), _add(history, "goner"), _add(history, "old")
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM attempts WHERE id = ?", (gone,))
    conn.execute("UPDATE attempts SET username = 'newname' WHERE id = ?", (renamed,))
    conn.execute("INSERT INTO attempts_username (attempts_username) VALUES ('integrity-check')")
    conn.commit()
    conn.close()
    with History.open(path) as history:
        assert [r.id for r in history.query(HistoryFilter(username="keeper"))] == [keep]
        assert history.query(HistoryFilter(username="goner")) == []
        assert history.query(HistoryFilter(username="old")) == []
        assert [r.id for r in history.query(HistoryFilter(username="newn"))] == [renamed]


# -- secrets ------------------------------------------------------------------------

CANARY = "CANARY-s3cr3t-7f1c9e"


def test_no_secret_can_be_passed_or_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The API has no place for a secret or SecretHash...
    for method in (History.start_attempt, History.finish_attempt):
        params = " ".join(inspect.signature(method).parameters).lower()
        assert "secret" not in params and "hash" not in params
    assert not [name for name in FIELDS if "secret" in name or "hash" in name]
    # ...and a secret that sits in the environment and in memory never reaches the file.
    monkeypatch.setenv("COGNITO_CLIENT_SECRET", CANARY)
    client_secret = CANARY  # noqa: F841 - a local, as a real caller would hold one
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        for i in range(20):
            attempt = _add(history, f"user{i}", metadata={"ticket": str(i)})
            history.finish_attempt(attempt, DELIVERED if i % 2 else FAILED)
        blobs = [p.read_bytes() for p in tmp_path.iterdir()]  # main file, -wal and -shm
    blobs += [p.read_bytes() for p in tmp_path.iterdir()]
    assert blobs and all(CANARY.encode() not in blob for blob in blobs)
    assert os.environ["COGNITO_CLIENT_SECRET"] == CANARY
