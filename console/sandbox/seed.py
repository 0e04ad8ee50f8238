"""The sandbox's demo state, written straight into moto's backend objects.

Going through moto's objects instead of HTTP keeps start-up fast (no request
round trips, no credentials needed). Each sandbox gets its own pool with its
own ids, so several sandboxes in one process never share users or clients.

The demo pool auto-verifies email and phone_number and has two app clients:
``public`` (no secret) and ``confidential`` (a generated secret,
PreventUserExistenceErrors ENABLED). Users: ``alice`` UNCONFIRMED with an
email, ``bob`` UNCONFIRMED with a phone number only, ``carol`` CONFIRMED,
``dave`` UNCONFIRMED with neither, plus ``user0001``.. on request.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from moto.cognitoidp.models import CognitoIdpUserPool

__all__ = ["DEMO_USERS", "DemoPool", "SeededClient", "create_demo_pool"]

DEFAULT_ACCOUNT_ID = "123456789012"
"""moto's default account: where unsigned calls and dummy credentials land."""


@dataclass(frozen=True, slots=True)
class SeededClient:
    """One app client of the demo pool."""

    name: str
    client_id: str
    client_secret: str | None


@dataclass(frozen=True, slots=True)
class DemoUser:
    """One seeded user."""

    username: str
    email: str | None = None
    phone_number: str | None = None
    confirmed: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("alice", email="alice@example.com"),
    DemoUser("bob", phone_number="+15555550100"),
    DemoUser("carol", email="carol@example.com", confirmed=True),
    DemoUser("dave"),
)


def _password() -> str:
    # Meets moto's default policy (upper, lower, digit, symbol); never printed.
    return secrets.token_urlsafe(12) + "aA1!"


class DemoPool:
    """A demo user pool living in moto's backends, owned by one sandbox."""

    def __init__(self, pool: CognitoIdpUserPool, clients: tuple[SeededClient, ...]) -> None:
        self._pool = pool
        self._lock = threading.Lock()
        self.clients = clients
        self._usernames: list[str] = []

    @property
    def pool_id(self) -> str:
        """The pool's id, e.g. ``us-east-1_...``."""
        return str(self._pool.id)

    @property
    def region(self) -> str:
        """The region the pool lives in."""
        return str(self._pool.region)

    @property
    def usernames(self) -> tuple[str, ...]:
        """Every user seeded or added through the sandbox, in order."""
        with self._lock:
            return tuple(self._usernames)

    def add_user(
        self,
        username: str,
        *,
        email: str | None = None,
        phone_number: str | None = None,
        confirmed: bool = False,
        enabled: bool = True,
    ) -> None:
        """Create a user in the pool (ValueError if the name is taken)."""
        from moto.cognitoidp.models import CognitoIdpUser, UserStatus

        attributes: list[dict[str, str]] = []
        if email is not None:
            attributes += [
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true" if confirmed else "false"},
            ]
        if phone_number is not None:
            attributes += [
                {"Name": "phone_number", "Value": phone_number},
                {"Name": "phone_number_verified", "Value": "true" if confirmed else "false"},
            ]
        status = UserStatus.CONFIRMED if confirmed else UserStatus.UNCONFIRMED
        with self._lock:
            if username in self._pool.users:
                raise ValueError(f"user {username!r} already exists in {self.pool_id}")
            user = CognitoIdpUser(self._pool.id, username, _password(), status, attributes)
            user.enabled = enabled
            self._pool.users[user.username] = user
            self._usernames.append(username)

    def ensure_attached(self) -> None:
        """Put the pool back if a moto reset elsewhere in the process dropped it.

        ``mock_aws`` resets every backend when it starts and stops; a test using
        it next to a running sandbox would otherwise leave the sandbox empty.
        """
        from moto.cognitoidp.models import cognitoidp_backends

        backend = cognitoidp_backends[self._pool.account_id][self._pool.region]
        if backend.user_pools.get(self._pool.id) is not self._pool:
            backend.user_pools.setdefault(self._pool.id, self._pool)

    def remove(self) -> None:
        """Delete the pool from moto's backends (the sandbox stopped)."""
        from moto.cognitoidp.models import cognitoidp_backends

        backend = cognitoidp_backends[self._pool.account_id][self._pool.region]
        if backend.user_pools.get(self._pool.id) is self._pool:
            backend.user_pools.pop(self._pool.id, None)


def custom_message_arn(region: str, spec: str) -> str:
    """The stand-in Lambda ARN the demo pool shows for a --custom-message-trigger.

    moto never invokes Lambda for cognito-idp; the ARN only lets DescribeUserPool
    (and so the pool facts) say that a CustomMessage trigger is configured.
    """
    function = spec.rpartition(":")[2] or "handler"
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in function)[:64]
    return f"arn:aws:lambda:{region}:{DEFAULT_ACCOUNT_ID}:function:sandbox-{name}"


def create_demo_pool(
    region: str = "us-east-1", *, extra_users: int = 0, custom_message_trigger: str | None = None
) -> DemoPool:
    """Create the demo pool, its two clients and its users; return its handle."""
    from moto.cognitoidp.models import cognitoidp_backends

    backend = cognitoidp_backends[DEFAULT_ACCOUNT_ID][region]
    settings: dict[str, Any] = {
        "AutoVerifiedAttributes": ["email", "phone_number"],
        "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
    }
    if custom_message_trigger:
        settings["LambdaConfig"] = {
            "CustomMessage": custom_message_arn(region, custom_message_trigger)
        }
    pool = backend.create_user_pool(f"cognito-console-sandbox-{secrets.token_hex(4)}", settings)
    flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    public_config: dict[str, Any] = {
        "ClientName": "public",
        "ExplicitAuthFlows": flows,
        "PreventUserExistenceErrors": "LEGACY",
    }
    confidential_config: dict[str, Any] = {
        "ClientName": "confidential",
        "ExplicitAuthFlows": flows,
        "PreventUserExistenceErrors": "ENABLED",
    }
    public = backend.create_user_pool_client(pool.id, False, public_config)
    confidential = backend.create_user_pool_client(pool.id, True, confidential_config)
    demo = DemoPool(
        pool,
        (
            SeededClient("public", public.id, None),
            SeededClient("confidential", confidential.id, confidential.secret),
        ),
    )
    for user in DEMO_USERS:
        demo.add_user(
            user.username,
            email=user.email,
            phone_number=user.phone_number,
            confirmed=user.confirmed,
        )
    for number in range(1, extra_users + 1):
        name = f"user{number:04d}"
        demo.add_user(name, email=f"{name}@example.com")
    return demo
