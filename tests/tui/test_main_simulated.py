"""The TUI marks a simulated success as the CLI does, without F9 pressed first.

A config-file profile (not the embedded sandbox) on the sandbox's
confidential client, which hides unknown users: with credentials around the
facts are fetched when the profile is chosen (on loopback with dummy keys
too); without them the profile's ``hides_unknown_users`` settles it, and
otherwise the log says it cannot tell.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from console.cognito import CANNOT_TELL_NOTE, SIMULATED_NOTE
from tests.tui.conftest import SIZE, ready, send_and_wait, wait_until

if TYPE_CHECKING:
    from console.config import Profile
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp


def _office(sandbox: Sandbox, **extra: object) -> Profile:
    from console.config import Profile

    info = sandbox.info
    client = info.client("confidential")
    return Profile(
        region=info.region,
        user_pool_id=info.user_pool_id,
        client_id=client.client_id,
        endpoint_url=info.endpoint_url,
        client_secret=client.client_secret,
        **extra,  # type: ignore[arg-type]
    )


def _config_file_app(make_app: Callable[..., ConsoleApp], profile: Profile) -> ConsoleApp:
    # Neither the embedded sandbox's endpoint nor its clients: a profile from a config file.
    return make_app(
        "office", extra={"office": profile}, sandbox_endpoints=set(), simulating_client_ids=set()
    )


@pytest.mark.usefixtures("no_credentials")
async def test_with_credentials_the_facts_come_without_f9(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDTESTING")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    app = _config_file_app(make_app, _office(tui_sandbox))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: app.admin.facts.peek("office") is not None)
        text = await send_and_wait(pilot, f"nobody-{uuid.uuid4().hex[:10]}")
        assert "delivered: EMAIL" in text
        assert f"note: {SIMULATED_NOTE}" in text
        assert text.count("hides unknown users") == 1


@pytest.mark.usefixtures("no_credentials")
async def test_a_sandbox_on_loopback_gives_its_facts_without_credentials(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    """A standalone sandbox's facts come with dummy keys, as F8 and F9 do, before any F9."""
    app = _config_file_app(make_app, _office(tui_sandbox))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: app.admin.facts.peek("office") is not None)
        text = await send_and_wait(pilot, f"nobody-{uuid.uuid4().hex[:10]}")
        assert f"note: {SIMULATED_NOTE}" in text
        assert CANNOT_TELL_NOTE not in text


@pytest.mark.usefixtures("no_credentials")
async def test_without_credentials_the_log_says_it_cannot_tell(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    # An AWS profile with no credentials: its pool facts cannot be had.
    app = _config_file_app(make_app, _office(tui_sandbox, aws_profile="nowhere"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await send_and_wait(pilot, f"nobody-{uuid.uuid4().hex[:10]}")
        assert "delivered: EMAIL" in text
        assert f"note: {CANNOT_TELL_NOTE}" in text
        assert text.count("hides unknown users") == 1
        record = app.history.query()[0] if app.history is not None else None
        assert record is not None and record.may_be_simulated is None


@pytest.mark.usefixtures("no_credentials")
async def test_the_profile_settles_it_without_credentials(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    profile = _office(tui_sandbox, hides_unknown_users=True, aws_profile="nowhere")
    app = _config_file_app(make_app, profile)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await send_and_wait(pilot, f"nobody-{uuid.uuid4().hex[:10]}")
        assert f"note: {SIMULATED_NOTE}" in text
