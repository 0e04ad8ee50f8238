"""The base of the console app: shared state and lookups, theme, keymap, crash report.

:class:`~console.tui.app_actions.ActionsApp` adds the keyboard actions and
:class:`~console.tui.app.ConsoleApp` the start-up and sending.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from console.config import ConfigError, default_config_path, set_console_setting
from console.tui.bindings import ACTIONS, SCREEN_ACTION_TABLES
from console.tui.log_entries import note_entry
from console.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from console.cognito import Gateway
    from console.config import AppConfig, Profile
    from console.history import History
    from console.tui.log_entries import LogDisplay, LogEntry

__all__ = ["KEYMAP_ALIASES", "BaseConsoleApp", "known_binding_ids"]


def _theme_at_start(path: Path) -> str | None:
    """The theme a start with the config at *path* and this environment would use."""
    from console.config import load_config

    try:
        return load_config(str(path)).console.theme
    except ConfigError:
        return None  # the file has other problems; the next start will name them


KEYMAP_ALIASES = {"resend": "send"}
"""Other names a keymap may use for a binding id (the config docs say ``resend``)."""


def known_binding_ids() -> set[str]:
    """Every binding id ``[console.keymap]`` may remap."""
    from console.tui.widgets.metadata_rows import MetadataRows

    ids = {spec.id for spec in ACTIONS} | {"quit"}
    ids |= {spec.id for table in SCREEN_ACTION_TABLES for spec in table}
    ids |= {b.id for b in MetadataRows.BINDINGS if isinstance(b, Binding) and b.id}
    return ids


class BaseConsoleApp(App[int]):
    """What every part of the app shares: typed state, lookups, theme, keymap, crash report."""

    _config: AppConfig | None = None
    display_options: LogDisplay
    _gateway: Gateway | None = None
    history: History | None
    active_name: str | None
    active_profile: Profile | None
    sandbox_endpoints: set[str]
    _theme_saved: str | None = None
    _theme_lock: asyncio.Lock | None = None

    if TYPE_CHECKING:

        async def switch_profile(self, name: str) -> None:
            """Defined by ConsoleApp."""

    @property
    def config(self) -> AppConfig:
        """The loaded config. ``run_tui`` loads it after the first frame: see
        :attr:`config_loaded`; only code that runs once a profile exists may rely on it."""
        if self._config is None:
            raise RuntimeError("the config is not loaded yet")
        return self._config

    @config.setter
    def config(self, config: AppConfig) -> None:
        self._config = config

    @property
    def config_loaded(self) -> bool:
        """Whether :attr:`config` is there yet."""
        return self._config is not None

    @property
    def gateway(self) -> Gateway:
        """The SDK gateway, made on first use (the first frame does without its module)."""
        if self._gateway is None:
            from console.cognito import Gateway

            self._gateway = Gateway()
        return self._gateway

    @property
    def main(self) -> MainScreen:
        """The main screen (the base of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def log_entry(self, entry: LogEntry) -> None:
        """Add an entry to the attempt log."""
        self.main.log_pane.add_entry(entry)

    def profile_names(self) -> list[str]:
        """Every profile, sorted (none while the config loads)."""
        return sorted(self._config.profiles) if self._config is not None else []

    def apply_theme_and_keymap(self) -> None:
        """The config's theme and ``[console.keymap]``; unknown names are logged, not fatal."""
        display = self.display_options
        theme = self.config.console.theme
        if theme in self.available_themes:
            self.theme = theme
        else:
            self.log_entry(
                note_entry(
                    f"console.theme: no theme named {theme!r}; using {self.theme}",
                    display=display,
                    warning=True,
                )
            )
        known = known_binding_ids()
        keymap: dict[str, str] = {}
        for name, keys in self.config.console.keymap.items():
            binding_id = KEYMAP_ALIASES.get(name, name)
            if binding_id not in known:
                self.log_entry(
                    note_entry(
                        f"console.keymap: no binding with id {name!r} "
                        f"(known: {', '.join(sorted(known))})",
                        display=display,
                        warning=True,
                    )
                )
                continue
            keymap[binding_id] = keys
        if keymap:
            self.set_keymap(keymap)
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: object) -> None:
        # Always queue a save: comparing here with the last finished save
        # would skip going back to it while another save is still writing.
        self.run_worker(self._save_theme(), group="save-theme", exit_on_error=False)

    def theme_config_path(self) -> Path:
        """The file a theme choice is saved in: the config in use, else the user's config."""
        return self.config.source or default_config_path()

    async def _save_theme(self) -> None:
        # One save at a time, each writing the theme current when it starts:
        # however fast the operator flips themes, the file ends on the last.
        if self._theme_lock is None:
            self._theme_lock = asyncio.Lock()
        async with self._theme_lock:
            name = self.theme
            if name == (self._theme_saved or self.config.console.theme):
                return
            try:
                written = await asyncio.to_thread(
                    set_console_setting, self.theme_config_path(), "theme", name
                )
            except ConfigError as error:
                self.log_entry(
                    note_entry(
                        f"theme {name} for this session only, not saved: {error}",
                        display=self.display_options,
                        warning=True,
                    )
                )
                return
            self._theme_saved = name
            text = f"theme {name} saved in {written}"
            next_start = await asyncio.to_thread(_theme_at_start, written)
            if next_start is not None and next_start != name:
                text += f"; but the environment sets theme {next_start} at start-up"
            self.log_entry(note_entry(text, display=self.display_options))

    def _fatal_error(self) -> None:
        """Textual's crash report, without local variables.

        Textual prints the traceback of an unhandled exception with
        ``show_locals=True``; a local holding the client secret or a
        SecretHash would be printed in clear. Same report, no locals.
        """
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()
