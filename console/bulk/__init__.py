"""Batch input and pacing: the parts of a batch resend that make no call.

- :mod:`~console.bulk.input`: reading a users file into rows, with one-line errors per row;
- :mod:`~console.bulk.rate`: pacing and backing off under throttling;
- :mod:`~console.bulk.resume`: batch ids, and what a resumed batch still has to send;
- :mod:`~console.bulk.summary`: what a batch did, per user and in total.

Running a batch, which calls Cognito, is a use case: :mod:`console.usecases.batch`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.lazy import load_export

if TYPE_CHECKING:
    from console.bulk.input import (
        MAX_FILE_BYTES,
        BulkInput,
        BulkInputError,
        BulkRow,
        InvalidRow,
        read_users,
        request_maker,
    )
    from console.bulk.rate import (
        DEFAULT_RATE,
        MAX_RATE,
        Clock,
        TokenBucket,
        Waiter,
        backoff_delay,
        default_workers,
    )
    from console.bulk.resume import (
        UNCERTAIN_MESSAGE,
        ResumeCheck,
        check_resume,
        earlier_uncertain,
        new_batch_id,
        resume_plan,
    )
    from console.bulk.summary import (
        FAILURE_FIELDS,
        BatchItem,
        BatchProgress,
        BatchSummary,
        ItemOutcome,
        clock,
        outcome_words,
        stop_words,
    )

_HOMES = {
    "BatchItem": "summary",
    "BatchProgress": "summary",
    "BatchSummary": "summary",
    "BulkInput": "input",
    "BulkInputError": "input",
    "BulkRow": "input",
    "Clock": "rate",
    "DEFAULT_RATE": "rate",
    "FAILURE_FIELDS": "summary",
    "InvalidRow": "input",
    "ItemOutcome": "summary",
    "MAX_FILE_BYTES": "input",
    "MAX_RATE": "rate",
    "TokenBucket": "rate",
    "UNCERTAIN_MESSAGE": "resume",
    "Waiter": "rate",
    "backoff_delay": "rate",
    "clock": "summary",
    "outcome_words": "summary",
    "stop_words": "summary",
    "ResumeCheck": "resume",
    "check_resume": "resume",
    "default_workers": "rate",
    "earlier_uncertain": "resume",
    "new_batch_id": "resume",
    "read_users": "input",
    "request_maker": "input",
    "resume_plan": "resume",
}
"""Each public name and the submodule that defines it."""

__all__ = [
    "DEFAULT_RATE",
    "FAILURE_FIELDS",
    "MAX_FILE_BYTES",
    "MAX_RATE",
    "UNCERTAIN_MESSAGE",
    "BatchItem",
    "BatchProgress",
    "BatchSummary",
    "BulkInput",
    "BulkInputError",
    "BulkRow",
    "Clock",
    "InvalidRow",
    "ItemOutcome",
    "ResumeCheck",
    "TokenBucket",
    "Waiter",
    "backoff_delay",
    "check_resume",
    "clock",
    "default_workers",
    "earlier_uncertain",
    "new_batch_id",
    "outcome_words",
    "read_users",
    "request_maker",
    "resume_plan",
    "stop_words",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use (see :mod:`console.lazy`)."""
    return load_export(__name__, _HOMES, name, globals())


def __dir__() -> list[str]:
    """The public names too, loaded or not (what ``dir()`` and completion show)."""
    return sorted({*globals(), *_HOMES})
