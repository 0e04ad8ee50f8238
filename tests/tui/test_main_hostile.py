"""Untrusted text on the main screen: shown as typed, never run as markup or escapes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.data.hostile import terminal_hazards
from tests.tui.conftest import SIZE, ready, send_and_wait, wait_until

if TYPE_CHECKING:
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp


def _no_actions(app: ConsoleApp) -> None:
    """No log prompt carries a click action or link: nothing was parsed as markup."""
    from textual.content import Content
    from textual.visual import Padding

    from console.tui.widgets.attempt_log import EntryVisual
    from console.tui.widgets.hanging import Hanging

    log = app.main.log_pane
    for index in range(log.option_count):
        prompt = log.get_option_at_index(index).prompt
        assert isinstance(prompt, EntryVisual)
        for part in prompt.parts:
            content = part._visual if isinstance(part, Padding) else part
            if isinstance(content, Hanging):  # the headline: its mark and time, then its text
                content = content.prefix + content.text
            assert isinstance(content, Content)
            for span in content.spans:
                assert "@click" not in str(span.style)
                assert "link" not in str(span.style)


async def test_markup_like_usernames_are_shown_as_typed(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for username in ("[@click=app.quit]x[/]", "[/oops]", "[b]bold[/b]"):
            if username.startswith("[@click"):
                await pilot.press(*username)  # typed, key by key, as an operator would
            else:
                app.main.form.username_input.value = username
            assert app.main.form.username_input.value == username
            text = await send_and_wait(pilot)
            assert f"sandbox · {username}" in text
            assert "UserNotFoundException" in text
            await wait_until(
                pilot, lambda u=username: f'"Username": "{u}"' in app.main.preview.text
            )
            # Copying the entry notifies with the username in it: still literal.
            await pilot.press("f7")
            await pilot.click("#log", offset=(20, 1))  # on an entry's headline
            await pilot.pause()
            assert app.is_running
            assert app.return_code is None
            screen = app.export_screenshot().replace("&#160;", " ")
            assert username in screen
            app.main.form.username_input.value = ""
        _no_actions(app)


async def test_escape_sequences_are_made_visible(make_app: Callable[..., ConsoleApp]) -> None:
    app = make_app()
    hostile = "\x1b]52;c;SGVsbG8=\x07\x1b[2J\u202eevil"
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await send_and_wait(pilot, hostile)
        # Control characters break the username rule: nothing is sent.
        assert "not sent: invalid input" in text
        assert "\\x1b]52;c;SGVsbG8=\\x07\\x1b[2J\\u202eevil" in text
        assert terminal_hazards(text) == []
        assert terminal_hazards(app.main.preview.text) == []
        assert app.is_running


async def test_hostile_metadata_reaches_the_sandbox_exactly(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox, tui_user: Callable[..., str]
) -> None:
    from console.tui.form_values import MetadataRow

    user = tui_user()
    app = make_app()
    pairs = [MetadataRow("[@click=app.quit]k", "[/oops]\x1b[31mred")]
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await app.main.form.metadata.set_rows(pairs)
        text = await send_and_wait(pilot, user)
        assert "delivered" in text
        await wait_until(pilot, lambda: "\\u001b[31mred" in app.main.preview.text)
    delivery = [d for d in tui_sandbox.outbox() if d["user"] == user][-1]
    assert delivery["client_metadata"] == {"[@click=app.quit]k": "[/oops]\x1b[31mred"}


async def test_hostile_profile_description_is_literal(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    from console.config import Profile

    info = tui_sandbox.info
    odd = Profile(
        description="[@click=app.quit]click me[/] \x1b]0;title\x07",
        region=info.region,
        user_pool_id=info.user_pool_id,
        client_id=info.client("public").client_id,
        endpoint_url=info.endpoint_url,
    )
    app = make_app("odd", extra={"odd": odd})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        facts = str(app.main.profile_bar.query_one("#profile-facts").content)
        assert "[@click=app.quit]click me[/] \\x1b]0;title\\x07" in facts
        await pilot.click("#profile-facts")
        assert app.is_running
