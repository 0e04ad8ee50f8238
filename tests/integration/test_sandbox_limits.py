"""Limits, latency and concurrency of the sandbox, over real HTTP.

No sleeps: throttling is provoked by calling faster than the rate, latency
is measured, and concurrency is proven by wall time and by exact counts.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ClientError

from console.sandbox import Sandbox, start_sandbox


def _code(call: Callable[[], Any]) -> str:
    try:
        call()
    except ClientError as error:
        return str(error.response["Error"]["Code"]) + ": " + error.response["Error"]["Message"]
    return "ok"


def test_sixth_resend_within_the_hour_is_refused(
    sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]
) -> None:
    user = fresh_user()
    client_id = sandbox.info.client("public").client_id
    results = [
        _code(lambda: cognito.resend_confirmation_code(ClientId=client_id, Username=user))
        for _ in range(6)
    ]
    assert results == ["ok"] * 5 + [
        "LimitExceededException: Attempt limit exceeded, please try after some time."
    ]
    assert len([d for d in sandbox.outbox() if d["user"] == user]) == 5


def test_the_limit_is_per_user(
    sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]
) -> None:
    first, second = fresh_user(), fresh_user()
    client_id = sandbox.info.client("public").client_id
    for _ in range(5):
        cognito.resend_confirmation_code(ClientId=client_id, Username=first)
    # The first user has used up the hour; the second, asked right after, has not.
    first_again = _code(
        lambda: cognito.resend_confirmation_code(ClientId=client_id, Username=first)
    )
    assert first_again.startswith("LimitExceededException")
    assert _code(lambda: cognito.resend_confirmation_code(ClientId=client_id, Username=second)) == (
        "ok"
    )
    assert len([d for d in sandbox.outbox() if d["user"] == second]) == 1


def test_concurrent_resends_for_one_user_never_pass_the_limit(
    sandbox: Sandbox, cognito_for: Callable[..., Any], fresh_user: Callable[..., str]
) -> None:
    user = fresh_user()
    client_id = sandbox.info.client("public").client_id
    client = cognito_for(sandbox, max_pool_connections=10)
    with ThreadPoolExecutor(10) as pool:
        results = list(
            pool.map(
                lambda _: _code(
                    lambda: client.resend_confirmation_code(ClientId=client_id, Username=user)
                ),
                range(10),
            )
        )
    assert results.count("ok") == 5
    assert (
        results.count("LimitExceededException: Attempt limit exceeded, please try after some time.")
        == 5
    )


def test_concurrent_calls_are_served_in_parallel(
    sandbox: Sandbox, cognito_for: Callable[..., Any], fresh_user: Callable[..., str]
) -> None:
    users = [fresh_user() for _ in range(12)]
    client_id = sandbox.info.client("public").client_id
    client = cognito_for(sandbox, max_pool_connections=12)
    sandbox.set_latency_ms(300)
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(12) as pool:
            answers = list(
                pool.map(
                    lambda name: client.resend_confirmation_code(ClientId=client_id, Username=name),
                    users,
                )
            )
        elapsed = time.monotonic() - started
    finally:
        sandbox.set_latency_ms(0)
    assert all(a["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL" for a in answers)
    # One at a time would take 12 x 0.3 s = 3.6 s.
    assert elapsed < 1.8, elapsed
    delivered = {d["user"] for d in sandbox.outbox()}
    assert set(users) <= delivered


def test_latency_delays_every_answer(sandbox: Sandbox, cognito: Any) -> None:
    client_id = sandbox.info.client("public").client_id
    sandbox.set_latency_ms(250)
    try:
        started = time.monotonic()
        assert _code(
            lambda: cognito.resend_confirmation_code(ClientId=client_id, Username="carol")
        ).startswith("InvalidParameterException")
        elapsed = time.monotonic() - started
    finally:
        sandbox.set_latency_ms(0)
    assert elapsed >= 0.25
    with pytest.raises(ValueError, match="latency"):
        sandbox.set_latency_ms(-1)


@pytest.fixture(scope="module")
def throttled() -> Iterator[Sandbox]:
    """A sandbox allowing 2 resends per second across all users."""
    with start_sandbox(rate_limit=2.0) as running:
        yield running


def test_rate_limit_answers_too_many_requests(
    throttled: Sandbox, cognito_for: Callable[..., Any]
) -> None:
    client = cognito_for(throttled)
    client_id = throttled.info.client("public").client_id
    for number in range(6):
        throttled.add_user(f"rate-{number}", email=f"rate-{number}@example.com")
    started = time.monotonic()

    def resend(number: int) -> Callable[[], Any]:
        return lambda: client.resend_confirmation_code(
            ClientId=client_id, Username=f"rate-{number}"
        )

    results = [_code(resend(n)) for n in range(6)]
    elapsed = time.monotonic() - started
    # A bucket of 2 refilled at 2/s: at most 2 + 2 x elapsed calls get through.
    assert 1 <= results.count("ok") <= 2 + int(2 * elapsed)
    assert "TooManyRequestsException: Rate exceeded" in results
    assert set(results) <= {"ok", "TooManyRequestsException: Rate exceeded"}


def test_start_sandbox_refuses_bad_settings(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="latency"):
        start_sandbox(latency_ms=-5)
    with pytest.raises(ValueError, match="rate limit"):
        start_sandbox(rate_limit=0)
    with pytest.raises(ValueError, match="unknown region"):
        start_sandbox(region="xx-nowhere-1")
    from moto.cognitoidp.models import cognitoidp_backends

    pools = cognitoidp_backends["123456789012"][sandbox.info.region].user_pools
    before = set(pools)
    taken = int(sandbox.info.endpoint_url.rsplit(":", 1)[1])
    # A taken port is an OSError for the caller, never werkzeug's sys.exit.
    with pytest.raises(OSError):
        start_sandbox(port=taken)
    assert set(pools) == before  # nothing seeded is left behind


def test_two_sandboxes_have_their_own_pools_and_outboxes(
    sandbox: Sandbox, cognito_for: Callable[..., Any]
) -> None:
    with start_sandbox(port=0) as other:
        assert other.info.user_pool_id != sandbox.info.user_pool_id
        assert other.info.endpoint_url != sandbox.info.endpoint_url
        own = {c.client_id for c in sandbox.info.clients}
        assert not own & {c.client_id for c in other.info.clients}
        name = f"solo-{uuid.uuid4().hex[:8]}"
        other.add_user(name, email=f"{name}@example.com")
        cognito_for(other).resend_confirmation_code(
            ClientId=other.info.client("public").client_id, Username=name
        )
        assert [d["user"] for d in other.outbox()] == [name]
        assert name not in {d["user"] for d in sandbox.outbox()}
        pool_id = other.info.user_pool_id
    from moto.cognitoidp.models import cognitoidp_backends

    # Stopping removes the sandbox's pool from moto's process-wide state.
    assert pool_id not in cognitoidp_backends["123456789012"][other.info.region].user_pools


def test_a_pool_dropped_by_a_moto_reset_comes_back(cognito_for: Callable[..., Any]) -> None:
    from moto.cognitoidp.models import cognitoidp_backends

    with start_sandbox() as running:
        backend = cognitoidp_backends["123456789012"][running.info.region]
        # What mock_aws's reset does to every pool, done to this one only.
        backend.user_pools.pop(running.info.user_pool_id)
        answer = cognito_for(running).resend_confirmation_code(
            ClientId=running.info.client("public").client_id, Username="alice"
        )
        assert answer["CodeDeliveryDetails"]["Destination"] == "a***@e***.com"
