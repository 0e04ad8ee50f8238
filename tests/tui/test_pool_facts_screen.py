"""The pool facts screen, its refresh, and the explanations they add to the attempt log."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.data.hostile import terminal_hazards
from tests.tui.conftest import SIZE, ready, send_and_wait, wait_until

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp
    from console.tui.screens.pool_facts import PoolFactsScreen


async def open_facts(pilot: Pilot[Any]) -> PoolFactsScreen:
    """Press F9 and wait for the facts."""
    from console.tui.screens.pool_facts import PoolFactsScreen

    await pilot.press("f9")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PoolFactsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, PoolFactsScreen)
    await wait_until(pilot, lambda: screen.result is not None)
    return screen


async def test_the_screen_shows_the_pool_and_refreshes(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    app = make_app("sandbox-confidential")
    info = tui_sandbox.info
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_facts(pilot)
        text = screen.text
        assert "Profile sandbox-confidential" in text
        assert f"Pool {info.user_pool_id} (cognito-console-sandbox-" in text
        assert f"client {info.client('confidential').client_id} (confidential)" in text
        for line in (
            "! the pool sends email with COGNITO_DEFAULT: capped at 50 emails a day",
            "! this client hides unknown users: a success may be simulated",
            "· auto-verified attributes: email, phone_number",
            "· email sending account: COGNITO_DEFAULT (capped at 50 emails a day)",
            "· message triggers: none (Cognito's own message templates)",
            "· PreventUserExistenceErrors: ENABLED (unknown users get a simulated success)",
            "· app client confidential has a secret",
        ):
            assert line in text
        cached = app.admin.facts.peek("sandbox-confidential")
        assert cached is screen.result  # the screen and the log share one cache
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.result is not None and screen.result is not cached)
        assert app.admin.facts.peek("sandbox-confidential") is screen.result
        assert "auto-verified attributes: email, phone_number" in screen.text
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)


async def test_the_attempt_log_explains_an_outcome_by_the_pool_facts(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    from console.config import Profile

    info = tui_sandbox.info
    no_secret = Profile(
        region=info.region,
        user_pool_id=info.user_pool_id,
        client_id=info.client("confidential").client_id,
        endpoint_url=info.endpoint_url,
    )
    app = make_app("no-secret", extra={"no-secret": no_secret})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        # A sandbox profile's facts are asked for as soon as it is chosen.
        await wait_until(pilot, lambda: app.admin.facts.peek("no-secret") is not None)
        text = await send_and_wait(pilot, "alice")
        assert "failed: NotAuthorizedException" in text
        assert (
            "pool facts: NotAuthorized: this client has a secret and the profile has none "
            "configured" in text
        )
        screen = await open_facts(pilot)
        assert "! this client has a secret and the profile has none configured" in screen.text


def test_facts_are_shown_as_text_never_as_markup() -> None:
    """ARNs and names come from the pool: markup-like ones are shown exactly."""
    from console.cognito import PoolFacts, PoolFactsResult, TriggerFact
    from console.tui.screens.pool_facts import facts_content

    arn = "arn:aws:lambda:us-east-1:1:function:[@click=app.quit]x[/]\x1b]52;c;AA==\x07"
    facts = PoolFacts(
        profile="p",
        user_pool_id="us-east-1_Abc",
        client_id="client",
        pool_name="[b]pool[/b]",
        auto_verified=("email",),
        email_sending_account="DEVELOPER",
        email_source_arn="arn:aws:ses:us-east-1:1:identity/example.com",
        triggers=(TriggerFact("CustomMessage", arn), TriggerFact("CustomSMSSender", "arn:sms")),
        prevent_user_existence_errors="LEGACY",
        client_has_secret=False,
        fetched_at=0.0,
    )
    content = facts_content("p", PoolFactsResult(facts))
    plain = content.plain
    assert "Pool us-east-1_Abc ([b]pool[/b])" in plain
    assert "CustomMessage trigger: arn:aws:lambda:us-east-1:1:function:[@click=app.quit]x[/]" in (
        plain
    )
    assert "\\x1b]52;c;AA==\\x07" in plain
    assert terminal_hazards(plain) == []
    assert "CustomSMSSender trigger: arn:sms" in plain
    assert "email sending account: DEVELOPER via arn:aws:ses:" in plain
    assert not any("@click" in str(span.style) for span in content.spans)


def test_resending_still_works_is_said_once() -> None:
    from console.cognito import AdminFailure, PoolFactsResult
    from console.tui.screens.pool_facts import facts_content

    failures = tuple(
        AdminFailure(
            operation,
            "NoCredentials",
            f"{operation}: no AWS credentials found for cognito-idp:{operation}; set aws_profile "
            "for this profile or AWS_PROFILE (resending still works without them)",
        )
        for operation in ("DescribeUserPool", "DescribeUserPoolClient")
    )
    plain = facts_content("p", PoolFactsResult(None, failures)).plain
    assert plain.lower().count("resending still works") == 1
    assert "DescribeUserPoolClient: no AWS credentials found" in plain
