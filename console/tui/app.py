"""The Textual app: the app-wide state, how it comes to be, and what changes it.

:class:`ConsoleApp` holds what every screen shares: the config (loaded after the first frame),
the profiles, the history and its team link, the sandbox, the SDK gateway, the admin access,
the idle events the history waits for, theme, keymap, a crash report without locals. Screens
read it (:mod:`console.tui.state`), ask for changes with messages, and see them shown."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.worker import get_current_worker

from console.config import ConfigError, default_config_path
from console.text import visible
from console.tui.commands import ConsoleCommands
from console.tui.crash_report import traceback_without_locals
from console.tui.log_entries import LogDisplay
from console.tui.messages import (
    ConfigFailed,
    ConfigLoaded,
    GatewayWarmed,
    HistoryFailed,
    HistoryOpened,
    SandboxFailed,
    SandboxReady,
    SwitchProfile,
)
from console.tui.screens.main import MainScreen
from console.tui.startup import SandboxFactory, open_history, sandbox_note, start_embedded_sandbox
from console.tui.styles import stylesheet
from console.tui.team_link import TeamLink
from console.tui.theme_keymap import ThemeSaver, apply_theme_and_keymap

if TYPE_CHECKING:
    from console.cognito import Gateway
    from console.config import AppConfig, Profile
    from console.history import History
    from console.tui.admin_access import AdminAccess
    from console.tui.first_frame import ProfileHint
    from console.tui.startup import RunningSandbox
    from console.tui.state import ConsoleState

__all__ = ["ConsoleApp"]


class ConsoleApp(App[int]):
    """cognito-console's TUI. Build it with a loaded config; see :func:`launch.run_tui`."""

    TITLE = "cognito-console"
    CSS_PATH: ClassVar[list[Any]] = [stylesheet("app.tcss"), stylesheet("main.tcss")]
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {ConsoleCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 -- app.tcss
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, tooltip="Quit the console"),
    ]

    def __init__(
        self,
        config: AppConfig | None,
        *,
        config_loader: Callable[[], AppConfig] | None = None,
        theme_hint: str | None = None,
        profile_hint: ProfileHint | None = None,
        profile_name: str | None = None,
        sandbox_factory: SandboxFactory | None = None,
        gateway: Gateway | None = None,
        display: LogDisplay | None = None,
        simulating_client_ids: Iterable[str] = (),
        sandbox_endpoints: Iterable[str] = (),
        use_history: bool = True,
    ) -> None:
        """*profile_name* None means the config's default; *sandbox_factory* starts an
        embedded sandbox after the first paint and adds its profiles. With *config*
        None, *config_loader* loads it in a worker after the first frame (raising
        ConfigError to make the app leave with exit code 2 and :attr:`config_error`);
        *theme_hint* and *profile_hint* (from the raw TOML) are drawn meanwhile.
        """
        super().__init__()
        if config is None and config_loader is None:
            raise ValueError("ConsoleApp needs a config or a config_loader")
        self._config = config
        self._config_loader = config_loader
        self._theme_hint, self._profile_hint = theme_hint, profile_hint
        self.config_error: str | None = None
        """Why the config could not be loaded; set when the app leaves for that reason."""
        self.display_options = display or LogDisplay()
        self._gateway = gateway
        self.history: History | None = None
        self.team = TeamLink()
        self.sandbox: RunningSandbox | None = None
        self.active_name: str | None = None
        self.active_profile: Profile | None = None
        self._requested_profile = profile_name
        self._sandbox_factory = sandbox_factory
        self._sandbox_pending = sandbox_factory is not None
        self.simulating_client_ids = set(simulating_client_ids)
        """App clients known to hide unknown users: a success there may be simulated."""
        self.sandbox_endpoints = set(sandbox_endpoints)
        self._use_history = use_history
        self._warm: set[str] = set()
        self._admin: AdminAccess | None = None
        self.batch_idle = threading.Event()
        """Set while no batch run is sending (the history must stay open until it is)."""
        self.send_idle = threading.Event()
        """Set while no single send is in flight (the history must stay open until it is)."""
        self.batch_idle.set()
        self.send_idle.set()
        self.startup_warnings: list[str] = []
        """Config warnings to show in the log (launch fills it)."""

    # -- state -----------------------------------------------------------------

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
    def waiting_for(self) -> str | None:
        """What has to happen before there can be a profile, if anything."""
        if self._config is None:
            return "loading the config"
        if self._sandbox_pending:
            return "waiting for the sandbox to start"
        return None

    @property
    def gateway(self) -> Gateway:
        """The SDK gateway, made on first use (the first frame does without its module)."""
        if self._gateway is None:
            from console.cognito import Gateway

            self._gateway = Gateway()
        return self._gateway

    @property
    def admin(self) -> AdminAccess:
        """Admin gateways, pool facts and looked-up users (made on first use)."""
        if self._admin is None:
            from console.tui.admin_access import AdminAccess

            self._admin = AdminAccess(self.sandbox_endpoints)
        return self._admin

    @property
    def main(self) -> MainScreen:
        """The main screen (the base of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def profile_names(self) -> list[str]:
        """Every profile, sorted (none while the config loads)."""
        return sorted(self._config.profiles) if self._config is not None else []

    # -- start-up --------------------------------------------------------------

    def get_default_screen(self) -> MainScreen:
        """The main screen is the only base screen."""
        # Loading the config after the first frame: so are the parts it fills.
        return MainScreen(complete_later=self._config is None, profile_hint=self._profile_hint)

    @on(MainScreen.Ready)
    async def _main_ready(self) -> None:
        """Theme, keymap and the first profile; slow work waits for the first paint."""
        if self._config is None:
            # Loading the config imports pydantic (~0.2 s of CPU): after the first frame.
            if self._theme_hint in self.available_themes:
                self.theme = self._theme_hint
            self.main.show_loading_config()
            self.call_after_refresh(self._after_first_frame)
            return
        await self._config_ready()

    async def _after_first_frame(self) -> None:
        await self.main.complete()
        self._load_config()

    @work(thread=True, exit_on_error=False, group="startup")
    def _load_config(self) -> None:
        loader = self._config_loader
        assert loader is not None
        try:
            config = loader()
        except ConfigError as exc:
            self.post_message(ConfigFailed("\n".join(exc.lines)))
            return
        except Exception as exc:  # one line, no traceback; the class name only (no values)
            self.post_message(ConfigFailed(f"config not loaded: {type(exc).__name__}"))
            return
        self.post_message(ConfigLoaded(config))

    @on(ConfigLoaded)
    async def _config_loaded(self, message: ConfigLoaded) -> None:
        self._config = message.config
        self.startup_warnings.extend(message.config.warnings)
        await self._config_ready()
        if not self._sandbox_pending:
            # A send typed while the config loaded goes out now (none without a profile).
            self.main.release_queued(send=True)

    @on(ConfigFailed)
    def _config_failed(self, message: ConfigFailed) -> None:
        self.config_error = message.reason
        self.exit(return_code=2)

    async def _config_ready(self) -> None:
        self.gateway  # noqa: B018 -- made here, on the UI thread, before any worker needs it
        for warning in self.startup_warnings:
            self.main.show_note(warning, warning=True)
        self.apply_theme_and_keymap()
        requested = self._requested_profile
        if self._sandbox_pending and (requested is None or requested not in self.config.profiles):
            # The sandbox's own profiles come when it answers; the form works meanwhile.
            self.main.show_starting_sandbox()
        else:
            try:
                name, _ = self.config.profile(self._requested_profile)
            except ConfigError as exc:  # launch checks first; this is for direct use
                self.main.show_note(str(exc), warning=True)
            else:
                await self.switch_profile(name)
        self.call_after_refresh(self._start_background)

    def _start_background(self) -> None:
        if self._sandbox_factory is not None:
            self._start_sandbox(self._sandbox_factory)
        if self._use_history:
            self._open_history()

    @work(thread=True, exit_on_error=False, group="startup")
    def _start_sandbox(self, factory: SandboxFactory) -> None:
        try:
            started = start_embedded_sandbox(factory)
        except Exception as exc:  # one line; the app keeps running on config profiles
            from console.tui.startup import sandbox_failure

            self.post_message(SandboxFailed(sandbox_failure(exc)))
            return
        if get_current_worker().is_cancelled:  # the app quit while we were starting
            started.sandbox.stop()
            return
        self.post_message(
            SandboxReady(started.sandbox, started.profiles, started.simulating_client_ids)
        )

    @work(thread=True, exit_on_error=False, group="startup")
    def _open_history(self) -> None:
        from console.history import HistoryError

        try:
            history = open_history(self.config)
        except HistoryError as exc:
            self.post_message(HistoryFailed(str(exc)))
            return
        if get_current_worker().is_cancelled:
            history.close()
            return
        self.post_message(HistoryOpened(history))

    @on(SandboxReady)
    async def _sandbox_ready(self, message: SandboxReady) -> None:
        from console.config import with_profiles

        self.sandbox = message.sandbox
        self._sandbox_pending = False
        self.simulating_client_ids |= message.simulating_client_ids
        self.sandbox_endpoints.add(message.sandbox.info.endpoint_url)
        self.config = with_profiles(self.config, message.profiles)
        name = self._requested_profile or "sandbox"
        self.main.show_note(sandbox_note(message.sandbox))
        self.team.sandbox_up()  # the demo's team table is on it
        if self.active_name is None:
            await self.switch_profile(name if name in self.config.profiles else "sandbox")
        else:  # --profile named a config profile: keep it, offer the sandbox's too
            self.main.show_profiles()
        self.main.release_queued(send=True)

    @on(SandboxFailed)
    def _sandbox_failed(self, message: SandboxFailed) -> None:
        self._sandbox_pending = False
        if self.active_name is None:
            self.main.show_sandbox_failed()
        self.main.show_note(f"the sandbox did not start: {message.reason}", warning=True)
        self.team.sandbox_failed()
        self.main.release_queued(send=False)

    @on(HistoryOpened)
    def _history_opened(self, message: HistoryOpened) -> None:
        self.history = message.history
        for warning in message.history.warnings:
            self.main.show_note(warning, warning=True)
        self.team.start(self, self.config, message.history)

    @on(HistoryFailed)
    def _history_failed(self, message: HistoryFailed) -> None:
        self.main.show_note(f"history not saved this session: {message.reason}", warning=True)

    def on_unmount(self) -> None:
        """Stop the embedded sandbox; close history unless a worker thread still uses it."""
        self.team.stop()  # a bounded last upload first: it reads the history
        if self.sandbox is not None:
            self.sandbox.stop()
        # A send or a batch stopping at quit still records its calls in flight.
        if self.history is not None and self.send_idle.is_set() and self.batch_idle.is_set():
            self.history.close()

    # -- profiles --------------------------------------------------------------

    @on(SwitchProfile)
    async def _switch_asked(self, message: SwitchProfile) -> None:
        await self.switch_profile(message.name)

    async def switch_profile(self, name: str) -> None:
        """Make *name* the active profile: the main screen shows it, its client warms up."""
        profile = self.config.profiles.get(name)
        if profile is None:
            self.notify(f"no profile named {visible(name)}", severity="error", markup=False)
            return
        self.active_name, self.active_profile = name, profile
        await self.main.show_profile(name, profile, ready=name in self._warm)
        # After the next frame: the warm-up imports botocore, the facts prefetch
        # the admin modules; the frame that shows this profile waits for neither.
        self.call_after_refresh(self._profile_background, name, profile)

    def _profile_background(self, name: str, profile: Profile) -> None:
        # Pool facts are asked for unasked only where it costs nothing, and after the client.
        self._warm_up(name, profile, facts=self.admin.facts.peek(name) is None)

    @work(thread=True, exit_on_error=False, group="warmup")
    def _warm_up(self, name: str, profile: Profile, *, facts: bool) -> None:
        from console.usecases import client_settings

        if name not in self._warm:
            problem = None
            try:
                self.gateway.warm_up(client_settings(profile, self.config.console))
            except Exception as exc:  # a send will report it properly; here only a hint
                problem = type(exc).__name__
            self.post_message(GatewayWarmed(name, problem))
        # Then the facts (landing in the cache for the log): "ready" waited for no lookup of
        # credentials, which shares the interpreter with the client's making.
        if facts and self.admin.prefetch_worthwhile(profile):
            self.admin.pool_facts(name, profile, self.config.console)

    @on(GatewayWarmed)
    def _gateway_warmed(self, message: GatewayWarmed) -> None:
        self._warm.add(message.profile_name)
        # A warm-up may end after quit, the screens gone (it raised IndexError once).
        if message.profile_name == self.active_name and self.screen_stack:
            self.main.show_client_status(message.problem)

    def apply_theme_and_keymap(self) -> None:
        """The config's theme and ``[console.keymap]`` (unknown names are logged, not
        fatal); from then on, a theme the operator picks is saved in the config file."""
        for problem in apply_theme_and_keymap(self, self.config.console):
            self.main.show_note(problem, warning=True)
        ThemeSaver(
            self,
            configured=lambda: self.config.console.theme,
            path=lambda: self.config.source or default_config_path(),  # the file in use
            note=lambda text, warning: self.main.show_note(text, warning=warning),
        ).watch()

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's screenshot, saved in the working folder (Textual's default, the
        Downloads folder, is missing on most servers: the screenshot was never saved)."""
        return super().deliver_screenshot(filename, path or str(Path.cwd()), time_format)

    def _fatal_error(self) -> None:
        """Textual's crash report, without local variables (see :mod:`.crash_report`)."""
        self.bell()
        self._exit_renderables.append(traceback_without_locals(self.console))
        self._close_messages_no_wait()


if TYPE_CHECKING:
    _STATE: type[ConsoleState] = ConsoleApp  # the app holds everything the screens read
