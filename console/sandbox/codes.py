"""Every code the sandbox sends, remembered per user and purpose, so that a code means something.

One :class:`CodeStore` per sandbox. A code is issued when it is delivered
(SignUp, ResendConfirmationCode, ForgotPassword) and checked when it comes
back (ConfirmSignUp, ConfirmForgotPassword). The rules, and where they come from:

- Sign-up codes live 24 hours, password-reset codes 1 hour (AWS's answers in
  amazon-cognito-identity-js#54 and #189; the developer guide's
  "verification codes expire after 24 hours").
- Only the newest code of a user and purpose confirms: a new code replaces the
  previous one, and the replaced code, sent back, is ExpiredCodeException
  ("Invalid code provided, please request a code again."), the answer public
  reports show for a code that was once valid (amplify-flutter#1128,
  aws-sdk-net-extensions-cognito#137). No public source settles it fully;
  see docs/sandbox.md.
- After :data:`MAX_FAILED_ATTEMPTS` wrong codes, every further attempt is
  refused (TooManyFailedAttemptsException) until a new code is issued. The
  count is our choice: Cognito does not publish one.

The clock is a callable passed in (``time.time`` by default): tests move it
instead of waiting a day.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

__all__ = [
    "LIFETIMES_S",
    "MAX_FAILED_ATTEMPTS",
    "PASSWORD_RESET",
    "SIGN_UP",
    "VERIFY_EMAIL",
    "VERIFY_PHONE",
    "CodeCheck",
    "CodeStore",
    "Verdict",
]

SIGN_UP = "sign-up"
PASSWORD_RESET = "password-reset"  # noqa: S105 - a purpose name, not a password
VERIFY_EMAIL = "verify-email"
VERIFY_PHONE = "verify-phone_number"
LIFETIMES_S = {
    SIGN_UP: 24 * 3600.0,
    PASSWORD_RESET: 3600.0,
    VERIFY_EMAIL: 24 * 3600.0,
    VERIFY_PHONE: 24 * 3600.0,
}
"""How long a code of each purpose stays valid, in seconds."""
MAX_FAILED_ATTEMPTS = 5
"""Wrong codes accepted (each a CodeMismatchException) before every attempt is refused."""

Clock = Callable[[], float]


class Verdict(Enum):
    """What a code sent back turned out to be."""

    OK = "ok"
    MISMATCH = "mismatch"
    EXPIRED = "expired"
    NO_CODE = "no-code"
    TOO_MANY = "too-many"


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """The verdict, and the attribute the code was sent to (None when there was no code)."""

    verdict: Verdict
    attribute: str | None = None


@dataclass(slots=True)
class _Issued:
    code: str
    attribute: str
    issued_at: float
    failures: int = 0
    replaced: set[str] = field(default_factory=set)


class CodeStore:
    """Codes by (pool, username, purpose); thread-safe."""

    def __init__(self, clock: Clock = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._codes: dict[tuple[str, str, str], _Issued] = {}

    def issue(self, pool_id: str, username: str, purpose: str, code: str, attribute: str) -> None:
        """Remember *code*, sent to *attribute*, as the one that confirms from now on."""
        if purpose not in LIFETIMES_S:
            raise ValueError(f"unknown code purpose {purpose!r}")
        key = (pool_id, username, purpose)
        with self._lock:
            previous = self._codes.get(key)
            replaced = set() if previous is None else {*previous.replaced, previous.code}
            replaced.discard(code)
            self._codes[key] = _Issued(code, attribute, self._clock(), replaced=replaced)

    def check(self, pool_id: str, username: str, purpose: str, code: str) -> CodeCheck:
        """Judge *code*; a code that confirms is used up (it cannot confirm twice)."""
        key = (pool_id, username, purpose)
        with self._lock:
            issued = self._codes.get(key)
            if issued is None:
                return CodeCheck(Verdict.NO_CODE)
            if issued.failures >= MAX_FAILED_ATTEMPTS:
                return CodeCheck(Verdict.TOO_MANY, issued.attribute)
            if code == issued.code:
                if self._clock() - issued.issued_at >= LIFETIMES_S[purpose]:
                    return CodeCheck(Verdict.EXPIRED, issued.attribute)
                del self._codes[key]
                return CodeCheck(Verdict.OK, issued.attribute)
            if code in issued.replaced:
                return CodeCheck(Verdict.EXPIRED, issued.attribute)
            issued.failures += 1
            return CodeCheck(Verdict.MISMATCH, issued.attribute)

    def current(self, pool_id: str, username: str, purpose: str) -> str | None:
        """The code that would confirm now (expired or not), or None."""
        with self._lock:
            issued = self._codes.get((pool_id, username, purpose))
            return None if issued is None else issued.code

    def forget(self, pool_id: str, username: str, purpose: str) -> None:
        """Drop the user's code for *purpose* (the user was confirmed another way)."""
        with self._lock:
            self._codes.pop((pool_id, username, purpose), None)
