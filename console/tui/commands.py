"""The command palette: the actions of the screen it was opened on, and profile switches.

On the main screen: every main-screen action, and "Switch profile: NAME" for
each profile. On the lookup, pool facts and batch screens: that screen's own
actions (its ``ACTION_SPECS``), run on that screen.

Textual's palette parses hit prompts and help texts as markup, so only our
own fixed words and profile names go in (profile names are limited to
``[A-Za-z0-9_.-]`` by the config; descriptions, which are free text, stay out).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from console.tui.bindings import ACTIONS, ActionSpec

if TYPE_CHECKING:
    from console.tui.app import ConsoleApp

__all__ = ["ConsoleCommands"]


class ConsoleCommands(Provider):
    """Actions and profile switches, found by fuzzy search."""

    @property
    def console_app(self) -> ConsoleApp:
        """The app, typed."""
        from console.tui.app import ConsoleApp

        app = self.app
        assert isinstance(app, ConsoleApp)
        return app

    def _commands(self) -> Iterator[tuple[str, Callable[[], Any], str]]:
        from console.tui.screens.main import MainScreen

        app = self.console_app
        specs: tuple[ActionSpec, ...] | None = getattr(self.screen, "ACTION_SPECS", None)
        if specs is not None:
            screen = self.screen
            where = str(getattr(screen, "HELP_TITLE", "") or "")
            for spec in specs:
                title = f"{where}: {spec.label}" if where else spec.label
                yield title, partial(screen.run_action, spec.action), spec.help
            return
        if not isinstance(self.screen, MainScreen):
            return
        for spec in ACTIONS:
            yield spec.label, partial(app.run_action, f"app.{spec.action}"), spec.help
        for name in app.profile_names():
            if name != app.active_name:
                yield (
                    f"Switch profile: {name}",
                    partial(app.switch_profile, name),
                    "Send with this profile from now on",
                )

    async def discover(self) -> Hits:
        """Everything, for the palette's empty state."""
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Fuzzy matches on the titles."""
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)
