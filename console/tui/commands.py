"""The command palette: the actions of the screen it was opened on, and profile switches.

Each screen with a palette lists its actions (its ``ACTION_SPECS``) and they
run on that screen: on the main screen every main-screen action, on the
lookup, pool facts and batch screens that screen's own. A screen that is a
:class:`ProfileChooser` (the main screen) also offers "Switch profile: NAME"
for each other profile. The provider knows screens only by these two things,
never the app.

Textual's palette parses hit prompts and help texts as markup, so only our
own fixed words and profile names go in (profile names are limited to
``[A-Za-z0-9_.-]`` by the config; descriptions, which are free text, stay out).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from console.tui.bindings import ActionSpec

__all__ = ["ConsoleCommands", "ProfileChooser"]


@runtime_checkable
class ProfileChooser(Protocol):
    """A screen that offers switching the active profile from the palette."""

    def profile_choices(self) -> list[str]:
        """The profiles one could switch to (not the active one)."""

    def choose_profile(self, name: str) -> None:
        """Switch to *name*."""


class ConsoleCommands(Provider):
    """Actions and profile switches, found by fuzzy search."""

    def _commands(self) -> Iterator[tuple[str, Callable[[], Any], str]]:
        screen = self.screen
        specs: tuple[ActionSpec, ...] | None = getattr(screen, "ACTION_SPECS", None)
        if specs is None:
            return
        where = str(getattr(screen, "HELP_TITLE", "") or "")
        for spec in specs:
            title = f"{where}: {spec.label}" if where else spec.label
            yield title, partial(screen.run_action, spec.action), spec.help
        if isinstance(screen, ProfileChooser):
            for name in screen.profile_choices():
                yield (
                    f"Switch profile: {name}",
                    partial(screen.choose_profile, name),
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
