"""Exporting history as CSV or JSON: round trips, filters, file mode, failures."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.cognito import Delivery, ErrorInfo, Outcome, OutcomeKind
from console.history import FIELDS, History, HistoryError, HistoryFilter, write_export

TRICKY = 'new\nline, "quoted" =1+2'


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    with History.open(tmp_path / "db" / "history.sqlite3") as opened:
        for i, name in enumerate(["alice", TRICKY, "bob", "carol"]):
            attempt = opened.start_attempt(
                profile="prod" if i % 2 else "test",
                region="eu-west-1",
                user_pool_id="eu-west-1_AbC",
                client_id="client1",
                username=name,
                client_metadata={"ticket": str(i), "note": "a,b"},
                analytics_endpoint_id=None,
            )
            if i == 0:
                error = ErrorInfo("UserNotFoundException", "User does not exist.", 400, "", "")
                opened.finish_attempt(attempt, Outcome(OutcomeKind.FAILED, error=error))
            elif i < 3:
                delivery = Delivery("EMAIL", "a***@e***.com", "email")
                opened.finish_attempt(
                    attempt, Outcome(OutcomeKind.DELIVERED, delivery=delivery, latency_ms=12.25)
                )
            # the last one stays pending
        yield opened


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_json_round_trip(history: History) -> None:
    out = io.StringIO()
    assert history.export(out, "json") == 4
    data = json.loads(out.getvalue())
    assert data == [r.to_dict() for r in history.query()]
    assert [tuple(row) for row in data] == [FIELDS] * 4
    assert data[2]["username"] == TRICKY


def test_csv_round_trip(history: History) -> None:
    out = io.StringIO(newline="")
    assert history.export(out, "csv") == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == 4
    assert tuple(rows[0]) == FIELDS
    for row, record in zip(rows, history.query(), strict=True):
        assert row["id"] == str(record.id)
        assert row["username"] == record.username
        assert json.loads(row["client_metadata"]) == record.client_metadata
        assert row["may_be_simulated"] == "false"
        assert row["finished_at"] == (record.finished_at or "")
        assert row["latency_ms"] == ("" if record.latency_ms is None else str(record.latency_ms))
        assert row["http_status"] == ("" if record.http_status is None else str(record.http_status))


def test_export_applies_the_filter(history: History) -> None:
    out = io.StringIO()
    assert history.export(out, "json", HistoryFilter(outcome="delivered", username="B")) == 1
    assert [row["username"] for row in json.loads(out.getvalue())] == ["bob"]
    out = io.StringIO()
    assert history.export(out, "json", HistoryFilter(username="line,")) == 1  # trigram path
    assert history.export(io.StringIO(), "csv", HistoryFilter(profile="prod")) == 2


def test_empty_exports(history: History) -> None:
    out = io.StringIO()
    assert history.export(out, "json", HistoryFilter(username="nobody")) == 0
    assert json.loads(out.getvalue()) == []
    out = io.StringIO()
    assert history.export(out, "csv", HistoryFilter(username="nobody")) == 0
    assert out.getvalue() == ",".join(FIELDS) + "\r\n"


@pytest.mark.usefixtures("umask_022")
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_file_is_0600_and_complete(history: History, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"export.{fmt}"
    target.write_text("old, world-readable")
    target.chmod(0o644)
    assert history.export(target, "csv" if fmt == "csv" else "json") == 4
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text(encoding="utf-8")
    assert "old, world-readable" not in text and "alice" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db", target.name]  # no temp left


def test_export_to_a_missing_folder_fails_cleanly(history: History, tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="history not exported"):
        history.export(tmp_path / "missing" / "out.csv", "csv")


def test_a_failed_export_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous export")

    def rows() -> Iterator[dict[str, object]]:
        yield dict.fromkeys(FIELDS, "x")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_export(rows(), FIELDS, target, "json")
    assert target.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_export_streams(tmp_path: Path) -> None:
    consumed = 0

    def rows() -> Iterator[dict[str, object]]:
        nonlocal consumed
        for i in range(3):
            consumed += 1
            yield dict.fromkeys(FIELDS, i)

    class Probe(io.StringIO):
        def write(self, s: str) -> int:
            self.seen_at.append(consumed)
            return super().write(s)

        seen_at: list[int] = []  # noqa: RUF012 - a probe, per test

    out = Probe()
    assert write_export(rows(), FIELDS, out, "json") == 3
    assert out.seen_at[:2] == [1, 1]  # the first row is written before the second is read
    assert json.loads(out.getvalue())[2]["id"] == 2


def test_unknown_format_is_refused(history: History) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        history.export(io.StringIO(), "xml")  # type: ignore[arg-type]
