"""What :func:`~console.sandbox.server.start_sandbox` checks and opens before it serves.

The options' checks (one-line ValueErrors), the demo pool (new, or restored
from the state dir), the delivery channels with their scenarios, and the
endpoint URL clients are given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from console.sandbox.channels import SCENARIOS, Channels
from console.sandbox.state_file import SavedState, StateStore

if TYPE_CHECKING:
    from console.sandbox.channel_moto import MotoChannels
    from console.sandbox.seed import DemoPool

__all__ = ["check_options", "check_region", "endpoint_url", "open_channels", "open_demo"]


def check_options(
    *, latency_ms: int, users: int, rate_limit: float | None, scenarios: tuple[str, ...]
) -> None:
    """ValueError (one line) for a negative latency or user count, a rate <= 0, a bad scenario."""
    if latency_ms < 0:
        raise ValueError("latency must be >= 0 ms")
    if users < 0:
        raise ValueError("the number of extra users must be >= 0")
    if rate_limit is not None and not rate_limit > 0:
        raise ValueError("the rate limit must be > 0 requests per second")
    for name in scenarios:
        if name not in SCENARIOS:
            raise ValueError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")


def endpoint_url(host: str, port: int) -> str:
    """The URL clients use for a server bound to *host*:*port*."""
    # A wildcard bind is reachable on loopback; clients cannot connect to 0.0.0.0.
    shown = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def open_demo(
    region: str,
    users: int,
    trigger_spec: str | None,
    store: StateStore | None,
    saved: SavedState | None,
) -> DemoPool:
    """The demo pool: restored from *saved*, or new (and saved at once when there is a store)."""
    from console.sandbox.seed import create_demo_pool, restore_demo_pool

    if saved is not None:
        return restore_demo_pool(saved, extra_users=users, custom_message_trigger=trigger_spec)
    demo = create_demo_pool(region, extra_users=users, custom_message_trigger=trigger_spec)
    if store is not None:
        try:
            store.save(demo.snapshot())  # the ids are kept even if this run is killed
        except BaseException:
            demo.remove()
            raise
    return demo


def open_channels(
    demo: DemoPool, clock: Callable[[], float], scenarios: tuple[str, ...]
) -> tuple[Channels, MotoChannels]:
    """The delivery channels: seeded (erin suppressed, frank opted out), then the scenarios."""
    from console.sandbox.channel_moto import MotoChannels
    from console.sandbox.seed import OPTED_OUT, SUPPRESSED

    channels = Channels(demo.moto_pool.account_id, demo.region, clock=clock)
    moto_channels = MotoChannels(channels, demo.moto_pool)
    moto_channels.seed(opted_out=OPTED_OUT)
    for address, reason in SUPPRESSED.items():
        channels.suppress(address, reason)
    for name in scenarios:
        channels.apply({"name": name})
    return channels, moto_channels


def check_region(region: str) -> None:
    """ValueError unless moto has Cognito user pools in *region*."""
    from moto.cognitoidp.models import cognitoidp_backends

    from console.sandbox.seed import DEFAULT_ACCOUNT_ID

    if region not in cognitoidp_backends[DEFAULT_ACCOUNT_ID]:
        raise ValueError(f"unknown region for Cognito user pools: {region}")
