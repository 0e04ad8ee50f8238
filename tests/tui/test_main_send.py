"""Sending from the main screen against a real sandbox: every outcome the log can show."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Never

from tests.tui.conftest import SIZE, ready, send_and_wait, wait_until

if TYPE_CHECKING:
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp


async def test_enter_sends_to_alice_by_email(make_app: Callable[..., ConsoleApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.focused is app.main.form.username_input
        await pilot.press(*"alice")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: bool(app.main.log_pane.entries))
        entry = app.main.log_pane.entries[-1]
        assert entry.mark == "✓"
        text = entry.plain()
        assert "sandbox · alice" in text
        assert "delivered: EMAIL to a***@e***.com (attribute email)" in text
        assert "request id " in text
        assert "history #" in text


async def test_ctrl_j_sends_to_bob_by_sms(make_app: Callable[..., ConsoleApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.main.form.username_input.value = "bob"
        app.main.log_pane.focus()  # ctrl+j works from anywhere, not only the username
        before = len(app.main.log_pane.entries)
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: len(app.main.log_pane.entries) > before)
        text = app.main.log_pane.entries[-1].plain()
        assert "delivered: SMS to +*******0100 (attribute phone_number)" in text


async def test_failures_show_code_message_meaning_and_remedy(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await send_and_wait(pilot, "nobody-at-all")
        entry = app.main.log_pane.entries[-1]
        assert entry.mark == "✗"
        assert "failed: UserNotFoundException (HTTP 400)" in text
        assert "Cognito says: Username/client id combination not found." in text
        assert "meaning: No user with this username exists" in text
        assert "what to do: Check the spelling." in text
        assert "request id " in text

        text = await send_and_wait(pilot, "carol")
        assert "failed: InvalidParameterException (HTTP 400)" in text
        assert "Cognito says: User is already confirmed." in text

        text = await send_and_wait(pilot, "dave")
        assert "failed: InvalidParameterException" in text
        assert "User has no email or phone_number attribute" in text


async def test_confidential_client_without_secret_is_not_authorized(
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
        assert "secret: none" in str(app.main.profile_bar.query_one("#profile-facts").content)
        text = await send_and_wait(pilot, "alice")
        assert "failed: NotAuthorizedException" in text
        assert "configured with secret but SECRET_HASH was not received" in text
        assert "what to do: Configure the client secret for this profile" in text


async def test_bad_client_id_override_is_resource_not_found(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+b")  # open the advanced fields
        app.main.form.query_one("#client-id", Input).value = "nosuchclient0000000000000"
        text = await send_and_wait(pilot, "alice")
        assert "failed: ResourceNotFoundException" in text
        assert "nosuchclient0000000000000 does not exist" in text
        assert "what to do: Fix the profile's client_id and region" in text


async def test_sixth_resend_within_the_hour_is_limit_exceeded(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str]
) -> None:
    user = tui_user()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for _ in range(5):
            assert "delivered: EMAIL" in await send_and_wait(pilot, user)
        text = await send_and_wait(pilot, user)
        assert "failed: LimitExceededException" in text
        assert "Attempt limit exceeded, please try after some time." in text
        assert "what to do: Wait up to an hour" in text


async def test_confidential_client_success_may_be_simulated(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app("sandbox-confidential")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "secret: inline" in str(app.main.profile_bar.query_one("#profile-facts").content)
        text = await send_and_wait(pilot, "no-such-user-here")
        assert "delivered: EMAIL" in text
        assert "note: success may be simulated" in text


async def test_field_errors_show_inline_and_nothing_is_sent(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    from textual.widgets import Input

    from console.tui.widgets.field_error import FieldError

    app = make_app()
    received = len(tui_sandbox.received())
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.main.form.query_one("#ip-address", Input).value = "not-an-ip"
        text = await send_and_wait(pilot, "has space")
        assert app.main.log_pane.entries[-1].mark == "✗"
        assert "not sent: invalid input (see the form)" in text
        username_error = app.main.form.query_one("#username-error", FieldError)
        assert username_error.messages
        assert "a space at position 4" in username_error.messages[0]
        ip_error = app.main.form.query_one("#ip-address-error", FieldError)
        assert ip_error.messages == ("must be an IPv4 or IPv6 address",)
        assert ip_error.display  # the advanced section opened to show it
    assert len(tui_sandbox.received()) == received


async def test_empty_username_is_required_once_you_send(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from console.tui.widgets.field_error import FieldError

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        error = app.main.form.query_one("#username-error", FieldError)
        assert error.messages == ()  # not nagged before the first send
        text = await send_and_wait(pilot, "")
        assert "username: is required" in text
        assert error.messages == ("is required",)


async def test_an_unexpected_error_is_logged_without_its_text(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str]
) -> None:
    from console.cognito import Gateway

    class BrokenGateway(Gateway):
        """A gateway with a bug: its exception text holds a value not to be shown."""

        def resend(self, *args: object, **kwargs: object) -> Never:
            raise ValueError("SECRET-HASH-abcd in a message")

    app = make_app(gateway=BrokenGateway())
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await send_and_wait(pilot, tui_user())
        assert app.main.log_pane.entries[-1].mark == "!"
        assert "send failed unexpectedly (ValueError while sending)" in text
        assert "SECRET-HASH" not in text
        assert not app.main.send_status.busy
        text = await send_and_wait(pilot)  # not stuck "in flight"
        assert "send failed unexpectedly" in text


async def test_without_history_sends_still_work(
    make_app: Callable[..., ConsoleApp], tmp_path: Path, tui_user: Callable[..., str]
) -> None:
    from console.config import ConsoleSettings

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the history folder should be", encoding="utf-8")
    app = make_app()
    app.config = app.config.model_copy(
        update={"console": ConsoleSettings(history_path=blocker / "history.sqlite3")}
    )
    async with app.run_test(size=SIZE) as pilot:
        log = app.main.log_pane
        await wait_until(pilot, lambda: any("history not saved" in e.plain() for e in log.entries))
        await wait_until(pilot, lambda: app.main.profile_bar.status_text == "ready")
        text = await send_and_wait(pilot, tui_user())
        assert "delivered: EMAIL" in text
        assert "history #" not in text
        await pilot.press("f3")
        assert app.screen is app.main  # no history to browse; a notification says so


async def test_the_form_counts_the_users_codes_and_asks_at_five(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str], tui_sandbox: Sandbox
) -> None:
    from console.tui.screens.confirm import ConfirmScreen
    from console.tui.widgets.field_error import FieldError

    user = tui_user()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        recent = app.main.form.query_one("#username-recent", FieldError)
        for count in range(1, 6):
            await send_and_wait(pilot, user)
            assert recent.messages == (
                f"{count} code{'s' if count > 1 else ''} sent to this user in the last hour "
                "(Cognito allows about 5)",
            )
        sent = len(tui_sandbox.received())
        before = len(app.main.log_pane.entries)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert isinstance(app.screen, ConfirmScreen)
        assert f"{user} got 5 codes in the last hour" in app.screen.message
        await pilot.press("n")
        await wait_until(pilot, lambda: len(app.main.log_pane.entries) > before)
        assert "not sent: cancelled after the send's warning" in (
            app.main.log_pane.entries[-1].plain()
        )
        assert len(tui_sandbox.received()) == sent
        # Another user of the same form: no count, no question.
        app.main.form.username_input.value = "someone-else"
        await wait_until(pilot, lambda: not recent.messages)


async def test_a_second_enter_for_the_same_user_asks_instead_of_sending_twice(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str], tui_sandbox: Sandbox
) -> None:
    from console.tui.screens.confirm import ConfirmScreen

    user = tui_user()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send_and_wait(pilot, user)
        await pilot.press(*user, "enter")  # typed again over the selected name, at once
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.title_text == "Send again?"
        assert f"a code went to {user}" in app.screen.message
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)
        # Declined, the name stays selected: the next one typed replaces it, not
        # "bobalice" (seen under tmux: a declined send left the cursor after the name).
        await wait_until(pilot, lambda: app.main.form.username_input.selected_text == user)
        await pilot.press(*"zed")
        assert app.main.form.username_input.value == "zed"
    assert sum(1 for b in tui_sandbox.received() if b.get("Username") == user) == 1
