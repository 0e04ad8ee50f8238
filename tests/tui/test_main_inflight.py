"""A send in flight: the UI stays usable, a second send is refused, quitting does not wait."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from tests.tui.conftest import SIZE, ready, send_and_wait, wait_until

if TYPE_CHECKING:
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp


@pytest.fixture
def slow_sandbox(tui_sandbox: Sandbox) -> Iterator[Sandbox]:
    """The TUI sandbox holding each answer for a while; back to instant afterwards."""
    tui_sandbox.set_latency_ms(700)
    try:
        yield tui_sandbox
    finally:
        tui_sandbox.set_latency_ms(0)


async def test_second_send_while_in_flight_is_refused(
    make_app: Callable[..., ConsoleApp], slow_sandbox: Sandbox, tui_user: Callable[..., str]
) -> None:
    user = tui_user()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.main.form.username_input.value = user
        await pilot.press("enter")
        status = app.main.send_status
        assert status.busy
        assert "sending " in str(status.query_one("#send-label").content)
        # The header tells the truth while the call is in flight.
        assert app.main.profile_bar.status_text == "sending…"
        # The UI keeps working while the call runs: typing still edits the form.
        await pilot.press("ctrl+j")
        log = app.main.log_pane
        assert log.entries[-1].mark == "✗"
        assert "not sent: a send is already in flight" in log.entries[-1].plain()
        await pilot.press(*"x")
        assert app.main.form.username_input.value == f"{user}x"
        await wait_until(pilot, lambda: log.entries[-1].mark == "✓")
        assert not status.busy
        assert app.main.profile_bar.status_text == "ready"
        assert f"sandbox · {user}" in log.entries[-1].plain()
    sent = [body for body in slow_sandbox.received() if body.get("Username") == user]
    assert len(sent) == 1


async def test_quit_with_a_call_in_flight_exits_at_once(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox, tui_user: Callable[..., str]
) -> None:
    user = tui_user()
    app = make_app()
    loop = asyncio.get_running_loop()
    tui_sandbox.set_latency_ms(8000)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            app.main.form.username_input.value = user
            await pilot.press("enter")
            await wait_until(
                pilot, lambda: any(b.get("Username") == user for b in tui_sandbox.received())
            )
            started = loop.time()
            await pilot.press("ctrl+q")
        # Textual waits for thread workers on exit; ours gives up within a poll.
        assert loop.time() - started < 1.5
        assert app.return_code in (0, None)
    finally:
        tui_sandbox.set_latency_ms(0)


async def test_read_timeout_is_outcome_unknown(
    make_app: Callable[..., ConsoleApp], slow_sandbox: Sandbox, tui_user: Callable[..., str]
) -> None:
    from console.cognito import Gateway

    # Its own gateway: the shared one caches a client per settings, timeouts included.
    app = make_app(settings={"read_timeout": 0.2}, gateway=Gateway())
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await send_and_wait(pilot, tui_user())
        entry = app.main.log_pane.entries[-1]
        assert entry.mark == "?"
        assert "outcome unknown: ReadTimeout" in text
        assert "the code may have been sent" in text
        assert "console says: Read timeout" in text  # the console's words, not Cognito's
        assert "Cognito says" not in text


async def test_user_not_found_advice_names_the_lookup_key(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app(keymap={"lookup": "f11"})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await send_and_wait(pilot, "nobody-by-this-name")
        assert "failed: UserNotFoundException" in text
        assert "F11 looks the user up by email or phone." in text
