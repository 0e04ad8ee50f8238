"""Which attempts to list: :class:`HistoryFilter` and the SQL it becomes.

Kept apart from the store (:mod:`console.history.store`) because the query plan is
where the speed at a million rows comes from: newest first is a backwards
walk of the rowid, and a username substring of :data:`MIN_INDEXED_CHARS` or
more goes through the trigram FTS index; shorter ones can only scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from console.history.records import OUTCOMES

__all__ = ["ALL_ATTEMPTS", "MIN_INDEXED_CHARS", "HistoryFilter", "like_escape", "select_sql"]

MIN_INDEXED_CHARS = 3
"""A username substring this long or longer is looked up in the trigram
index; a shorter one cannot be (FTS5 trigrams match nothing under 3
characters) and scans every row: 0.2 s at a million rows when nothing matches."""


@dataclass(frozen=True)
class HistoryFilter:
    """Which attempts to list, count or export. Unset fields do not filter.

    ``username`` is a case-insensitive substring (ASCII case; for 3+ characters
    also other scripts' case, via the trigram index). ``since`` is inclusive,
    ``until`` exclusive; naive datetimes are local time, as
    :meth:`datetime.timestamp` takes them.
    """

    username: str | None = None
    profile: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    batch_id: str | None = None

    def __post_init__(self) -> None:
        if self.outcome is not None and self.outcome not in OUTCOMES:
            raise ValueError(
                f"unknown outcome {self.outcome!r} (use {', '.join(sorted(OUTCOMES))})"
            )


ALL_ATTEMPTS = HistoryFilter()
"""The filter that filters nothing (the default of every query)."""


def like_escape(text: str) -> str:
    """*text* as a literal for ``LIKE ... ESCAPE '\\'``: % and _ match only themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def select_sql(
    flt: HistoryFilter, what: str, *, before_id: int | None = None, newest_first: bool = False
) -> tuple[str, list[object]]:
    """A ``SELECT <what>`` over attempts (alias ``a``) with *flt* applied."""
    where: list[str] = []
    params: list[object] = []
    source, id_column = "attempts AS a", "a.id"
    name = flt.username or ""
    if name and len(name) >= MIN_INDEXED_CHARS and flt.batch_id is None:
        # The FTS table drives the loop (CROSS JOIN fixes the join order) and
        # hands out matching rowids newest first, so a page stops after
        # `limit` hits. Order and page by f.rowid, not a.id: only then does
        # FTS5 deliver the order itself instead of SQLite sorting every match
        # (450 ms instead of 1 ms for a common name at a million rows).
        # A batch is small and has its own index, so with batch_id that index
        # drives and the name is tested with LIKE instead.
        source, id_column = (
            "attempts_username AS f CROSS JOIN attempts AS a ON a.id = f.rowid",
            "f.rowid",
        )
        where.append("f.attempts_username MATCH ?")
        params.append('"' + name.replace('"', '""') + '"')  # one FTS5 string: a plain substring
    elif name:
        where.append("a.username LIKE ? ESCAPE '\\'")
        params.append(f"%{like_escape(name)}%")
    for column, value in (("profile", flt.profile), ("outcome", flt.outcome)):
        if value is not None:
            where.append(f"a.{column} = ?")
            params.append(value)
    if flt.batch_id is not None:
        where.append("a.batch_id = ?")
        params.append(flt.batch_id)
    if flt.since is not None:
        where.append("a.started_ms >= ?")
        params.append(int(flt.since.timestamp() * 1000))
    if flt.until is not None:
        where.append("a.started_ms < ?")
        params.append(int(flt.until.timestamp() * 1000))
    if before_id is not None:
        where.append(f"{id_column} < ?")
        params.append(before_id)
    sql = f"SELECT {what} FROM {source}"  # noqa: S608 - fixed fragments; values are parameters
    if where:
        sql += " WHERE " + " AND ".join(where)
    if newest_first:
        sql += f" ORDER BY {id_column} DESC"
    return sql, params
