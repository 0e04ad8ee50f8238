"""The sandbox's demo state, written straight into moto's backend objects.

Going through moto's objects instead of HTTP keeps start-up fast (no request
round trips, no credentials needed). Each sandbox gets its own pool with its
own ids, so several sandboxes in one process never share users or clients.

The demo pool auto-verifies email and phone_number and has two app clients:
``public`` (no secret) and ``confidential`` (a generated secret,
PreventUserExistenceErrors ENABLED). Users: ``alice`` UNCONFIRMED with an
email, ``bob`` UNCONFIRMED with a phone number only, ``carol`` CONFIRMED,
``dave`` UNCONFIRMED with neither, ``erin`` UNCONFIRMED whose email is on the
SES suppression list (BOUNCE), ``frank`` UNCONFIRMED whose phone number has
opted out of SMS, plus ``user0001``.. on request.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from console.sandbox.state_file import SavedClient, SavedState, SavedUser

if TYPE_CHECKING:
    from moto.cognitoidp.models import CognitoIdpUserPool

__all__ = [
    "DEMO_USERS",
    "DemoPool",
    "SeededClient",
    "create_demo_pool",
    "restore_demo_pool",
]

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
    DemoUser("erin", email="erin@example.com"),
    DemoUser("frank", phone_number="+15555550199"),
)
SUPPRESSED = {"erin@example.com": "BOUNCE"}
"""Addresses on the SES account's suppression list at start (erin's bounced)."""
OPTED_OUT = ("+15555550199",)
"""Numbers on SNS's opt-out list at start (frank's replied STOP)."""


def _password() -> str:
    # Meets moto's default policy (upper, lower, digit, symbol); never printed.
    return secrets.token_urlsafe(12) + "aA1!"


class DemoPool:
    """A demo user pool living in moto's backends, owned by one sandbox."""

    def __init__(
        self,
        pool: CognitoIdpUserPool,
        clients: tuple[SeededClient, ...],
        usernames: list[str] | None = None,
    ) -> None:
        self._pool = pool
        self._lock = threading.Lock()
        self.clients = clients
        self._usernames: list[str] = list(usernames or [])

    @property
    def pool_id(self) -> str:
        """The pool's id, e.g. ``us-east-1_...``."""
        return str(self._pool.id)

    @property
    def moto_pool(self) -> CognitoIdpUserPool:
        """moto's pool object (for the channels, which show their setup in it)."""
        return self._pool

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

    def snapshot(self) -> SavedState:
        """The pool as it stands, for the state file: ids, secret and every user in it."""
        users = []
        for user in list(self._pool.users.values()):
            status = user.status
            users.append(
                SavedUser(
                    username=user.username,
                    status=str(getattr(status, "value", status)),
                    enabled=bool(user.enabled),
                    password=user.password,
                    attributes={str(a["Name"]): str(a["Value"]) for a in list(user.attributes)},
                )
            )
        return SavedState(
            region=self.region,
            user_pool_id=self.pool_id,
            pool_name=str(self._pool.name),
            clients=tuple(SavedClient(c.name, c.client_id, c.client_secret) for c in self.clients),
            users=tuple(users),
        )

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


def _pool_settings(region: str, custom_message_trigger: str | None) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "AutoVerifiedAttributes": ["email", "phone_number"],
        "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
        # Cognito needs an SNS role to send SMS; moto never assumes it.
        "SmsConfiguration": {
            "SnsCallerArn": f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/sandbox-cognito-sms",
            "ExternalId": "cognito-console-sandbox",
            "SnsRegion": region,
        },
    }
    if custom_message_trigger:
        settings["LambdaConfig"] = {
            "CustomMessage": custom_message_arn(region, custom_message_trigger)
        }
    return settings


_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
_CLIENTS = (("public", False, "LEGACY"), ("confidential", True, "ENABLED"))
"""Name, whether it has a secret, PreventUserExistenceErrors."""


def _client_config(name: str, prevent: str) -> dict[str, Any]:
    return {
        "ClientName": name,
        "ExplicitAuthFlows": list(_FLOWS),
        "PreventUserExistenceErrors": prevent,
    }


def _add_extra_users(demo: DemoPool, extra_users: int) -> None:
    existing = set(demo.usernames)
    for number in range(1, extra_users + 1):
        name = f"user{number:04d}"
        if name not in existing:
            demo.add_user(name, email=f"{name}@example.com")


def create_demo_pool(
    region: str = "us-east-1", *, extra_users: int = 0, custom_message_trigger: str | None = None
) -> DemoPool:
    """Create the demo pool, its two clients and its users; return its handle."""
    from moto.cognitoidp.models import cognitoidp_backends

    backend = cognitoidp_backends[DEFAULT_ACCOUNT_ID][region]
    pool = backend.create_user_pool(
        f"cognito-console-sandbox-{secrets.token_hex(4)}",
        _pool_settings(region, custom_message_trigger),
    )
    seeded: list[SeededClient] = []
    for name, with_secret, prevent in _CLIENTS:
        client = backend.create_user_pool_client(
            pool.id, with_secret, _client_config(name, prevent)
        )
        seeded.append(SeededClient(name, client.id, client.secret if with_secret else None))
    demo = DemoPool(pool, tuple(seeded))
    for user in DEMO_USERS:
        demo.add_user(
            user.username,
            email=user.email,
            phone_number=user.phone_number,
            confirmed=user.confirmed,
        )
    _add_extra_users(demo, extra_users)
    return demo


def restore_demo_pool(
    saved: SavedState, *, extra_users: int = 0, custom_message_trigger: str | None = None
) -> DemoPool:
    """Recreate a saved demo pool in moto with its ids, secret and users.

    ValueError when a pool with that id is already live in this process (two
    sandboxes on one state folder would share, and overwrite, one pool).
    """
    from moto.cognitoidp.models import (
        CognitoIdpUser,
        CognitoIdpUserPool,
        CognitoIdpUserPoolClient,
        UserStatus,
        cognitoidp_backends,
    )

    backend = cognitoidp_backends[DEFAULT_ACCOUNT_ID][saved.region]
    if saved.user_pool_id in backend.user_pools:
        raise ValueError(f"the saved pool {saved.user_pool_id} is already served by a sandbox")
    pool = CognitoIdpUserPool(
        DEFAULT_ACCOUNT_ID,
        saved.region,
        saved.pool_name,
        _pool_settings(saved.region, custom_message_trigger),
    )
    # moto derives ids at random: put the saved ones back, and the ARN built from them.
    pool.id = saved.user_pool_id
    pool.arn = pool.arn.rpartition("/")[0] + "/" + saved.user_pool_id
    seeded: list[SeededClient] = []
    prevents = {name: prevent for name, _secret, prevent in _CLIENTS}
    for entry in saved.clients:
        client = CognitoIdpUserPoolClient(
            pool.id,
            entry.client_secret is not None,
            _client_config(entry.name, prevents.get(entry.name, "LEGACY")),
        )
        client.id = entry.client_id
        if entry.client_secret is not None:
            client.secret = entry.client_secret
        pool.clients[client.id] = client
        seeded.append(SeededClient(entry.name, entry.client_id, entry.client_secret))
    for saved_user in saved.users:
        attributes = [{"Name": k, "Value": v} for k, v in saved_user.attributes.items()]
        status = (
            UserStatus(saved_user.status)
            if saved_user.status in UserStatus.__members__
            else UserStatus.UNCONFIRMED
        )
        user = CognitoIdpUser(pool.id, saved_user.username, saved_user.password, status, attributes)
        sub = saved_user.attributes.get("sub")
        if sub:
            user.id = sub
            user.update_attributes([{"Name": "sub", "Value": sub}])
        user.enabled = saved_user.enabled
        pool.users[user.username] = user
    backend.user_pools[pool.id] = pool
    demo = DemoPool(pool, tuple(seeded), usernames=[u.username for u in saved.users])
    _add_extra_users(demo, extra_users)
    return demo
