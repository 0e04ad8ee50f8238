"""Hints that match Cognito's message and the user's medium, not every cause of a code."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.tui.conftest import SIZE, ready, send_and_wait, wait_until

if TYPE_CHECKING:
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp


async def test_an_sms_users_attempt_limit_blames_no_email_cap(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str]
) -> None:
    user = tui_user(phone_number="+15555550123", email=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        # The sandbox pool sends email with COGNITO_DEFAULT: its facts are known.
        await wait_until(pilot, lambda: app.admin.facts.peek("sandbox") is not None)
        for _ in range(5):
            assert "delivered: SMS" in await send_and_wait(pilot, user)
        text = await send_and_wait(pilot, user)
        assert "failed: LimitExceededException" in text
        assert "meaning: Too many codes for this user" in text
        assert "AdminConfirmSignUp" in text
        assert "COGNITO_DEFAULT" not in text
        assert "email" not in text.lower()


async def test_an_already_confirmed_user_gets_its_one_meaning(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    import uuid

    user = f"t-{uuid.uuid4().hex[:12]}"
    tui_sandbox.add_user(user, email=f"{user}@example.com", confirmed=True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await send_and_wait(pilot, user)
        assert "failed: InvalidParameterException" in text
        assert "meaning: The user is already confirmed: there is no sign-up code to resend." in (
            text
        )
        assert "auto verification" not in text.lower()
        assert "fix the named field" not in text


async def test_a_user_with_nowhere_to_send_gets_its_one_meaning(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str]
) -> None:
    user = tui_user(email=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await send_and_wait(pilot, user)
        assert "failed: InvalidParameterException" in text
        assert "meaning: The user has no email or phone number the pool verifies" in text
        assert "already confirmed" not in text
