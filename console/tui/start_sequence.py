"""The app's start-up, in its order, and what it waits for.

1. The first frame: the main screen, with the profile the raw TOML names.
2. The config, validated in a thread (pydantic's import is most of it).
3. The first profile: shown, its SDK client made in a thread; "ready" when it is.
4. Then what a first send does without: the main screen's deferred parts (the
   footer's keys, the profile Select, the Advanced fields) and the history. A
   send released before the history is open waits for it (:attr:`history_settled`).

The embedded sandbox starts beside steps 3-4; its profiles come when it answers.

:class:`StartSequence` is a part of :class:`~console.tui.app.ConsoleApp` (it
holds one), as :class:`~console.tui.screens.send_flow.SendFlow` is of the main
screen: the app's message handlers and workers call it; the state it fills
(config, sandbox, history, profiles) is the app's. The slow work itself is in
:mod:`console.tui.startup`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from textual.worker import get_current_worker

from console.config import ConfigError
from console.tui.messages import (
    ConfigFailed,
    ConfigLoaded,
    HistoryFailed,
    HistoryOpened,
    SandboxFailed,
    SandboxReady,
)
from console.tui.startup import (
    SandboxFactory,
    open_history,
    sandbox_failure,
    sandbox_note,
    start_embedded_sandbox,
)
from console.tui.state import ConsoleState

if TYPE_CHECKING:
    from textual.message import Message

    from console.config import AppConfig
    from console.history import History
    from console.tui.screens.main import MainScreen
    from console.tui.startup import RunningSandbox

__all__ = ["StartSequence", "StartingApp"]


class StartingApp(ConsoleState, Protocol):
    """What the start-up fills and calls on the app (:class:`~console.tui.app.ConsoleApp`,
    named without importing it: the app imports this module)."""

    config_error: str | None
    startup_warnings: list[str]
    history: History | None
    sandbox: RunningSandbox | None

    @property
    def config(self) -> AppConfig:
        """The loaded config."""

    @config.setter
    def config(self, config: AppConfig) -> None: ...

    @property
    def main(self) -> MainScreen:
        """The main screen."""

    @property
    def is_running(self) -> bool:
        """Whether the app runs (not quitting)."""

    @property
    def simulating_client_ids(self) -> set[str]:
        """App clients known to hide unknown users."""

    @property
    def sandbox_endpoints(self) -> set[str]:
        """Endpoints of the embedded sandbox."""

    def apply_theme_and_keymap(self) -> None:
        """The config's theme and keymap."""

    async def switch_profile(self, name: str) -> None:
        """Make *name* the active profile."""

    def client_ready(self, name: str) -> bool:
        """Whether the profile's SDK client is made."""

    async def after_first_frame(self) -> None:
        """Start loading the config (a thread worker)."""

    def start_background(self) -> None:
        """Start what runs beside the first profile (the embedded sandbox)."""

    def call_after_refresh(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Textual's: run *callback* after the next frame."""

    def post_message(self, message: Message) -> bool:
        """Textual's: post *message* to the app."""

    def run_worker(
        self,
        work: Callable[[], None],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> object:
        """Textual's: run *work* in a worker."""

    def exit(self, result: int | None = None, return_code: int = 0, message: Any = None) -> None:
        """Textual's: leave the app."""


class StartSequence:
    """What the app does from its first frame until everything it opens is open."""

    def __init__(
        self,
        app: StartingApp,
        *,
        config_loader: Callable[[], AppConfig] | None,
        requested_profile: str | None,
        sandbox_factory: SandboxFactory | None,
        use_history: bool,
    ) -> None:
        """*config_loader* None: the app was given its config (tests; nothing waits)."""
        self._app = app
        self._config_loader = config_loader
        self.requested_profile = requested_profile
        """``--profile``, or None for the config's default (the sandbox's with ``--sandbox``)."""
        self.sandbox_factory = sandbox_factory
        """Starts the embedded sandbox (``--sandbox``), or None."""
        self.sandbox_pending = sandbox_factory is not None
        """The embedded sandbox has not answered yet."""
        self._use_history = use_history
        self._finished = False
        self.history_settled = threading.Event()
        """Set once the history is open, has failed to open, or is not used."""
        if not use_history:
            self.history_settled.set()
        self._when_settled: list[Callable[[], object]] = []

    # -- the config ----------------------------------------------------------

    async def main_ready(self) -> None:
        """The main screen exists: draw the first frame, or (config given) go on."""
        app = self._app
        if app.config_loaded:
            await self.config_ready()
            return
        # Loading the config imports pydantic (~0.1 s of CPU): after the first frame.
        app.main.show_loading_config()
        app.call_after_refresh(app.after_first_frame)

    def load_config(self) -> None:
        """The config worker (a thread): its result goes to the app as a message."""
        loader = self._config_loader
        assert loader is not None
        try:
            config = loader()
        except ConfigError as exc:
            self._app.post_message(ConfigFailed("\n".join(exc.lines)))
            return
        except Exception as exc:  # one line, no traceback; the class name only (no values)
            self._app.post_message(ConfigFailed(f"config not loaded: {type(exc).__name__}"))
            return
        self._app.post_message(ConfigLoaded(config))

    async def config_loaded(self, config: AppConfig) -> None:
        """The config is there: its first profile, and a send typed meanwhile."""
        app = self._app
        app.config = config
        app.startup_warnings.extend(config.warnings)
        await self.config_ready()
        if not self.sandbox_pending:
            # A send typed while the config loaded goes out now (none without a profile).
            app.main.release_queued(send=True)

    def config_failed(self, reason: str) -> None:
        """The config is unusable: the app leaves with exit code 2 and *reason*."""
        self._app.config_error = reason
        self._app.exit(return_code=2)

    async def config_ready(self) -> None:
        """Warnings, theme, keymap, the first profile; then the sandbox and the rest."""
        app = self._app
        app.gateway  # noqa: B018 -- made here, on the UI thread, before any worker needs it
        for warning in app.startup_warnings:
            app.main.show_note(warning, warning=True)
        app.apply_theme_and_keymap()
        requested = self.requested_profile
        if self.sandbox_pending and (requested is None or requested not in app.config.profiles):
            # The sandbox's own profiles come when it answers; the form works meanwhile.
            app.main.show_starting_sandbox()
        else:
            try:
                name, _ = app.config.profile(requested)
            except ConfigError as exc:  # launch checks first; this is for direct use
                app.main.show_note(str(exc), warning=True)
            else:
                await app.switch_profile(name)
        app.call_after_refresh(app.start_background)
        given = self._config_loader is None
        if given or app.active_name is None or app.client_ready(app.active_name):
            app.call_after_refresh(self.finish)  # no warm-up to wait for

    # -- after "ready" ---------------------------------------------------------

    def start_background(self) -> None:
        """Start the embedded sandbox, if there is one."""
        if self.sandbox_factory is not None:
            self._app.run_worker(
                self._start_sandbox,
                name="start_sandbox",
                thread=True,
                exit_on_error=False,
                group="startup",
            )

    async def finish(self) -> None:
        """What a first send does without, once it can go ("ready"), or at once when
        no client is warming up: the main screen's deferred parts, then the history."""
        app = self._app
        if self._finished or not app.is_running:  # quitting: nothing more to mount
            return
        self._finished = True
        await app.main.complete()
        if self._use_history:
            app.run_worker(
                self._open_history,
                name="open_history",
                thread=True,
                exit_on_error=False,
                group="startup",
            )

    @property
    def finished(self) -> bool:
        """Whether :meth:`finish` has run."""
        return self._finished

    def _start_sandbox(self) -> None:
        factory = self.sandbox_factory
        assert factory is not None
        try:
            started = start_embedded_sandbox(factory)
        except Exception as exc:  # one line; the app keeps running on config profiles
            self._app.post_message(SandboxFailed(sandbox_failure(exc)))
            return
        if get_current_worker().is_cancelled:  # the app quit while we were starting
            started.sandbox.stop()
            return
        self._app.post_message(
            SandboxReady(started.sandbox, started.profiles, started.simulating_client_ids)
        )

    def _open_history(self) -> None:
        from console.history import HistoryError

        try:
            history = open_history(self._app.config)
        except HistoryError as exc:
            self._app.post_message(HistoryFailed(str(exc)))
            return
        except Exception as exc:  # one line, the class name (a send waits for an answer)
            reason = f"the history did not open ({type(exc).__name__})"
            self._app.post_message(HistoryFailed(reason))
            return
        if get_current_worker().is_cancelled:
            history.close()
            return
        self._app.post_message(HistoryOpened(history))

    def when_history_settled(self, callback: Callable[[], object]) -> None:
        """Run *callback* once :attr:`history_settled` is set (now, if it is): what a
        key pressed just after "ready" opens (F3, the doctor) waits for the history."""
        if self.history_settled.is_set():
            callback()
        else:
            self._when_settled.append(callback)

    def _settled(self) -> None:
        self.history_settled.set()
        waiting, self._when_settled = self._when_settled, []
        if self._app.is_running:  # a screen waiting for it opens; none as the app quits
            for callback in waiting:
                callback()

    # -- what the workers found --------------------------------------------------

    async def sandbox_ready(self, message: SandboxReady) -> None:
        """The sandbox answers: its profiles join; the first of them if there was none."""
        from console.config import with_profiles

        app = self._app
        if not app.is_running:  # it answered as the app quit: nobody else will stop it
            message.sandbox.stop()
            return
        app.sandbox = message.sandbox
        self.sandbox_pending = False
        app.simulating_client_ids.update(message.simulating_client_ids)
        app.sandbox_endpoints.add(message.sandbox.info.endpoint_url)
        app.config = with_profiles(app.config, message.profiles)
        name = self.requested_profile or "sandbox"
        app.main.show_note(sandbox_note(message.sandbox))
        app.team.sandbox_up()  # the demo's team table is on it
        if app.active_name is None:
            await app.switch_profile(name if name in app.config.profiles else "sandbox")
        else:  # --profile named a config profile: keep it, offer the sandbox's too
            app.main.show_profiles()
        app.main.release_queued(send=True)

    def sandbox_failed(self, message: SandboxFailed) -> None:
        """The sandbox did not start: said once; a send waiting for it is dropped."""
        app = self._app
        self.sandbox_pending = False
        if not app.is_running:
            return
        if app.active_name is None:
            app.main.show_sandbox_failed()
        app.main.show_note(f"the sandbox did not start: {message.reason}", warning=True)
        app.team.sandbox_failed()
        app.main.release_queued(send=False)

    def history_opened(self, message: HistoryOpened) -> None:
        """The history is open: sends record to it, the team's uploader starts."""
        app = self._app
        if not app.is_running:  # opened as the app quit: its screens are gone
            message.history.close()
            self._settled()
            return
        app.history = message.history
        for warning in message.history.warnings:
            app.main.show_note(warning, warning=True)
        app.team.start(app.main, app.config, message.history)
        self._settled()

    def history_failed(self, message: HistoryFailed) -> None:
        """The history cannot be used: said once; sends go unrecorded."""
        if self._app.is_running:  # else the app quit meanwhile: no log to say it in
            note = f"history not saved this session: {message.reason}"
            self._app.main.show_note(note, warning=True)
        self._settled()
