"""A past attempt put back into the form: what comes back, and typing over it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from console.cognito import Delivery, Outcome, OutcomeKind
from tests.tui.conftest import SIZE, ready, send_and_wait, wait_until

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from console.history import AttemptRecord
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp


def _past_attempt(app: ConsoleApp, *, profile: str, pool: str, client_id: str, user: str) -> int:
    history = app.history
    assert history is not None
    attempt = history.start_attempt(
        profile=profile,
        region="us-east-1",
        user_pool_id=pool,
        client_id=client_id,
        username=user,
        client_metadata={},
        analytics_endpoint_id=None,
    )
    delivery = Delivery("EMAIL", "c***@e***.com", "email")
    history.finish_attempt(attempt, Outcome(OutcomeKind.DELIVERED, delivery=delivery))
    return attempt


async def _replay(pilot: Pilot[Any], attempt_id: int) -> None:
    from console.tui.screens.history import HistoryScreen

    app: ConsoleApp = pilot.app  # type: ignore[assignment]
    await pilot.press("f3")
    await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen))
    assert app.history is not None
    record: AttemptRecord | None = app.history.get(attempt_id)
    app.screen.dismiss(record)
    await wait_until(pilot, lambda: app.screen is app.main)
    entries = app.main.log_pane.entries
    await wait_until(pilot, lambda: bool(entries) and "put back into" in entries[-1].plain())


async def test_an_earlier_sandboxs_client_id_is_not_restored(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str]
) -> None:
    from textual.widgets import Input

    user = tui_user()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        old = _past_attempt(
            app, profile="sandbox", pool="us-east-1_EarlierRun", client_id="deadclient1", user=user
        )
        await _replay(pilot, old)
        assert app.main.form.query_one("#client-id", Input).value == ""
        note = app.main.log_pane.entries[-1].plain()
        assert "its client deadclient1 not restored" in note
        text = await send_and_wait(pilot)
        assert "delivered: EMAIL" in text
        assert "override" not in text


async def test_an_override_within_the_profile_comes_back_and_shows_in_the_attempt_line(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox, tui_user: Callable[..., str]
) -> None:
    from textual.widgets import Input

    user = tui_user()
    other = tui_sandbox.info.client("public").client_id
    app = make_app("sandbox-confidential")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        info = tui_sandbox.info
        attempt = _past_attempt(
            app, profile="sandbox-confidential", pool=info.user_pool_id, client_id=other, user=user
        )
        await _replay(pilot, attempt)
        assert app.main.form.query_one("#client-id", Input).value == other
        assert f"with client id override {other}" in app.main.log_pane.entries[-1].plain()
        text = await send_and_wait(pilot)
        headline = text.splitlines()[0]
        assert f"client {other} (override)" in headline


async def test_after_a_fill_from_history_the_next_key_replaces_the_username(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        info = tui_sandbox.info
        attempt = _past_attempt(
            app,
            profile="sandbox",
            pool=info.user_pool_id,
            client_id=info.client("public").client_id,
            user="carol",
        )
        await pilot.press(*"dave")
        await _replay(pilot, attempt)
        assert app.main.form.username_input.value == "carol"
        await pilot.press("X")
        assert app.main.form.username_input.value == "X"


async def test_after_a_send_the_next_key_replaces_the_username(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str]
) -> None:
    user = tui_user()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press(*user)
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.main.log_pane.entries) > 0)
        await wait_until(pilot, lambda: "delivered" in app.main.log_pane.entries[-1].plain())
        await pilot.press(*"bob")
        assert app.main.form.username_input.value == "bob"
