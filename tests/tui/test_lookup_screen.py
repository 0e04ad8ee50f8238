"""The lookup screen: find by email or prefix, fill the form, warn before a doubtful resend.

Against the TUI sandbox: its profiles sign admin reads with the dummy sandbox
keys. The credential tests point a profile at an AWS profile that does not
exist (or holds denied keys), with the AWS files under tmp_path, so the real
~/.aws is never read.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.tui.conftest import SIZE, ready, send_and_wait, wait_until

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from console.config import Profile
    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp
    from console.tui.screens.lookup import LookupScreen

_AWS_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)


async def open_lookup(pilot: Pilot[Any]) -> LookupScreen:
    """Press F8 and return the lookup screen."""
    from console.tui.screens.lookup import LookupScreen

    await pilot.press("f8")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LookupScreen))
    screen = pilot.app.screen
    assert isinstance(screen, LookupScreen)
    return screen


async def search(
    pilot: Pilot[Any], screen: LookupScreen, text: str, *, typed: bool = False
) -> None:
    """Put *text* into the search field (key by key if *typed*), press Enter, wait."""
    from textual.widgets import Input

    field = screen.query_one("#lookup-value", Input)
    field.focus()
    if typed:
        field.value = ""
        await pilot.press(*text)
    else:
        field.value = text
    await pilot.press("enter")
    await wait_until(pilot, lambda: not screen.searching, timeout=15)


def profile_like(sandbox: Sandbox, **changes: Any) -> Profile:
    """The sandbox's public profile with *changes* (e.g. an aws_profile)."""
    from console.config import Profile

    info = sandbox.info
    return Profile(
        region=info.region,
        user_pool_id=info.user_pool_id,
        client_id=info.client("public").client_id,
        endpoint_url=info.endpoint_url,
        **changes,
    )


@pytest.fixture
def aws_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No ambient AWS credentials: empty AWS files in tmp_path, instance metadata off."""
    for name in _AWS_VARS:
        monkeypatch.delenv(name, raising=False)
    credentials = tmp_path / "aws-credentials"
    credentials.write_text("", encoding="utf-8")
    config = tmp_path / "aws-config"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return credentials


async def test_find_by_email_and_enter_fills_the_real_username(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    tag = uuid.uuid4().hex[:8]
    username, email = f"acct-{tag}", f"customer.{tag}@example.org"
    tui_sandbox.add_user(username, email=email)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_lookup(pilot)
        await search(pilot, screen, email, typed=True)
        assert [u.username for u in screen.users] == [username]
        assert f'1 user with email = "{email}"' in screen.status_text
        row = [str(cell) for cell in screen.query_one("#lookup-table").get_row_at(0)]
        assert row[:7] == [username, "UNCONFIRMED", "yes", email, "no", "-", "-"]
        assert len(row[7]) == len("2025-01-31 09:15")  # created and modified times
        await pilot.press("enter")  # the list has the focus after a search
        await wait_until(pilot, lambda: app.screen is app.main)
        assert app.main.form.username_input.value == username
        assert app.focused is app.main.form.username_input
        assert f"lookup: {username} (UNCONFIRMED) put into the form; not sent" in (
            app.main.log_pane.entries[-1].plain()
        )
        # Sending now goes to the real username, with no question (it can get a code).
        text = await send_and_wait(pilot)
        assert f"sandbox · {username}" in text
        assert "delivered: EMAIL" in text


async def test_prefix_search_reads_past_one_page(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    prefix = f"pg{uuid.uuid4().hex[:6]}-"
    for number in range(70):  # more than ListUsers' 60 a page
        tui_sandbox.add_user(f"{prefix}{number:03d}", email=f"{prefix}{number:03d}@example.com")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_lookup(pilot)
        await pilot.press("f3")  # prefix
        await search(pilot, screen, prefix)
        assert len(screen.users) == 70
        assert {u.username for u in screen.users} == {f"{prefix}{n:03d}" for n in range(70)}
        assert f'70 users with username starting with "{prefix}"' in screen.status_text
        # The key follows what is typed until the operator picks one (F2 cycles).
        await search(pilot, screen, f"{prefix}000@")
        assert [u.username for u in screen.users] == [f"{prefix}000"]
        await pilot.press("f2")  # email -> phone
        await search(pilot, screen, "+1999")
        assert "no user with phone starting with" in screen.status_text
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)
        assert app.main.form.username_input.value == ""


async def test_a_confirmed_user_from_a_lookup_gets_a_question_first(
    make_app: Callable[..., ConsoleApp], tui_sandbox: Sandbox
) -> None:
    from console.tui.screens.confirm import ConfirmScreen

    def sent_to_carol() -> int:
        return sum(1 for body in tui_sandbox.received() if body.get("Username") == "carol")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_lookup(pilot)
        await search(pilot, screen, "carol")
        detail = str(screen.query_one("#lookup-detail").content)
        assert "carol is already CONFIRMED: a resend will fail" in detail
        await pilot.press("f6")  # use the highlighted user
        await wait_until(pilot, lambda: app.screen is app.main)
        before = sent_to_carol()
        log = app.main.log_pane

        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "carol is already CONFIRMED" in app.screen.message  # type: ignore[attr-defined]
        count = len(log.entries)
        await pilot.press("n")
        await wait_until(pilot, lambda: len(log.entries) > count)
        text = log.entries[-1].plain()
        assert "not sent: cancelled after the lookup's warning" in text
        assert sent_to_carol() == before

        count = len(log.entries)
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")  # send anyway
        await wait_until(pilot, lambda: len(log.entries) > count)
        text = log.entries[-1].plain()
        assert "failed: InvalidParameterException" in text
        assert "User is already confirmed" in text
        assert sent_to_carol() == before + 1


async def test_without_credentials_the_lookup_names_the_permission_and_resending_works(
    make_app: Callable[..., ConsoleApp],
    tui_sandbox: Sandbox,
    tui_user: Callable[..., str],
    aws_files: Path,
) -> None:
    user = tui_user()
    nocreds = profile_like(tui_sandbox, aws_profile="nonexistent")
    app = make_app("nocreds", extra={"nocreds": nocreds})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_lookup(pilot)
        await search(pilot, screen, user)
        status = screen.status_text
        assert "AWS profile 'nonexistent' not found" in status
        assert "cognito-idp:ListUsers" in status
        assert "\n" not in status
        assert screen.users == ()
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)
        text = await send_and_wait(pilot, user)
        assert "delivered: EMAIL" in text


async def test_a_denied_lookup_names_the_missing_permission(
    make_app: Callable[..., ConsoleApp],
    tui_sandbox: Sandbox,
    aws_files: Path,
) -> None:
    from console.sandbox.denials import DENIED_ACCESS_KEY_ID

    aws_files.write_text(
        f"[denied]\naws_access_key_id = {DENIED_ACCESS_KEY_ID}\naws_secret_access_key = dummy\n",
        encoding="utf-8",
    )
    denied = profile_like(tui_sandbox, aws_profile="denied")
    app = make_app("denied", extra={"denied": denied})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_lookup(pilot)
        await search(pilot, screen, "alice")
        assert "access denied" in screen.status_text
        assert "may not call cognito-idp:ListUsers" in screen.status_text


async def wait_for_palette_hit(pilot: Pilot[Any], text: str) -> None:
    """Wait until the palette's search has put a command naming *text* first, highlighted."""
    from textual.command import CommandList

    def first_hit() -> str:
        found = pilot.app.screen.query(CommandList)
        if not found or found.first().highlighted != 0:
            return ""
        return str(found.first().get_option_at_index(0).prompt)

    await wait_until(pilot, lambda: text.lower() in first_hit().lower())


async def test_new_actions_are_in_the_footer_palette_and_help(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from console.tui.bindings import BATCH_ACTIONS, LOOKUP_ACTIONS, POOL_FACTS_ACTIONS
    from console.tui.screens.help import HelpScreen
    from console.tui.screens.lookup import LookupScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        shown = {b.binding.id for b in app.active_bindings.values() if b.binding.show}
        assert {"lookup", "pool-facts", "batch", "help", "quit"} <= shown
        # The palette finds the lookup by name and opens it.
        await pilot.press("ctrl+p")
        await pilot.press(*"Lookup")
        await wait_for_palette_hit(pilot, "Lookup")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        # On the lookup screen the palette offers its own actions.
        await pilot.press("ctrl+p")
        await pilot.press(*"Search by")
        await wait_for_palette_hit(pilot, "Search by")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LookupScreen))
        select = app.screen.query_one("#lookup-key")
        await wait_until(pilot, lambda: select.value == "email")  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        listed = {row.binding_id for g in app.screen.groups for row in g.rows}  # type: ignore[attr-defined]
        for table in (LOOKUP_ACTIONS, POOL_FACTS_ACTIONS, BATCH_ACTIONS):
            assert {spec.id for spec in table} <= listed
        assert {"lookup", "pool-facts", "batch", "confirm-yes", "confirm-no"} <= listed
