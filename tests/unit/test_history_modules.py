"""The history is split over several modules; callers still import it all from one place."""

from __future__ import annotations

import console.history as history
import console.history.check as history_check
import console.history.file as history_file
import console.history.query as history_query
import console.history.records as history_records


def test_console_history_still_exports_what_callers_import() -> None:
    # What console/, tests/ and benchmarks/ import from console.history.
    for name in (
        "FIELDS",
        "OUTCOMES",
        "MIN_INDEXED_CHARS",
        "CHECKPOINT_EVERY",
        "INTERRUPTED_CODE",
        "INTERRUPTED_MESSAGE",
        "AttemptRecord",
        "History",
        "HistoryError",
        "HistoryFilter",
        "default_operator",
    ):
        assert hasattr(history, name), name
    assert set(history.__all__) <= set(dir(history))


def test_each_name_has_one_home() -> None:
    # Re-exports are the same objects, so isinstance and monkeypatching agree.
    assert history.AttemptRecord is history_records.AttemptRecord
    assert history.FIELDS is history_records.FIELDS
    assert history.OUTCOMES is history_records.OUTCOMES
    assert history.HistoryFilter is history_query.HistoryFilter
    assert history.HistoryError is history_file.HistoryError
    assert history_file.FileState is history_check.FileState


def test_the_default_filter_filters_nothing() -> None:
    sql, params = history_query.select_sql(history_query.ALL_ATTEMPTS, "count(*)")
    assert "WHERE" not in sql
    assert params == []
