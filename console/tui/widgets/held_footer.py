"""The main screen's footer, whose keys can wait until the console is ready to send."""

from __future__ import annotations

from textual.screen import Screen

from console.tui.widgets.fitting_footer import FittingFooter

__all__ = ["HeldFooter"]


class HeldFooter(FittingFooter):
    """The footer of every screen (keys that do not fit go whole); with *held*, an
    empty row until :meth:`release`.

    Textual rebuilds a footer's keys (a widget each, ~20 here) on every
    bindings update, and a start-up has three of them: ~25 ms before the first
    frame, ~35 ms while the config loads, on the interpreter that the config,
    the SDK client and the frames share. Held, the keys are built once, when
    :meth:`release` is called (the app does at "ready"): the keys appear when
    pressing them can do something.
    """

    def __init__(self, *, held: bool = False, compact: bool = False) -> None:
        """*held*: show no keys until :meth:`release`."""
        super().__init__(compact=compact)
        self._held = held

    @property
    def held(self) -> bool:
        """Whether the keys are still held back."""
        return self._held

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild the keys for *screen*'s bindings, unless they are held."""
        if not self._held:
            super().bindings_changed(screen)

    def release(self) -> None:
        """Show the keys from now on (a no-op once released)."""
        if not self._held:
            return
        self._held = False
        if self.is_attached:
            # On the footer's own queue, as Textual's signal calls it: its keys are
            # built with the footer as the active node (they bind to its reactives).
            self.call_later(self.bindings_changed, self.screen)
