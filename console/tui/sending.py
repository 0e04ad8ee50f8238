"""One send: what it is sent with, then, off the UI thread, the call and its report.

On the UI thread, when the key is pressed, :func:`new_job` captures a
:class:`SendJob`: the pool facts that explain the outcome and whether a
success may be simulated (:func:`send_facts`, :func:`may_simulate`, also used
for a batch), and :func:`lookup_warning` says whether to ask before a resend:
a user a lookup this session found CONFIRMED, disabled or with nowhere to
send gets a yes/no question first. Only what a lookup already said is used:
the plain send never waits for an admin call, and works the same without
credentials.

The TUI's send worker runs :func:`run_send` through :func:`run_detached`: the
blocking call happens in a daemon thread and the worker only waits for it.
Textual waits for its thread workers when the app exits; a worker that waits
on an event can give up when cancelled, while a daemon thread stuck in a
30-second network call never holds the process. The history row of a call
abandoned that way stays ``pending`` and History marks it ``unknown`` at the
next start. Nothing here imports Textual or touches a widget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Generic, TypeVar

from console.cognito import ClientSettings, Gateway, RequestError
from console.tui.form_values import FormValues
from console.usecases import AttemptResult, client_settings, perform_resend

if TYPE_CHECKING:
    from console.cognito import PoolFacts
    from console.config import Profile
    from console.history import History
    from console.tui.state import ConsoleState

__all__ = [
    "LIMIT_PER_HOUR",
    "SendDone",
    "SendJob",
    "SendRejected",
    "explanations",
    "lookup_warning",
    "may_simulate",
    "new_job",
    "recent_codes",
    "run_detached",
    "run_send",
    "send_facts",
]

T = TypeVar("T")

LIMIT_PER_HOUR = 5
"""Cognito's documented resends per user an hour: at this many, a send asks first."""


@dataclass(frozen=True, slots=True)
class SendJob:
    """Everything one send needs, captured on the UI thread when the key was pressed."""

    values: FormValues
    profile_name: str
    profile: Profile
    settings: ClientSettings
    may_simulate: bool | None = False
    facts: PoolFacts | None = None
    """The pool facts known when the key was pressed: they explain the outcome."""


@dataclass(frozen=True, slots=True)
class SendDone:
    """The call was made: its result (outcome and history id)."""

    job: SendJob
    username: str
    result: AttemptResult


@dataclass(frozen=True, slots=True)
class SendRejected:
    """Nothing was sent: the input is invalid or the secret could not be had."""

    job: SendJob
    reason: str
    problems: tuple[str, ...] = ()
    request_error: RequestError | None = field(default=None, compare=False)


SendReport = SendDone | SendRejected


def send_facts(
    state: ConsoleState, values: FormValues, name: str, profile: Profile
) -> PoolFacts | None:
    """The facts that explain a send of *values*: none when it goes to another client."""
    if values.client_id(profile) != profile.client_id:
        return None
    return state.admin.known_facts(name, profile)


def may_simulate(
    state: ConsoleState, values: FormValues, profile: Profile, facts: PoolFacts | None
) -> bool | None:
    """Whether a success may be made up by Cognito (the client hides unknown users).

    From the pool's facts, the profile's ``hides_unknown_users``, or the
    embedded sandbox's clients; None when none of them tells.
    """
    from console.usecases import whether_simulated

    return whether_simulated(
        profile,
        values.client_id(profile),
        facts,
        simulating=state.simulating_client_ids,
        known_clients_only=profile.endpoint_url in state.sandbox_endpoints,
    )


def new_job(state: ConsoleState, values: FormValues, name: str, profile: Profile) -> SendJob:
    """The job for a send of *values* with profile *name*, as the app's state stands now."""
    facts = send_facts(state, values, name, profile)
    return SendJob(
        values=values,
        profile_name=name,
        profile=profile,
        settings=client_settings(profile, state.config.console),
        may_simulate=may_simulate(state, values, profile, facts),
        facts=facts,
    )


def explanations(job: SendJob, result: AttemptResult) -> list[str]:
    """What the pool's facts say about this outcome (nothing without facts)."""
    if job.facts is None:
        return []
    from console.cognito import explain_outcome

    return explain_outcome(result.outcome, job.facts)


def lookup_warning(state: ConsoleState, values: FormValues, profile: Profile) -> str | None:
    """Why a lookup this session says not to resend to *values*' user, if it does."""
    if values.client_id(profile) != profile.client_id:
        return None
    user = state.admin.known_user(profile, values.username)
    if user is None:
        return None
    from console.cognito import preflight_warning

    return preflight_warning(user)


def recent_codes(history: History | None, profile: Profile, username: str) -> int:
    """Codes delivered to *username* of the profile's pool in the last hour, per the history.

    Reads the local history on the calling thread (one indexed query, at most
    a few dozen rows); 0 without a history or a username.
    """
    if history is None or not username:
        return 0
    from datetime import UTC, datetime, timedelta

    from console.history import HistoryError, HistoryFilter

    since = datetime.now(UTC) - timedelta(hours=1)
    try:
        records = history.query(HistoryFilter(username=username, since=since), limit=200)
    except (HistoryError, ValueError):
        # The history's own warning says what is wrong with it; a name SQLite
        # cannot hold (a lone surrogate) was never sent either.
        return 0
    return sum(
        1
        for r in records
        if r.username == username
        and r.user_pool_id == profile.user_pool_id
        and r.region == profile.region
        and r.outcome == "delivered"
    )


def run_send(
    job: SendJob, gateway: Gateway, history: History | None, *, unopened: str | None = None
) -> SendReport:
    """Validate (fetching the secret) and call; never raises for bad input or config.

    *unopened*: why the history is not there yet (the attempt says it was not saved).
    """
    from console.config import ConfigError

    try:
        request = job.values.to_request(job.profile_name, job.profile)
    except RequestError as exc:
        problems = tuple(str(p) for p in exc.problems)
        return SendRejected(job, "invalid input (see the form)", problems, exc)
    except ConfigError as exc:
        # ConfigError names the profile and key, never the secret or the command's output.
        return SendRejected(job, f"no client secret: {exc}")
    result = perform_resend(
        gateway,
        history,
        profile_name=job.profile_name,
        profile=job.profile,
        settings=job.settings,
        request=request,
        may_simulate=job.may_simulate,
    )
    if unopened is not None and result.history_problem is None:
        result = replace(result, history_problem=unopened)
    return SendDone(job, request.username, result)


class _Box(Generic[T]):
    """Carries one result (or the failure's class name) out of the daemon thread."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: T | None = None
        self.failure: str | None = None


def run_detached(
    work: Callable[[], T],
    *,
    cancelled: Callable[[], bool],
    poll_s: float = 0.05,
    name: str = "cognito-send",
) -> T | None:
    """Run *work* in a daemon thread and wait for it; None once *cancelled* says so.

    An exception in *work* is re-raised here as a RuntimeError carrying only
    its class name: the original's traceback holds frames whose locals may
    include the request and its SecretHash.
    """
    box: _Box[T] = _Box()

    def target() -> None:
        try:
            box.value = work()
        except BaseException as exc:  # reported below, by class name only
            box.failure = type(exc).__name__
        finally:
            box.done.set()

    threading.Thread(target=target, name=name, daemon=True).start()
    while not box.done.wait(poll_s):
        if cancelled():
            return None
    if box.failure is not None:
        raise RuntimeError(f"{box.failure} while sending")
    return box.value
