"""What the sandbox delivered, and what it was asked: kept in memory, thread-safe.

- deliveries: one :class:`~console.sandbox.delivery.Delivery` per code "sent"
  (full destination, subject, body, code, the metadata received, whether a
  trigger wrote the message); the type lives outside this package so that the
  TUI can read the outbox's JSON back into it without loading the sandbox.
- received: every ResendConfirmationCode body as it arrived, so tests can
  prove exactly what a client sent.
- simulated: answers made up for unknown users under PreventUserExistenceErrors
  (nothing was delivered; Cognito does not tell the caller so).
"""

from __future__ import annotations

import copy
import threading
from datetime import UTC, datetime

from console.sandbox.delivery import Delivery

__all__ = ["Delivery", "Outbox", "utc_now_iso"]


def utc_now_iso() -> str:
    """The current time as ISO-8601 UTC with milliseconds, e.g. ``2025-01-31T12:00:00.123Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Outbox:
    """In-memory record of deliveries, received bodies and simulated answers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._deliveries: list[Delivery] = []
        self._received: list[object] = []
        self._simulated: list[dict[str, object]] = []

    def add_delivery(self, delivery: Delivery) -> None:
        """Record one delivery."""
        with self._lock:
            self._deliveries.append(delivery)

    def add_received(self, body: object) -> None:
        """Record one request body as received (parsed JSON, or the raw text)."""
        with self._lock:
            self._received.append(copy.deepcopy(body))

    def add_simulated(self, entry: dict[str, object]) -> None:
        """Record one simulated answer (nothing delivered)."""
        with self._lock:
            self._simulated.append(dict(entry))

    def deliveries(self) -> list[dict[str, object]]:
        """Every delivery so far, oldest first, as JSON-ready dicts (copies)."""
        with self._lock:
            items = list(self._deliveries)
        return [copy.deepcopy(item.to_json()) for item in items]

    def received(self) -> list[dict[str, object]]:
        """Every request body so far, oldest first (copies)."""
        with self._lock:
            items = list(self._received)
        return [
            copy.deepcopy(item) if isinstance(item, dict) else {"__unparsed__": item}
            for item in items
        ]

    def simulated(self) -> list[dict[str, object]]:
        """Every simulated answer so far, oldest first (copies)."""
        with self._lock:
            return [dict(item) for item in self._simulated]
