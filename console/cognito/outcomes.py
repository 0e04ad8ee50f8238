"""What one ResendConfirmationCode attempt came to.

The gateway never raises: every call ends in exactly one :class:`Outcome`,
which the CLI prints, the TUI shows and history stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["CANNOT_TELL_NOTE", "SIMULATED_NOTE", "Delivery", "ErrorInfo", "Outcome", "OutcomeKind"]


class OutcomeKind(StrEnum):
    """The three ways an attempt can end."""

    DELIVERED = "delivered"
    """Cognito answered with CodeDeliveryDetails."""
    FAILED = "failed"
    """Cognito (or the network before the request left) said no; nothing was sent."""
    UNKNOWN = "unknown"
    """No answer came back (read timeout, dropped connection): the code may have been sent."""
    PENDING = "pending"
    """Only in history: the attempt started and has not finished (or the process died)."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """Where Cognito says the code went (``CodeDeliveryDetails``)."""

    medium: str
    """``EMAIL`` or ``SMS``."""
    destination: str
    """As masked by Cognito, e.g. ``a***@e***.com`` or ``+*******0100``."""
    attribute: str
    """``email`` or ``phone_number``."""


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """Why an attempt did not deliver, and what the operator can do about it."""

    code: str
    """Cognito's error code (``UserNotFoundException``) or our name for a transport fault."""
    message: str
    """Cognito's own message, or the transport error's text. Untrusted."""
    http_status: int | None
    """HTTP status of the answer; ``None`` when no answer came."""
    meaning: str
    """What the code means for a resend, from the catalogue."""
    remedy: str
    """What the operator does next, from the catalogue."""


SIMULATED_NOTE = "success may be simulated: this client hides unknown users"
"""The note on a delivery from a client that hides unknown users (the pool facts' line too)."""
CANNOT_TELL_NOTE = (
    "cannot tell whether this client hides unknown users (no pool facts: give the console "
    "AWS credentials, or set hides_unknown_users in the profile)"
)
"""The note on a delivery when nothing says whether it may be simulated."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """The end of one attempt: delivered, failed or unknown."""

    kind: OutcomeKind
    delivery: Delivery | None = None
    error: ErrorInfo | None = None
    request_id: str | None = None
    latency_ms: float = 0.0
    may_be_simulated: bool | None = False
    """True when the app client hides unknown users (PreventUserExistenceErrors):
    a delivery then does not prove that a message was sent. None when the
    console cannot tell whether it does (no pool facts, no profile setting)."""
    notes: tuple[str, ...] = ()
    """Extra facts for the operator (e.g. "history not saved: disk full")."""

    @property
    def ok(self) -> bool:
        """Whether the code was delivered."""
        return self.kind is OutcomeKind.DELIVERED
