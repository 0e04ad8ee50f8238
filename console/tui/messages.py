"""Our messages: worker results for the UI thread, and what screens ask of the app.

Workers never touch widgets: they post one of these (``post_message`` is
thread-safe) and a handler on the UI thread shows the result. Screens ask
the app for a change of app-wide state with a message too
(:class:`SwitchProfile`), never by calling it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from console.config import AppConfig, Profile
    from console.history import History
    from console.sandbox import Sandbox
    from console.tui.sending import SendReport

__all__ = [
    "ConfigFailed",
    "ConfigLoaded",
    "GatewayWarmed",
    "HistoryFailed",
    "HistoryOpened",
    "SandboxFailed",
    "SandboxReady",
    "SendCrashed",
    "SendFinished",
    "SwitchProfile",
    "TriggerLogsRead",
]


class ConfigLoaded(Message):
    """The config is loaded and checked (after the first frame, see launch.run_tui)."""

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config


class ConfigFailed(Message):
    """The config is unusable: the app leaves, and the reason goes to stderr."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class SandboxReady(Message):
    """The embedded sandbox answers; its profiles can be used."""

    def __init__(
        self, sandbox: Sandbox, profiles: dict[str, Profile], simulating_client_ids: frozenset[str]
    ) -> None:
        super().__init__()
        self.sandbox = sandbox
        self.profiles = profiles
        self.simulating_client_ids = simulating_client_ids


class SandboxFailed(Message):
    """The embedded sandbox could not start; ``reason`` is one safe line."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class HistoryOpened(Message):
    """The history file is open (its warnings are for the log)."""

    def __init__(self, history: History) -> None:
        super().__init__()
        self.history = history


class HistoryFailed(Message):
    """The history could not be opened; the console works without it."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class GatewayWarmed(Message):
    """The gateway's client for a profile exists: the first send will not pay for it."""

    def __init__(self, profile_name: str, problem: str | None = None) -> None:
        super().__init__()
        self.profile_name = profile_name
        self.problem = problem


class SendFinished(Message):
    """A send ended: the call's result, or why nothing was sent."""

    def __init__(self, report: SendReport) -> None:
        super().__init__()
        self.report = report


class TriggerLogsRead(Message):
    """The CloudWatch Logs lines of the trigger that handled an attempt (or why not)."""

    def __init__(self, headline: str, lines: list[str], *, failed: bool) -> None:
        super().__init__()
        self.headline = headline
        self.lines = lines
        self.failed = failed


class SendCrashed(Message):
    """The send failed in an unexpected way; ``reason`` names only the exception class."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class SwitchProfile(Message):
    """A screen asks the app to make *name* the active profile (the chooser, the palette)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
