"""Switching profiles: by the profile Select (F2), and by the command palette."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.tui.conftest import SIZE, ready, send_and_wait, wait_until

if TYPE_CHECKING:
    from console.tui.app import ConsoleApp


def _facts(app: ConsoleApp) -> str:
    return str(app.main.profile_bar.query_one("#profile-facts").content)


async def test_f2_switches_to_the_next_profile(
    make_app: Callable[..., ConsoleApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert _facts(app).startswith(
            "sandbox  Local sandbox, public app client (no secret)\nus-east-1 · pool "
        )
        assert "secret: none" in _facts(app)
        # Profiles in name order: sandbox, sandbox-confidential, then around again.
        await pilot.press("f2")
        await wait_until(pilot, lambda: app.active_name == "sandbox-confidential")
        assert not app.main.profile_bar.select.expanded
        assert "secret: inline" in _facts(app)
        assert app.focused is app.main.form.username_input
        await ready(pilot)
        text = await send_and_wait(pilot, "nobody-here")
        assert "sandbox-confidential · nobody-here" in text
        assert "note: success may be simulated" in text
        await pilot.press("f2")
        await wait_until(pilot, lambda: app.active_name == "sandbox")


async def test_the_profile_select_has_no_blank_entry(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from textual.widgets import Select

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        select = app.main.profile_bar.select
        select.focus()
        select.action_show_overlay()
        await wait_until(pilot, lambda: select.expanded)
        # The first entry is a profile, not a blank "profile" prompt.
        await pilot.press("home", "enter")
        await wait_until(pilot, lambda: not select.expanded)
        assert select.value == "sandbox"
        assert select.value is not Select.BLANK
        assert app.active_name == "sandbox"
        await pilot.press("enter")  # open it again: down picks the next profile
        await wait_until(pilot, lambda: select.expanded)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: app.active_name == "sandbox-confidential")


async def test_palette_lists_actions_and_profile_switches(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from textual.command import CommandList, CommandPalette

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"confid")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        commands = palette.query_one(CommandList)

        def best_hit_is_the_switch() -> bool:
            index = commands.highlighted
            if index is None:
                return False
            prompt = commands.get_option_at_index(index).prompt
            return "Switch profile: sandbox-confidential" in str(prompt)

        await wait_until(pilot, best_hit_is_the_switch)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.active_name == "sandbox-confidential")
        assert "secret: inline" in _facts(app)


async def test_the_outbox_entry_does_not_promise_only_the_embedded_sandbox(
    make_app: Callable[..., ConsoleApp],
) -> None:
    """F4 opens the outbox of any sandbox endpoint (a standalone one too): the palette says so."""
    from textual.command import CommandList, CommandPalette

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"outbox")
        commands = app.screen.query_one(CommandList)

        def best_hit() -> str:
            index = commands.highlighted
            return "" if index is None else str(commands.get_option_at_index(index).prompt)

        await wait_until(pilot, lambda: "Outbox" in best_hit())
        assert "What the active profile's sandbox delivered" in best_hit()
        assert "embedded" not in best_hit()


async def test_palette_provider_offers_every_action(make_app: Callable[..., ConsoleApp]) -> None:
    from console.tui.bindings import ACTIONS
    from console.tui.commands import ConsoleCommands

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        provider = ConsoleCommands(app.screen)
        titles = [hit.text async for hit in provider.discover()]
        assert {spec.label for spec in ACTIONS} <= set(titles)
        assert "Switch profile: sandbox-confidential" in titles
        assert "Switch profile: sandbox" not in titles  # the active one is not offered
