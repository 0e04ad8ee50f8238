"""The ``[console]`` theme and keymap as the app applies them, and saving a theme choice.

The app holds its theme and keymap; this is how they are applied from the
config (:func:`apply_theme_and_keymap`: an unknown name is a line for the
log, not a failure) and how the operator's theme choice (F10) is written back
to the config file for the next start (:class:`ThemeSaver`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.config import ConfigError, set_console_setting
from console.tui.bindings import checked_keymap

if TYPE_CHECKING:
    from textual.app import App

    from console.config import ConsoleSettings

__all__ = ["ThemeSaver", "apply_theme_and_keymap"]


def apply_theme_and_keymap(app: App[Any], console: ConsoleSettings) -> list[str]:
    """Set *console*'s theme and keymap on *app*; one problem per name that is not known."""
    problems: list[str] = []
    if console.theme in app.available_themes:
        app.theme = console.theme
    else:
        problems.append(f"console.theme: no theme named {console.theme!r}; using {app.theme}")
    from console.tui.keymap_check import check_keymap

    keymap, unknown = checked_keymap(console.keymap)
    problems += unknown
    checked = check_keymap(keymap)
    problems += checked.problems
    if checked.keymap:
        app.set_keymap(checked.keymap)
    return problems


def _theme_at_start(path: Path) -> str | None:
    """The theme a start with the config at *path* and this environment would use."""
    from console.config import load_config

    try:
        return load_config(str(path)).console.theme
    except ConfigError:
        return None  # the file has other problems; the next start will name them


class ThemeSaver:
    """Writes the themes the operator picks in one app to its config file, for the next start."""

    def __init__(
        self,
        app: App[Any],
        *,
        configured: Callable[[], str],
        path: Callable[[], Path],
        note: Callable[[str, bool], None],
    ) -> None:
        """*configured*: the config's theme; *path*: the file to write; *note* gets a line
        for the log and whether it is a warning."""
        self._app = app
        self._configured = configured
        self._path = path
        self._note = note
        self._saved: str | None = None
        self._lock: asyncio.Lock | None = None

    def watch(self) -> None:
        """Save every theme picked from now on (the one applied from the config is not a pick)."""
        self._app.theme_changed_signal.subscribe(self._app, self._changed)

    def _changed(self, theme: object) -> None:
        # Always queue a save: comparing here with the last finished save
        # would skip going back to it while another save is still writing.
        self._app.run_worker(self._save(), group="save-theme", exit_on_error=False)

    async def _save(self) -> None:
        # One save at a time, each writing the theme current when it starts:
        # however fast the operator flips themes, the file ends on the last.
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            name = self._app.theme
            if name == (self._saved or self._configured()):
                return
            try:
                written = await asyncio.to_thread(set_console_setting, self._path(), "theme", name)
            except ConfigError as error:
                self._note(f"theme {name} for this session only, not saved: {error}", True)
                return
            self._saved = name
            text = f"theme {name} saved in {written}"
            next_start = await asyncio.to_thread(_theme_at_start, written)
            if next_start is not None and next_start != name:
                text += f"; but the environment sets theme {next_start} at start-up"
            self._note(text, False)
