"""A pool's password policy, checked the way Cognito reports it.

Cognito answers a password outside the policy with InvalidPasswordException
"Password did not conform with policy: <the first rule broken>". The rule
texts below are the ones public reports quote; the order in which the rules
are tried is our choice (no public source gives it): length, then lower
case, upper case, digits, symbols.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from console.sandbox.faults import ServiceError

__all__ = ["SYMBOLS", "PasswordPolicy", "check_password"]

SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
"""The characters Cognito counts as symbols (the developer guide's list, space included)."""


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """A pool's ``Policies.PasswordPolicy``; the defaults are Cognito's."""

    minimum_length: int = 8
    require_lowercase: bool = True
    require_uppercase: bool = True
    require_numbers: bool = True
    require_symbols: bool = True

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> PasswordPolicy:
        """Read ``PasswordPolicy`` from a pool's settings (missing keys: Cognito's defaults)."""
        default = cls()

        def flag(key: str, fallback: bool) -> bool:
            value = config.get(key)
            return value if isinstance(value, bool) else fallback

        length = config.get("MinimumLength")
        return cls(
            minimum_length=length if isinstance(length, int) else default.minimum_length,
            require_lowercase=flag("RequireLowercase", default.require_lowercase),
            require_uppercase=flag("RequireUppercase", default.require_uppercase),
            require_numbers=flag("RequireNumbers", default.require_numbers),
            require_symbols=flag("RequireSymbols", default.require_symbols),
        )


def check_password(policy: PasswordPolicy, password: str) -> None:
    """Raise InvalidPasswordException naming the first rule *password* breaks."""
    rules = (
        (len(password) >= policy.minimum_length, "Password not long enough"),
        (
            not policy.require_lowercase or any(c.islower() for c in password),
            "Password must have lowercase characters",
        ),
        (
            not policy.require_uppercase or any(c.isupper() for c in password),
            "Password must have uppercase characters",
        ),
        (
            not policy.require_numbers or any(c.isdigit() for c in password),
            "Password must have numeric characters",
        ),
        (
            not policy.require_symbols or any(c in SYMBOLS for c in password),
            "Password must have symbol characters",
        ),
    )
    for kept, broken in rules:
        if not kept:
            raise ServiceError(
                "InvalidPasswordException", f"Password did not conform with policy: {broken}"
            )
