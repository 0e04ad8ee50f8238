"""A batch run's shared state (guarded by the run's condition) and the progress read from it."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from console.bulk import BatchItem, BatchProgress, BulkRow

__all__ = ["RunState", "Task", "progress_of"]


@dataclass
class Task:
    """One user still to send: their row, calls made, throttle retries so far."""

    row: BulkRow
    tries: int = 0
    throttled: int = 0


@dataclass
class RunState:
    """What the workers share: the queue, the results and the counts."""

    queue: deque[Task] = field(default_factory=deque)
    outstanding: int = 0
    results: dict[int, BatchItem] = field(default_factory=dict)
    attempts: int = 0
    throttled: int = 0
    delivered: int = 0
    failed: int = 0
    skipped: int = 0
    first_start: float | None = None
    last_start: float | None = None
    stop_reason: str | None = None


def progress_of(
    state: RunState,
    *,
    batch_id: str,
    total: int,
    elapsed: float,
    max_rate: float,
    username: str | None,
) -> BatchProgress:
    """Where the run stands (the caller holds the run's lock)."""
    done = state.delivered + state.failed + state.skipped
    span = (
        state.last_start - state.first_start
        if state.first_start is not None and state.last_start is not None
        else 0.0
    )
    rate = (state.attempts - 1) / span if span > 0 else 0.0
    remaining = total - done
    pace = min(rate, max_rate) if rate > 0 else max_rate
    eta = remaining / pace if done or remaining == 0 else None
    return BatchProgress(
        batch_id=batch_id,
        total=total,
        done=done,
        delivered=state.delivered,
        failed=state.failed,
        attempts=state.attempts,
        throttled=state.throttled,
        elapsed_s=elapsed,
        rate=rate,
        eta_s=eta,
        last_username=username,
        skipped=state.skipped,
    )
