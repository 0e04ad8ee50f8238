"""What one history row is: :class:`AttemptRecord`, its stable field names, and
the conversion from a database row.

Shared by the store (:mod:`console.history.store`), its queries
(:mod:`console.history.query`) and export, so none of them needs another's
internals. Nothing here touches a connection.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any

from console.cognito import OutcomeKind

__all__ = [
    "CANNOT_TELL",
    "FIELDS",
    "OUTCOMES",
    "SELECT_COLUMNS",
    "AttemptRecord",
    "record_from_row",
    "row_dict",
    "simulated_column",
]

OUTCOMES = frozenset(kind.value for kind in OutcomeKind)

CANNOT_TELL = -1
"""``may_be_simulated`` as stored when the console could not tell. The column
is NOT NULL (0/1); a reader that only knows 0/1 takes -1 as "may be
simulated", the cautious reading."""


def simulated_column(value: bool | None) -> int:
    """``may_be_simulated`` as the column holds it: 1, 0, or :data:`CANNOT_TELL`."""
    return CANNOT_TELL if value is None else int(value)


@dataclass(frozen=True)
class AttemptRecord:
    """One attempt as stored. Field names are stable: ``--json`` and export use them."""

    id: int
    started_at: str
    """UTC, ISO-8601 with milliseconds, e.g. ``2025-01-31T09:15:02.123Z``."""
    finished_at: str | None
    """``None`` while pending, and for attempts a crash interrupted."""
    profile: str
    region: str
    user_pool_id: str
    client_id: str
    username: str
    client_metadata: dict[str, str]
    analytics_endpoint_id: str | None
    outcome: str
    """``pending``, ``delivered``, ``failed`` or ``unknown``."""
    medium: str | None
    destination: str | None
    attribute: str | None
    error_code: str | None
    error_message: str | None
    http_status: int | None
    request_id: str | None
    latency_ms: float | None
    may_be_simulated: bool | None
    """None: the console could not tell whether the client hides unknown users."""
    operator: str
    batch_id: str | None

    def to_dict(self) -> dict[str, object]:
        """The record as a JSON-ready dict, keys in field order."""
        # Not dataclasses.asdict: its deep copy made a million-row export 4x slower.
        out: dict[str, object] = {name: getattr(self, name) for name in FIELDS}
        out["client_metadata"] = dict(self.client_metadata)
        return out


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(AttemptRecord))

SELECT_COLUMNS = ", ".join(f"a.{name}" for name in FIELDS)
"""Every field, in :data:`FIELDS` order, from ``attempts AS a``."""


def row_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    """A result row as the dict :meth:`AttemptRecord.to_dict` gives (export skips the record)."""
    values = dict(zip(FIELDS, row, strict=True))
    try:
        metadata = json.loads(values["client_metadata"])
    except (TypeError, ValueError):
        metadata = None
    if not isinstance(metadata, dict):
        metadata = {}  # we only ever write a JSON object; anything else is damage
    values["client_metadata"] = {str(k): str(v) for k, v in metadata.items()}
    stored = values["may_be_simulated"]
    values["may_be_simulated"] = None if stored == CANNOT_TELL else bool(stored)
    return values


def record_from_row(row: tuple[Any, ...]) -> AttemptRecord:
    """A result row (columns as :data:`SELECT_COLUMNS`) as a record."""
    return AttemptRecord(**row_dict(row))
