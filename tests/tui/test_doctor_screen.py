"""The delivery doctor in the TUI: one key after an attempt, checks as they finish (#14, item 3)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.tui.conftest import SIZE, ready, sandbox_config, send_and_wait, wait_until

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from console.sandbox import Sandbox
    from console.tui.app import ConsoleApp
    from console.tui.screens.doctor import DoctorScreen


async def open_doctor(pilot: Pilot[Any], key: str = "ctrl+y") -> DoctorScreen:
    """Press the doctor key and wait until every check finished."""
    from console.tui.screens.doctor import DoctorScreen

    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, DoctorScreen))
    screen = pilot.app.screen
    assert isinstance(screen, DoctorScreen)
    await wait_until(pilot, lambda: screen.report is not None)
    await pilot.pause()
    return screen


async def test_after_an_attempt_the_key_opens_the_doctor_for_its_user(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "delivered: SMS to +*******0199" in await send_and_wait(pilot, "frank")
        screen = await open_doctor(pilot)
        lines = screen.text.splitlines()
        assert lines[0].startswith("✗ 2 causes stop delivery")
        assert (
            lines[1]
            == "✗ BLOCKING sns-opt-out: +15555550199 has opted out of SMS from this account"
        )
        assert "fix: if the user asks to receive texts again" in lines[2]
        assert any(
            line.startswith("✗ BLOCKING delivery-logs: 1 delivery error for frank")
            for line in lines
        )
        assert any(line.startswith("! warn     sns-spend-limit") for line in lines)
        assert len(screen.results) == 13
        assert "checking" not in screen.text
        # The highlighted check is the first blocking cause: c copies its command.
        await pilot.press("c")
        assert app.clipboard == (
            "aws sns opt-in-phone-number --phone-number +15555550199 --region us-east-1"
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.main)


async def test_checks_appear_as_they_finish_with_a_spinner_each(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from console.tui.screens.doctor import DoctorScreen

    app = make_app("sandbox")
    gate = threading.Event()
    heard: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        name, profile = "sandbox", app.config.profiles["sandbox"]

        def run(on_result: Any) -> Any:
            def held(result: Any) -> None:
                heard.append(result.id)
                on_result(result)
                if len(heard) == 1:
                    gate.wait(10)  # hold the rest back until the test has looked

            return app.admin.doctor(name, profile, app.config.console, "frank", None, held)

        screen = DoctorScreen(where="profile sandbox", username="frank", run=run)
        await app.push_screen(screen)
        await wait_until(pilot, lambda: len(screen.results) == 1)
        await pilot.pause(0.25)
        text = screen.text
        assert text.startswith("checking…")
        assert text.count("checking ") == 12  # one spinner line per check still running
        assert screen.query_one("#doctor-progress").progress == 1
        gate.set()
        await wait_until(pilot, lambda: screen.report is not None)
        assert screen.query_one("#doctor-progress").progress == 13
        assert "checking " not in screen.text


async def test_a_delivered_email_with_a_pool_risk_points_at_the_key(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: app.admin.facts.peek("sandbox") is not None)
        text = await send_and_wait(pilot, "erin")
        assert "delivered: EMAIL to e***@e***.com" in text
        assert (
            "doctor: delivered, but the pool facts show a risk: COGNITO_DEFAULT sends at most 50 "
            "emails a day (past that, dropped silently) from an address mail filters often "
            "block; if it does not arrive, press ^y"
        ) in text
        text = await send_and_wait(pilot, "bob")  # SMS: nothing the facts know of
        assert "doctor:" not in text


async def test_the_keymap_moves_the_key_and_the_hint_follows(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app("sandbox", keymap={"doctor": "f11"})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: app.admin.facts.peek("sandbox") is not None)
        text = await send_and_wait(pilot, "alice")
        assert "if it does not arrive, press f11" in text
        screen = await open_doctor(pilot, "f11")
        assert "alice@example.com" in screen.text


async def test_without_an_attempt_the_key_says_what_to_do(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.screen is app.main
        assert any("no attempt yet" in str(n.message) for n in app._notifications)


async def test_the_palette_and_the_help_offer_it(make_app: Callable[..., ConsoleApp]) -> None:
    from console.tui.commands import ConsoleCommands
    from console.tui.screens.help import HelpScreen

    app = make_app("sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        titles = [title for title, _, _ in ConsoleCommands(app.screen)._commands()]
        assert "Delivery doctor" in titles
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        await wait_until(pilot, lambda: bool(help_screen.groups))
        rows = {
            (group.title, row.binding_id): row for group in help_screen.groups for row in group.rows
        }
        assert rows[("Main screen", "doctor")].keys[0] == "^y"
        assert ("Delivery doctor", "doctor-copy") in rows


# ----- the four stories on their own sandboxes ----------------------------------------


def app_on(box: Sandbox, tmp_path: Path) -> ConsoleApp:
    from console.tui.app import ConsoleApp

    config = sandbox_config(box, tmp_path / "history.sqlite3")
    app = ConsoleApp(config, profile_name="sandbox", sandbox_endpoints={box.info.endpoint_url})
    app.animation_level = "none"
    return app


@pytest.mark.parametrize(
    ("scenario", "username", "first"),
    [
        ("ses", "erin", "✗ BLOCKING ses-suppression: erin@example.com is on the account's"),
        ("ses-sandbox", "alice", "✗ BLOCKING ses-recipient: the account is in the SES sandbox"),
        ("cognito-default-exhausted", "alice", "✗ BLOCKING delivery-logs: 1 delivery error"),
    ],
)
async def test_the_stories_on_screen(
    box: Sandbox, tmp_path: Path, scenario: str, username: str, first: str
) -> None:
    box.apply_scenario({"name": scenario})
    app = app_on(box, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "delivered: EMAIL" in await send_and_wait(pilot, username)
        screen = await open_doctor(pilot)
        assert screen.text.splitlines()[1].startswith(first)
        if scenario == "cognito-default-exhausted":
            assert "COGNITO_DEFAULT daily email limit reached" in screen.text
