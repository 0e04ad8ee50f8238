"""The history: every attempt, written locally as pending before the call and completed after,
and, with a ``[team]`` table, shared with the team on DynamoDB.

- :mod:`~console.history.store`: :class:`History`, the SQLite store;
- :mod:`~console.history.file`: opening the database file safely (modes, WAL, checks);
- :mod:`~console.history.check`: whether a file changed under us, and who vouched for it;
- :mod:`~console.history.pending`: who wrote a pending row, and when it counts as interrupted;
- :mod:`~console.history.query`: filters and the SQL they become;
- :mod:`~console.history.records`: the record type and its fields;
- :mod:`~console.history.export`: CSV and JSON exports;
- :mod:`~console.history.team`: the team table's items, conditional writes and queries;
- :mod:`~console.history.team_table`: its client, its shape, and ``team init``;
- :mod:`~console.history.team_queue`: the local queue of attempts the team lacks;
- :mod:`~console.history.team_upload`: the uploader that drains it, with backoff;
- :mod:`~console.history.team_read`: listing the team's attempts and its day's stats.

Domain code: no Textual.
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
        CANNOT_TELL,
        FIELDS,
        OUTCOMES,
        SELECT_COLUMNS,
        AttemptRecord,
        record_from_row,
        row_dict,
        simulated_column,
    )
    from console.history.store import (
        CHECKPOINT_EVERY,
        History,
    )
    from console.history.team import (
        BY_DAY,
        BY_OPERATOR,
        LIMIT_PER_HOUR,
        RecentSends,
        TeamAttempt,
        attempt_item,
        item_attempt,
        put_attempt,
        recent_for_user,
        recent_sends,
        stable_uid,
        user_key,
    )
    from console.history.team_queue import (
        QueuedAttempt,
        due_attempts,
        enqueue,
        enqueue_all,
        make_due_now,
        mark_done,
        mark_failed,
        queue_size,
    )
    from console.history.team_read import (
        MAX_DAYS,
        TEAM_FIELDS,
        TeamCursor,
        TeamFilter,
        TeamPage,
        TeamStats,
        item_dict,
        team_attempts,
        team_page,
        team_stats,
    )
    from console.history.team_table import (
        TableReport,
        check_shape,
        init_table,
        sign_for_sandbox,
        team_client,
    )
    from console.history.team_upload import (
        BATCH,
        MAX_BACKOFF_S,
        MAX_SETTLE_S,
        SETTLE_S,
        RoundResult,
        TeamUploader,
        UploadStatus,
        backoff_s,
    )

_HOMES = {
    "ALL_ATTEMPTS": "query",
    "ALWAYS_CHECK_BELOW": "check",
    "AttemptRecord": "records",
    "BATCH": "team_upload",
    "BY_DAY": "team",
    "BY_OPERATOR": "team",
    "CANNOT_TELL": "records",
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
    "LIMIT_PER_HOUR": "team",
    "MAX_BACKOFF_S": "team_upload",
    "MAX_DAYS": "team_read",
    "MAX_SETTLE_S": "team_upload",
    "MIN_INDEXED_CHARS": "query",
    "OUTCOMES": "records",
    "OpenedFile": "file",
    "QueuedAttempt": "team_queue",
    "RECHECK_AFTER_S": "check",
    "RecentSends": "team",
    "RoundResult": "team_upload",
    "SCHEMA_VERSION": "file",
    "SELECT_COLUMNS": "records",
    "SETTLE_S": "team_upload",
    "STALE_AFTER_MS": "pending",
    "TEAM_FIELDS": "team_read",
    "TableReport": "team_table",
    "TeamAttempt": "team",
    "TeamCursor": "team_read",
    "TeamFilter": "team_read",
    "TeamPage": "team_read",
    "TeamStats": "team_read",
    "TeamUploader": "team_upload",
    "UploadStatus": "team_upload",
    "attempt_item": "team",
    "backoff_s": "team_upload",
    "check_shape": "team_table",
    "default_operator": "pending",
    "due_attempts": "team_queue",
    "enqueue": "team_queue",
    "enqueue_all": "team_queue",
    "file_state": "check",
    "init_table": "team_table",
    "interrupted": "pending",
    "item_attempt": "team",
    "item_dict": "team_read",
    "like_escape": "query",
    "make_due_now": "team_queue",
    "mark_done": "team_queue",
    "mark_failed": "team_queue",
    "marker_path": "check",
    "needs_check": "check",
    "open_database": "file",
    "pid_alive": "pending",
    "put_attempt": "team",
    "queue_size": "team_queue",
    "read_marker": "check",
    "recent_for_user": "team",
    "recent_sends": "team",
    "record_from_row": "records",
    "row_dict": "records",
    "select_sql": "query",
    "simulated_column": "records",
    "stable_uid": "team",
    "stamp_marker": "check",
    "team_attempts": "team_read",
    "sign_for_sandbox": "team_table",
    "team_client": "team_table",
    "team_page": "team_read",
    "team_stats": "team_read",
    "user_key": "team",
    "utc_now": "pending",
    "vouched_change": "check",
    "write_export": "export",
}
"""Each public name and the submodule that defines it."""

__all__ = [
    "ALL_ATTEMPTS",
    "ALWAYS_CHECK_BELOW",
    "BATCH",
    "BY_DAY",
    "BY_OPERATOR",
    "CANNOT_TELL",
    "CHECKPOINT_EVERY",
    "FIELDS",
    "INTERRUPTED_CODE",
    "INTERRUPTED_MESSAGE",
    "LIMIT_PER_HOUR",
    "MAX_BACKOFF_S",
    "MAX_DAYS",
    "MAX_SETTLE_S",
    "MIN_INDEXED_CHARS",
    "OUTCOMES",
    "RECHECK_AFTER_S",
    "SCHEMA_VERSION",
    "SELECT_COLUMNS",
    "SETTLE_S",
    "STALE_AFTER_MS",
    "TEAM_FIELDS",
    "AttemptRecord",
    "CheckMarker",
    "ExportFormat",
    "FileState",
    "History",
    "HistoryError",
    "HistoryFilter",
    "OpenedFile",
    "QueuedAttempt",
    "RecentSends",
    "RoundResult",
    "TableReport",
    "TeamAttempt",
    "TeamCursor",
    "TeamFilter",
    "TeamPage",
    "TeamStats",
    "TeamUploader",
    "UploadStatus",
    "attempt_item",
    "backoff_s",
    "check_shape",
    "default_operator",
    "due_attempts",
    "enqueue",
    "enqueue_all",
    "file_state",
    "init_table",
    "interrupted",
    "item_attempt",
    "item_dict",
    "like_escape",
    "make_due_now",
    "mark_done",
    "mark_failed",
    "marker_path",
    "needs_check",
    "open_database",
    "pid_alive",
    "put_attempt",
    "queue_size",
    "read_marker",
    "recent_for_user",
    "recent_sends",
    "record_from_row",
    "row_dict",
    "select_sql",
    "sign_for_sandbox",
    "simulated_column",
    "stable_uid",
    "stamp_marker",
    "team_attempts",
    "team_client",
    "team_page",
    "team_stats",
    "user_key",
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
