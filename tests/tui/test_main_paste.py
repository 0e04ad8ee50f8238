"""Username entry: a pasted name loses the spaces around it, and the operator is told."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.tui.conftest import SIZE, ready, send_and_wait, wait_until

if TYPE_CHECKING:
    from console.tui.app import ConsoleApp


async def test_a_pasted_username_is_trimmed_with_a_note(
    make_app: Callable[..., ConsoleApp], tui_user: Callable[..., str]
) -> None:
    from textual import events

    user = tui_user()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        field = app.main.form.username_input
        field.focus()
        await pilot.pause()
        app.post_message(events.Paste(f"  {user}\n"))
        await wait_until(pilot, lambda: field.value == user)
        notes = [n.message for n in app._notifications]
        assert "spaces around the username removed (a username holds none)" in notes
        text = await send_and_wait(pilot)
        assert "delivered: EMAIL" in text
