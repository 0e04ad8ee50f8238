"""The Textual app: state, start-up workers, sending, and what results do to the screen.

Layout lives in :mod:`console.tui.screens.main`, keyboard actions that only
move focus or copy text in :mod:`console.tui.app_actions`. Workers never touch
widgets: they post :mod:`console.tui.messages` and the handlers here update
the screen on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.worker import Worker, WorkerState, get_current_worker

from console.text import visible
from console.tui.app_helpdesk import HelpdeskApp
from console.tui.commands import ConsoleCommands
from console.tui.form_values import FormValues, problems_by_field
from console.tui.log_entries import LogDisplay, attempt_entry, invalid_entry, note_entry
from console.tui.messages import (
    ConfigFailed,
    ConfigLoaded,
    GatewayWarmed,
    HistoryFailed,
    HistoryOpened,
    SandboxFailed,
    SandboxReady,
    SendCrashed,
    SendFinished,
)
from console.tui.preview import compute_preview
from console.tui.screens.main import MainScreen
from console.tui.startup import SandboxFactory, open_history, start_embedded_sandbox
from console.tui.styles import stylesheet
from console.tui.widgets.request_form import RequestForm

if TYPE_CHECKING:
    from console.cognito import Gateway
    from console.config import AppConfig, Profile
    from console.history import History
    from console.sandbox import Sandbox
    from console.tui.sending import SendJob

__all__ = ["ConsoleApp"]

PREVIEW_DEBOUNCE_S = 0.15


class ConsoleApp(HelpdeskApp):
    """cognito-console's TUI. Build it with a loaded config; see :func:`launch.run_tui`."""

    TITLE = "cognito-console"
    CSS_PATH: ClassVar[list[Any]] = [stylesheet("app.tcss"), stylesheet("main.tcss")]
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {ConsoleCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, tooltip="Quit the console"),
    ]

    def __init__(
        self,
        config: AppConfig | None,
        *,
        config_loader: Callable[[], AppConfig] | None = None,
        theme_hint: str | None = None,
        profile_name: str | None = None,
        sandbox_factory: SandboxFactory | None = None,
        gateway: Gateway | None = None,
        display: LogDisplay | None = None,
        simulating_client_ids: Iterable[str] = (),
        sandbox_endpoints: Iterable[str] = (),
        use_history: bool = True,
    ) -> None:
        """*profile_name* None means the config's default; *sandbox_factory* starts an
        embedded sandbox after the first paint and adds its profiles.

        With *config* None, *config_loader* loads it in a worker after the first
        frame (raising ConfigError to make the app leave with exit code 2 and
        :attr:`config_error`); *theme_hint* is the theme to draw with meanwhile.
        """
        super().__init__()
        if config is None and config_loader is None:
            raise ValueError("ConsoleApp needs a config or a config_loader")
        self._config = config
        self._config_loader = config_loader
        self._theme_hint = theme_hint
        self.config_error: str | None = None
        """Why the config could not be loaded; set when the app leaves for that reason."""
        self.display_options = display or LogDisplay()
        self._gateway = gateway
        self.history: History | None = None
        self.sandbox: Sandbox | None = None
        self.active_name: str | None = None
        self.active_profile: Profile | None = None
        self._requested_profile = profile_name
        self._sandbox_factory = sandbox_factory
        self._sandbox_pending = sandbox_factory is not None
        self._simulating = set(simulating_client_ids)
        self.sandbox_endpoints = set(sandbox_endpoints)
        self._use_history = use_history
        self._in_flight: SendJob | None = None
        self._queued: FormValues | None = None
        """A send pressed while the sandbox was starting, as the form was then."""
        self._sent_once = False
        self._preview_timer: Timer | None = None
        self._warm: set[str] = set()
        self.startup_warnings: list[str] = []
        """Config warnings to show in the log (launch fills it)."""

    # -- start-up ------------------------------------------------------------

    def get_default_screen(self) -> MainScreen:
        """The main screen is the only base screen."""
        # Loading the config after the first frame: so are the parts it fills.
        return MainScreen(complete_later=self._config is None)

    @on(MainScreen.Ready)
    async def _main_ready(self) -> None:
        """Theme, keymap and the first profile; slow work waits for the first paint."""
        if self._config is None:
            # Loading the config imports pydantic (~0.2 s of CPU): after the first frame.
            if self._theme_hint in self.available_themes:
                self.theme = self._theme_hint
            self.main.profile_bar.set_status("loading config…", "busy")
            self.main.preview.show_waiting("loading the config…")
            self.call_after_refresh(self._after_first_frame)
            return
        await self._config_ready()

    async def _after_first_frame(self) -> None:
        await self.main.complete()
        self._load_config()

    @work(thread=True, exit_on_error=False, group="startup")
    def _load_config(self) -> None:
        from console.config import ConfigError

        loader = self._config_loader
        assert loader is not None
        try:
            config = loader()
        except ConfigError as exc:
            self.post_message(ConfigFailed(str(exc)))
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
        # A send typed while the config loaded goes out now, unless it waits for the sandbox.
        if (
            self._queued is not None
            and self.active_profile is not None
            and not self._sandbox_pending
        ):
            values, self._queued = self._queued, None
            self._start_send(values)
        elif self._queued is not None and not self._sandbox_pending:
            self._queued = None  # no profile after all: the log says why
            self.main.send_status.stop()

    @on(ConfigFailed)
    def _config_failed(self, message: ConfigFailed) -> None:
        self.config_error = message.reason
        self.exit(return_code=2)

    async def _config_ready(self) -> None:
        self.gateway  # noqa: B018 -- made here, on the UI thread, before any worker needs it
        for warning in self.startup_warnings:
            self.log_entry(note_entry(warning, display=self.display_options, warning=True))
        self.apply_theme_and_keymap()
        requested = self._requested_profile
        if self._sandbox_pending and (requested is None or requested not in self.config.profiles):
            # The sandbox's own profiles come when it answers; the form works meanwhile.
            self.main.profile_bar.set_status("starting sandbox…", "busy")
            self.main.preview.show_waiting("waiting for the sandbox to start…")
            self.main.profile_bar.set_profiles(self.profile_names(), None)
            self.main.profile_bar.show_profile(None, None)
        else:
            from console.config import ConfigError

            try:
                name, _ = self.config.profile(self._requested_profile)
            except ConfigError as exc:  # launch checks first; this is for direct use
                self.log_entry(note_entry(str(exc), display=self.display_options, warning=True))
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
            self.post_message(SandboxFailed(f"{type(exc).__name__}: {exc}"))
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
            history = open_history(self.config.console.history_path)
        except HistoryError as exc:
            self.post_message(HistoryFailed(str(exc)))
            return
        if get_current_worker().is_cancelled:
            history.close()
            return
        self.post_message(HistoryOpened(history))

    @work(thread=True, exit_on_error=False, group="warmup")
    def _warm_up(self, name: str, profile: Profile) -> None:
        from console.usecases import client_settings

        try:
            self.gateway.warm_up(client_settings(profile, self.config.console))
        except Exception as exc:  # a send will report it properly; here only a hint
            self.post_message(GatewayWarmed(name, type(exc).__name__))
            return
        self.post_message(GatewayWarmed(name))

    @on(SandboxReady)
    async def _sandbox_ready(self, message: SandboxReady) -> None:
        from console.config import with_profiles

        self.sandbox = message.sandbox
        self._sandbox_pending = False
        self._simulating |= message.simulating_client_ids
        self.sandbox_endpoints.add(message.sandbox.info.endpoint_url)
        self.config = with_profiles(self.config, message.profiles)
        name = self._requested_profile or "sandbox"
        url = message.sandbox.info.endpoint_url
        self.log_entry(note_entry(f"sandbox ready at {url}", display=self.display_options))
        if self.active_name is None:
            await self.switch_profile(name if name in self.config.profiles else "sandbox")
        else:  # --profile named a config profile: keep it, offer the sandbox's too
            self.main.profile_bar.set_profiles(self.profile_names(), self.active_name)
        if self._queued is not None:
            values, self._queued = self._queued, None
            self._start_send(values)

    @on(SandboxFailed)
    def _sandbox_failed(self, message: SandboxFailed) -> None:
        self._sandbox_pending = False
        if self.active_name is None:
            self.main.profile_bar.set_status("sandbox failed", "error")
            self.main.preview.show_waiting("no profile: the sandbox did not start (see the log)")
        text = f"the sandbox did not start: {message.reason}"
        self.log_entry(note_entry(text, display=self.display_options, warning=True))
        if self._queued is not None:
            self._queued = None
            self.main.send_status.stop()

    @on(HistoryOpened)
    def _history_opened(self, message: HistoryOpened) -> None:
        self.history = message.history
        for warning in message.history.warnings:
            self.log_entry(note_entry(warning, display=self.display_options, warning=True))

    @on(HistoryFailed)
    def _history_failed(self, message: HistoryFailed) -> None:
        text = f"history not saved this session: {message.reason}"
        self.log_entry(note_entry(text, display=self.display_options, warning=True))

    @on(GatewayWarmed)
    def _gateway_warmed(self, message: GatewayWarmed) -> None:
        self._warm.add(message.profile_name)
        if message.profile_name == self.active_name:
            if message.problem:
                status = f"client setup failed ({message.problem})"
                self.main.profile_bar.set_status(status, "error")
            else:
                self.main.profile_bar.set_status("ready", "ready")

    def on_unmount(self) -> None:
        """Stop the embedded sandbox; close history unless a worker thread still uses it."""
        if self.sandbox is not None:
            self.sandbox.stop()
        # A batch stopping at quit still records its calls in flight.
        if self.history is not None and self._in_flight is None and self.batch_idle.is_set():
            self.history.close()

    # -- profiles ------------------------------------------------------------

    async def switch_profile(self, name: str) -> None:
        """Make *name* the active profile: bar, form defaults, preview, client warm-up."""
        profile = self.config.profiles.get(name)
        if profile is None:
            self.notify(f"no profile named {visible(name)}", severity="error", markup=False)
            return
        self.active_name, self.active_profile = name, profile
        bar = self.main.profile_bar
        bar.set_profiles(self.profile_names(), name)
        bar.show_profile(name, profile)
        if name in self._warm:
            bar.set_status("ready", "ready")
        else:
            bar.set_status("connecting…", "busy")
        await self.main.form.apply_profile(profile)
        self.refresh_preview()  # now, not debounced: the old profile's payload is wrong
        # After the next frame: the client warm-up starts a thread importing
        # botocore, the pool facts prefetch imports the admin modules; the
        # frame that shows this profile waits for neither.
        self.call_after_refresh(self._profile_background, name, profile)

    def _profile_background(self, name: str, profile: Profile) -> None:
        if name not in self._warm:
            self._warm_up(name, profile)
        self.prefetch_pool_facts(name, profile)

    # -- preview -------------------------------------------------------------

    @on(RequestForm.Edited)
    def _form_edited(self) -> None:
        # Debounced: a keystroke costs a timer reset, not a validation and a re-render.
        if self._preview_timer is not None:
            self._preview_timer.stop()
        # The screen owns the timer: it dies with the screen, never firing into a closed app.
        self._preview_timer = self.main.set_timer(PREVIEW_DEBOUNCE_S, self.refresh_preview)

    def refresh_preview(self) -> None:
        """Validate the form for the active profile; show the payload or the problems."""
        main = self.main
        profile, name = self.active_profile, self.active_name
        if profile is None or name is None:
            waiting = self._waiting_for()
            main.preview.show_waiting(f"{waiting}…" if waiting else "no profile to preview with")
            return
        state = compute_preview(main.form.values(), name, profile, sent_once=self._sent_once)
        main.form.show_problems(state.field_problems)
        if state.payload is not None:
            main.preview.show_payload(state.payload)
        else:
            main.preview.show_problems(state.lines)

    # -- sending -------------------------------------------------------------

    @on(RequestForm.SubmitRequested)
    def _username_submitted(self) -> None:
        self.action_send()

    def action_send(self) -> None:
        """Send what the form holds, unless a send is already in flight."""
        main = self.main
        values = main.form.values()
        display = self.display_options
        if self._in_flight is not None or self._queued is not None:
            reason = "a send is already in flight; wait for its outcome"
            self.notify(reason, severity="warning", markup=False)
            who = self.active_name or "-"
            self.log_entry(
                invalid_entry(
                    profile=who,
                    username=values.username,
                    reason=reason,
                    problems=(),
                    display=display,
                )
            )
            return
        profile, name = self.active_profile, self.active_name
        if profile is None or name is None:
            waiting = self._waiting_for()
            if waiting is not None:
                # Queued, not refused: it goes out as soon as there is a profile.
                self._queued = values
                main.send_status.start(f"{waiting}, then sending…")
                return
            self.notify("no profile to send with", severity="error", markup=False)
            return
        self.send_with_preflight(values)

    def _waiting_for(self) -> str | None:
        """What a send has to wait for before there can be a profile, if anything."""
        if self._config is None:
            return "loading the config"
        if self._sandbox_pending:
            return "waiting for the sandbox to start"
        return None

    def _start_send(self, values: FormValues) -> None:
        from console.tui.sending import SendJob
        from console.usecases import client_settings

        profile, name = self.active_profile, self.active_name
        if profile is None or name is None:
            self.main.send_status.stop()
            return
        self._sent_once = True
        facts = self.send_facts(values, name, profile)
        job = SendJob(
            values=values,
            profile_name=name,
            profile=profile,
            settings=client_settings(profile, self.config.console),
            may_simulate=self.may_simulate(values, profile, facts),
            facts=facts,
        )
        self._in_flight = job
        self.main.send_status.start(f"sending {values.username} via {name}…")
        self._send(job)

    @work(thread=True, exit_on_error=False, group="send")
    def _send(self, job: SendJob) -> None:
        from console.tui.sending import run_detached, run_send

        worker = get_current_worker()
        try:
            report = run_detached(
                lambda: run_send(job, self.gateway, self.history),
                cancelled=lambda: worker.is_cancelled,
            )
        except RuntimeError as exc:  # run_detached keeps only the class name
            self.post_message(SendCrashed(str(exc)))
            return
        if report is not None:
            self.post_message(SendFinished(report))

    @on(SendFinished)
    def _send_finished(self, message: SendFinished) -> None:
        from console.tui.sending import SendDone

        self._in_flight = None
        main = self.main
        main.send_status.stop()
        report = message.report
        job = report.job
        if isinstance(report, SendDone):
            entry = attempt_entry(
                report.result,
                profile=job.profile_name,
                username=report.username,
                display=self.display_options,
                explanations=self.explanations(job, report.result),
            )
            self.log_entry(entry)
            return
        if report.request_error is not None:
            main.form.show_problems(problems_by_field(report.request_error, job.values))
        self.log_entry(
            invalid_entry(
                profile=job.profile_name,
                username=job.values.username,
                reason=report.reason,
                problems=report.problems,
                display=self.display_options,
            )
        )
        self.notify(f"not sent: {visible(report.reason)}", severity="error", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A send worker that died (it catches its errors; this is the backstop)."""
        if event.worker.group == "send" and event.state is WorkerState.ERROR:
            error = event.worker.error
            self.post_message(SendCrashed(f"{type(error).__name__} in the send worker"))

    @on(SendCrashed)
    def _send_crashed(self, message: SendCrashed) -> None:
        self._in_flight = None
        self.main.send_status.stop()
        self.log_entry(
            note_entry(
                f"send failed unexpectedly ({message.reason}); check the history before retrying",
                display=self.display_options,
                warning=True,
            )
        )
