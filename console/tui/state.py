"""What screens may read from the app: its app-wide state, typed as a Protocol.

Screens and widgets read the app's state (``self.app.config``, the history,
the active profile); they never call it to do their work, and they ask it to
change something (switch the profile) with a message from
:mod:`console.tui.messages`. :class:`ConsoleState` names what
:class:`~console.tui.app.ConsoleApp` holds without importing that module:
the app imports every screen, so a screen importing the app would be an
import circle.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from console.cognito import Gateway
    from console.config import AppConfig, Profile
    from console.history import History
    from console.tui.admin_access import AdminAccess
    from console.tui.log_entries import LogDisplay
    from console.tui.team_link import TeamLink

__all__ = ["ConsoleState", "console_state"]


class ConsoleState(Protocol):
    """The app-wide state of the console app (see :class:`console.tui.app.ConsoleApp`)."""

    @property
    def config(self) -> AppConfig:
        """The loaded config (raises while it loads: see :attr:`config_loaded`)."""

    @property
    def config_loaded(self) -> bool:
        """Whether :attr:`config` is there yet."""

    @property
    def waiting_for(self) -> str | None:
        """What has to happen before there can be a profile (the config, the sandbox), if any."""

    @property
    def gateway(self) -> Gateway:
        """The SDK gateway every send goes through."""

    @property
    def history(self) -> History | None:
        """The open history (None until it is open, or when it cannot be)."""

    @property
    def team(self) -> TeamLink:
        """The team's table: its uploader and readers (off without ``[team]``)."""

    @property
    def active_name(self) -> str | None:
        """The active profile's name."""

    @property
    def active_profile(self) -> Profile | None:
        """The active profile."""

    @property
    def display_options(self) -> LogDisplay:
        """How log entries show times and latencies."""

    @property
    def sandbox_endpoints(self) -> Collection[str]:
        """Endpoints of the embedded sandbox (its profiles have an outbox)."""

    @property
    def simulating_client_ids(self) -> Collection[str]:
        """App clients known to hide unknown users: a success there may be simulated."""

    @property
    def admin(self) -> AdminAccess:
        """Admin gateways, pool facts and the users lookups found (made on first use)."""

    @property
    def batch_idle(self) -> threading.Event:
        """Set while no batch run is sending (the history stays open until it is)."""

    @property
    def history_settled(self) -> threading.Event:
        """Set once the history is open, has failed to open, or is not used."""

    def when_history_settled(self, callback: Callable[[], object]) -> None:
        """Run *callback* (on the UI thread) once :attr:`history_settled` is set; now if it is."""

    @property
    def send_idle(self) -> threading.Event:
        """Set while no single send is in flight (the history stays open until it is)."""

    def profile_names(self) -> list[str]:
        """Every profile, sorted (none while the config loads)."""


def console_state(node: DOMNode) -> ConsoleState:
    """The app-wide state of the app *node* belongs to (always a ConsoleApp)."""
    return cast("ConsoleState", node.app)
