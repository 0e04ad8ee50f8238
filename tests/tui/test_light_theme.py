"""The light theme's focused field is clearly visible."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.tui.conftest import SIZE, ready

if TYPE_CHECKING:
    from console.tui.app import ConsoleApp


async def test_the_focused_field_stands_out_on_the_light_theme(
    make_app: Callable[..., ConsoleApp],
) -> None:
    from textual.widgets import Input

    app = make_app(settings={"theme": "textual-light"})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.theme == "textual-light"
        username = app.main.form.username_input
        other = app.main.form.query_one("#analytics-id", Input)
        username.focus()
        await pilot.pause()
        focused = username.background_colors[1]  # composited over what is behind it
        unfocused = other.background_colors[1]
        # Distinct at a glance: 3% apart in brightness before, 14% now.
        assert abs(focused.brightness - unfocused.brightness) >= 0.1
