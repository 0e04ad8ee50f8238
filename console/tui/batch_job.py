"""The batch screen's work without the screen: checking its fields, building a run, wording.

:class:`BatchContext` is captured on the UI thread when the batch screen
opens (profile, gateway, history, and the form whose other fields every
request carries). :func:`prepare_run` runs in the screen's thread worker: it
reads the users file, fetches the client secret (it may run a command) and
checks the shared fields once, then builds the :class:`~console.usecases.batch.BatchRun`.
Every problem is one :class:`BatchSetupError` line. Nothing here imports Textual.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from console.bulk import (
    MAX_RATE,
    BatchProgress,
    BatchSummary,
    BulkInput,
    BulkInputError,
    read_users,
    request_maker,
)
from console.cognito import RequestError, ResendRequest
from console.text import one_line, visible
from console.usecases import BatchRun

if TYPE_CHECKING:
    from console.cognito import ClientSettings, Gateway
    from console.config import Profile
    from console.history import History
    from console.tui.form_values import FormValues
    from console.usecases import LimitGuard, LimitSkip

__all__ = [
    "BATCH_ID_PATTERN",
    "BatchContext",
    "BatchSetupError",
    "confirmation",
    "count_words",
    "default_export_path",
    "form_label",
    "load_users",
    "parse_batch_id",
    "parse_rate",
    "prepare_run",
    "progress_line",
    "summary_line",
]

BATCH_ID_PATTERN = r"[A-Za-z0-9_.:-]{1,64}"
"""What a batch id may be (the CLI's ``--batch-id`` takes the same)."""


class BatchSetupError(ValueError):
    """The batch cannot start; the message is one visible line."""


@dataclass(frozen=True)
class BatchContext:
    """What a batch sends with, captured when the batch screen opened."""

    profile_name: str
    profile: Profile
    settings: ClientSettings
    gateway: Gateway
    history: History
    values: FormValues
    """The form: every request carries its ClientMetadata, analytics id and overrides."""
    may_simulate: bool | None = False
    """The client hides unknown users: a success may be simulated (None: cannot tell)."""
    idle: threading.Event | None = None
    """Cleared while a run sends: the app keeps the history open until it is set."""
    team_guard: Callable[[Callable[[str], None]], LimitGuard | None] | None = None
    """With ``[team]``: builds the guard that skips users at the team's hourly limit; its
    argument gets the one line said when the team's table cannot be read."""

    def describe(self) -> str:
        """What every request carries besides the username, in one visible line."""
        values, profile = self.values, self.profile
        parts = [
            f"profile {visible(self.profile_name)}",
            f"client {visible(values.client_id(profile))}",
        ]
        rows = len(values.sent_rows)
        parts.append(f"ClientMetadata: {rows} row{'s' if rows != 1 else ''} from the form")
        if values.analytics_endpoint_id:
            parts.append(f"analytics id {visible(values.analytics_endpoint_id)}")
        if profile.has_secret():
            parts.append(f"secret: {visible(profile.secret_source() or '')}")
        return " · ".join(parts)


def parse_rate(text: str) -> float:
    """Requests per second from the rate field."""
    try:
        value = float(text.strip())
    except ValueError:
        raise BatchSetupError(f"rate: not a number: {one_line(text, 40)}") from None
    if not 0 < value <= MAX_RATE or math.isnan(value):
        raise BatchSetupError(f"rate: requests per second above 0 and at most {MAX_RATE:g}")
    return value


def parse_batch_id(text: str) -> str | None:
    """The batch id to resume, or None for a new batch."""
    value = text.strip()
    if not value:
        return None
    if not re.fullmatch(BATCH_ID_PATTERN, value):
        raise BatchSetupError("batch id: letters, digits and . _ : - only, at most 64 characters")
    return value


def load_users(path_text: str) -> BulkInput:
    """Read the users file named in the path field (``~`` expanded)."""
    raw = path_text.strip()
    if not raw:
        raise BatchSetupError("users file: type the path of a users.txt or users.csv")
    try:
        return read_users(Path(raw).expanduser())
    except BulkInputError as exc:
        raise BatchSetupError(one_line(str(exc), 300)) from None


def _request_maker(context: BatchContext, first: str) -> Callable[[str], ResendRequest]:
    """The per-user request builder; the shared fields checked once (on *first*)."""
    from console.config import ConfigError

    values, profile = context.values, context.profile
    try:
        secret = profile.resolve_secret(context.profile_name)
    except ConfigError as exc:  # names the profile and key, never the secret
        raise BatchSetupError(one_line(f"no client secret: {exc}", 300)) from None
    rows = [(values.metadata[i].key, values.metadata[i].value) for i in values.sent_rows]
    make = request_maker(
        client_id=values.client_id(profile),
        client_metadata=rows,
        analytics_endpoint_id=values.analytics_endpoint_id,
        ip_address=values.ip_address,
        encoded_data=values.encoded_data,
        secret=secret,
    )
    try:
        make(first)
    except RequestError as exc:
        shared = [f"{form_label(p.field)}: {p.rule}" for p in exc.problems if p.field != "username"]
        if shared:
            raise BatchSetupError(
                one_line("fix the form first: " + "; ".join(shared), 300)
            ) from None
    return make


def _check_resume(context: BatchContext, batch_id: str) -> None:
    from console.bulk import check_resume

    client_id = context.values.client_id(context.profile)
    check = check_resume(context.history, batch_id, context.profile_name, client_id)
    if not check.exists:
        raise BatchSetupError(
            f"batch id: no batch {visible(batch_id)} in the history "
            "(leave the field empty to start a new batch)"
        )
    if check.problem is not None:
        raise BatchSetupError(one_line(check.problem, 300))


_FORM_LABELS = {
    "client_id": "Client id override",
    "analytics_endpoint_id": "Analytics endpoint id",
    "ip_address": "UserContextData IpAddress",
    "encoded_data": "UserContextData EncodedData",
    "client_secret": "the profile's client secret",
}


def form_label(field: str) -> str:
    """A request field as the form labels it: ``ip_address`` -> ``UserContextData IpAddress``,
    ``client_metadata[2].key`` -> ``ClientMetadata row 2 key``."""
    match = re.fullmatch(r"client_metadata\[(\d+)\]\.(key|value)", field)
    if match is not None:
        return f"ClientMetadata row {match.group(1)} {match.group(2)}"
    return _FORM_LABELS.get(field, field)


def prepare_run(
    context: BatchContext,
    users: BulkInput,
    *,
    rate: float,
    batch_id: str | None,
    stop_event: threading.Event,
    on_progress: Callable[[BatchProgress], None],
    on_note: Callable[[str], None] = lambda _text: None,
) -> BatchRun:
    """The run for *users* (blocking: may run the secret command). Raises BatchSetupError.

    A *batch_id* must name a batch of the history sent with this profile and
    client: a typo would otherwise send everyone a code again.
    """
    if batch_id is not None:
        _check_resume(context, batch_id)
    make = _request_maker(context, users.rows[0].username)
    guard = context.team_guard(on_note) if context.team_guard is not None else None
    return BatchRun(
        gateway=context.gateway,
        history=context.history,
        profile_name=context.profile_name,
        profile=context.profile,
        settings=context.settings,
        make_request=make,
        rate=rate,
        batch_id=batch_id,
        may_simulate=context.may_simulate,
        on_progress=on_progress,
        stop_event=stop_event,
        guard=guard,
    )


def count_words(count: int, word: str = "user") -> str:
    """``1 user``, ``3 users``."""
    return f"{count} {word}{'s' if count != 1 else ''}"


def confirmation(
    context: BatchContext, run: BatchRun, users: BulkInput, count: int, skips: list[LimitSkip]
) -> str:
    """What the start question says: how many get a code, which are skipped and why."""
    send = count - len(skips)
    text = (
        f"Send a confirmation code to {count_words(send)} of {visible(str(users.path))} "
        f"now, batch {visible(run.batch_id)}, at {run.bucket.rate:g}/s ({context.describe()})."
    )
    done = len(users.rows) - count
    if done:
        text += f" {count_words(done)} of the file are skipped (done in this batch)."
    if skips:
        first = skips[0]
        text += (
            f" {count_words(len(skips))} at Cognito's hourly limit will be skipped, "
            f"e.g. {visible(first.username)}: {visible(first.reason)}."
        )
    guard = run.guard
    if guard is not None and guard.problem is not None:
        text += (
            f" The team's table could not be read ({visible(guard.problem)}): "
            "this console's history alone counts the codes sent."
        )
    return text


def progress_line(progress: BatchProgress) -> str:
    """``12/20 · delivered 11 · failed 1 · 5.0/s · ETA 0:02 · last alice``."""
    line = progress.line()
    if progress.last_username:
        line += f" · last {one_line(progress.last_username, 40)}"
    return line


def summary_line(summary: BatchSummary) -> str:
    """The counts per outcome and the run's figures, in one visible line."""
    return summary.headline()


def default_export_path(batch_id: str) -> str:
    """``~/cognito-console-failures-<batch id>.csv``."""
    return f"~/cognito-console-failures-{batch_id}.csv"
