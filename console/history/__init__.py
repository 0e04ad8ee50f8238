"""The local history: every attempt, written as pending before the call and completed after.

- :mod:`~console.history.store`: :class:`History`, the SQLite store;
- :mod:`~console.history.file`: opening the database file safely (modes, WAL, checks);
- :mod:`~console.history.check`: whether a file changed under us, and who vouched for it;
- :mod:`~console.history.pending`: who wrote a pending row, and when it counts as interrupted;
- :mod:`~console.history.query`: filters and the SQL they become;
- :mod:`~console.history.records`: the record type and its fields;
- :mod:`~console.history.export`: CSV and JSON exports.

Domain code: no Textual. The team store on DynamoDB will live here too, fed
from the local one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.lazy import load_export

if TYPE_CHECKING:
    from console.history.check import (
        ALWAYS_CHECK_BELOW,
        RECHECK_AFTER_S,
        CheckMarker,
        FileState,
        file_state,
        marker_path,
        needs_check,
        read_marker,
        stamp_marker,
        vouched_change,
    )
    from console.history.export import (
        ExportFormat,
        write_export,
    )
    from console.history.file import (
        SCHEMA_VERSION,
        HistoryError,
        OpenedFile,
        open_database,
    )
    from console.history.pending import (
        INTERRUPTED_CODE,
        INTERRUPTED_MESSAGE,
        STALE_AFTER_MS,
        default_operator,
        interrupted,
        pid_alive,
        utc_now,
    )
    from console.history.query import (
        ALL_ATTEMPTS,
        MIN_INDEXED_CHARS,
        HistoryFilter,
        like_escape,
        select_sql,
    )
    from console.history.records import (
        FIELDS,
        OUTCOMES,
        SELECT_COLUMNS,
        AttemptRecord,
        record_from_row,
        row_dict,
    )
    from console.history.store import (
        CHECKPOINT_EVERY,
        History,
    )

_HOMES = {
    "ALL_ATTEMPTS": "query",
    "ALWAYS_CHECK_BELOW": "check",
    "AttemptRecord": "records",
    "CHECKPOINT_EVERY": "store",
    "CheckMarker": "check",
    "ExportFormat": "export",
    "FIELDS": "records",
    "FileState": "check",
    "History": "store",
    "HistoryError": "file",
    "HistoryFilter": "query",
    "INTERRUPTED_CODE": "pending",
    "INTERRUPTED_MESSAGE": "pending",
    "MIN_INDEXED_CHARS": "query",
    "OUTCOMES": "records",
    "OpenedFile": "file",
    "RECHECK_AFTER_S": "check",
    "SCHEMA_VERSION": "file",
    "SELECT_COLUMNS": "records",
    "STALE_AFTER_MS": "pending",
    "default_operator": "pending",
    "file_state": "check",
    "interrupted": "pending",
    "like_escape": "query",
    "marker_path": "check",
    "needs_check": "check",
    "open_database": "file",
    "pid_alive": "pending",
    "read_marker": "check",
    "record_from_row": "records",
    "row_dict": "records",
    "select_sql": "query",
    "stamp_marker": "check",
    "utc_now": "pending",
    "vouched_change": "check",
    "write_export": "export",
}
"""Each public name and the submodule that defines it."""

__all__ = [
    "ALL_ATTEMPTS",
    "ALWAYS_CHECK_BELOW",
    "CHECKPOINT_EVERY",
    "FIELDS",
    "INTERRUPTED_CODE",
    "INTERRUPTED_MESSAGE",
    "MIN_INDEXED_CHARS",
    "OUTCOMES",
    "RECHECK_AFTER_S",
    "SCHEMA_VERSION",
    "SELECT_COLUMNS",
    "STALE_AFTER_MS",
    "AttemptRecord",
    "CheckMarker",
    "ExportFormat",
    "FileState",
    "History",
    "HistoryError",
    "HistoryFilter",
    "OpenedFile",
    "default_operator",
    "file_state",
    "interrupted",
    "like_escape",
    "marker_path",
    "needs_check",
    "open_database",
    "pid_alive",
    "read_marker",
    "record_from_row",
    "row_dict",
    "select_sql",
    "stamp_marker",
    "utc_now",
    "vouched_change",
    "write_export",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use (see :mod:`console.lazy`)."""
    return load_export(__name__, _HOMES, name, globals())


def __dir__() -> list[str]:
    """The public names too, loaded or not (what ``dir()`` and completion show)."""
    return sorted({*globals(), *_HOMES})
