"""Writing users into moto's state the way Cognito's SignUp and ConfirmSignUp do.

Through moto's backend objects (as :mod:`console.sandbox.seed` does), not its
HTTP API: moto's own SignUp reports made-up deliveries, and its
ConfirmSignUp accepts any code. One lock serialises the check for a taken
name and the creation, so two concurrent SignUps for one name cannot both win.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

from console.sandbox.faults import ServiceError
from console.sandbox.moto_state import PoolRecord, UserRecord, user_record

if TYPE_CHECKING:
    from moto.cognitoidp.models import CognitoIdpUserPool

__all__ = [
    "MotoUserWriter",
    "confirm_user",
    "create_user",
    "delete_user",
    "reset_invitation",
    "set_password",
    "valid_email",
    "valid_phone",
]

_lock = threading.Lock()
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+$")
_PHONE_RE = re.compile(r"^\+[0-9]{4,15}$")


def valid_email(value: str) -> bool:
    """A loose email check: something@something, no spaces (Cognito's own is not published)."""
    return _EMAIL_RE.match(value) is not None


def valid_phone(value: str) -> bool:
    """E.164: a plus and 4 to 15 digits, as Cognito requires for phone_number."""
    return _PHONE_RE.match(value) is not None


def _moto_pool(pool: PoolRecord) -> CognitoIdpUserPool:
    from moto.cognitoidp.models import cognitoidp_backends

    found = cognitoidp_backends[pool.account_id][pool.region].user_pools.get(pool.pool_id)
    if found is None:
        raise ServiceError("ResourceNotFoundException", f"User pool {pool.pool_id} does not exist.")
    return found


def _check_formats(attributes: Mapping[str, str]) -> None:
    if "email" in attributes and not valid_email(attributes["email"]):
        raise ServiceError("InvalidParameterException", "Invalid email address format.")
    if "phone_number" in attributes and not valid_phone(attributes["phone_number"]):
        raise ServiceError("InvalidParameterException", "Invalid phone number format.")


def _sign_in_attribute(pool: PoolRecord, username: str) -> str:
    """Which UsernameAttribute *username* is (email or phone_number), or ServiceError."""
    for attribute in pool.username_attributes:
        if attribute == "email" and valid_email(username):
            return attribute
        if attribute == "phone_number" and valid_phone(username):
            return attribute
    raise ServiceError(
        "InvalidParameterException", "Username should be either an email or a phone number."
    )


def create_user(
    pool: PoolRecord, username: str, password: str, attributes: Mapping[str, str]
) -> UserRecord:
    """Create an UNCONFIRMED user, as SignUp does; ServiceError if the name is taken.

    In a pool whose UsernameAttributes include email or phone_number the name
    given is that attribute, and the user's username becomes a UUID (its sub).
    """
    from moto.cognitoidp.models import CognitoIdpUser, UserStatus

    values = dict(attributes)
    sign_in = _sign_in_attribute(pool, username) if pool.username_attributes else None
    if sign_in is not None:
        values[sign_in] = username
    _check_formats(values)
    moto_pool = _moto_pool(pool)
    with _lock:
        users = list(moto_pool.users.values())
        if sign_in is not None:
            if any(u.attribute_lookup.get(sign_in) == username for u in users):
                raise ServiceError(
                    "UsernameExistsException",
                    f"An account with the given {sign_in} already exists.",
                )
        elif username in moto_pool.users or (
            not pool.case_sensitive
            and any(u.username.casefold() == username.casefold() for u in users)
        ):
            raise ServiceError("UsernameExistsException", "User already exists")
        user = CognitoIdpUser(
            moto_pool.id,
            None if sign_in is not None else username,
            password,
            UserStatus.UNCONFIRMED,
            [{"Name": name, "Value": value} for name, value in values.items()],
        )
        moto_pool.users[user.username] = user
        return user_record(user)


def confirm_user(pool: PoolRecord, username: str, verified: str | None) -> None:
    """Mark the user CONFIRMED, and the attribute the code went to (if any) verified."""
    from moto.cognitoidp.models import UserStatus

    moto_pool = _moto_pool(pool)
    with _lock:
        user = moto_pool.users.get(username)
        if user is None:
            raise ServiceError("UserNotFoundException", "Username/client id combination not found.")
        user.status = UserStatus.CONFIRMED
        if verified is not None:
            user.update_attributes([{"Name": f"{verified}_verified", "Value": "true"}])


def set_password(pool: PoolRecord, username: str, password: str) -> None:
    """Give the user a new password, as ConfirmForgotPassword does.

    A user whose reset an administrator required (RESET_REQUIRED) is CONFIRMED
    again; every other status is kept.
    """
    from moto.cognitoidp.models import UserStatus

    moto_pool = _moto_pool(pool)
    with _lock:
        user = moto_pool.users.get(username)
        if user is None:
            raise ServiceError("UserNotFoundException", "Username/client id combination not found.")
        user.password = password
        if user.status == UserStatus.RESET_REQUIRED:
            user.status = UserStatus.CONFIRMED


def reset_invitation(pool: PoolRecord, username: str, password: str) -> dict[str, object]:
    """A new temporary password for a FORCE_CHANGE_PASSWORD user (AdminCreateUser RESEND).

    Returns Cognito's ``UserType`` for the answer. ServiceError when the user
    is missing or has already signed in.
    """
    from moto.cognitoidp.models import UserStatus

    moto_pool = _moto_pool(pool)
    with _lock:
        user = moto_pool._get_user(username)
        if user is None:
            raise ServiceError("UserNotFoundException", "User does not exist.")
        if user.status != UserStatus.FORCE_CHANGE_PASSWORD:
            status = getattr(user.status, "value", user.status)
            raise ServiceError(
                "UnsupportedUserStateException",
                f"Resend not possible. {user.username} status is not FORCE_CHANGE_PASSWORD "
                f"but {status}.",
            )
        user.password = password
        return {
            "Username": user.username,
            "Attributes": [dict(a) for a in user.attributes],
            "UserCreateDate": user.create_date.timestamp(),
            "UserLastModifiedDate": user.last_modified_date.timestamp(),
            "Enabled": bool(user.enabled),
            "UserStatus": UserStatus.FORCE_CHANGE_PASSWORD.value,
        }


def delete_user(pool: PoolRecord, username: str) -> None:
    """Remove a user SignUp just created (its code could not be sent)."""
    moto_pool = _moto_pool(pool)
    with _lock:
        moto_pool.users.pop(username, None)


class MotoUserWriter:
    """The writes SignUp and ConfirmSignUp need, on moto's state."""

    def create_user(
        self, pool: PoolRecord, username: str, password: str, attributes: Mapping[str, str]
    ) -> UserRecord:
        """See :func:`create_user`."""
        return create_user(pool, username, password, attributes)

    def confirm_user(self, pool: PoolRecord, username: str, verified: str | None) -> None:
        """See :func:`confirm_user`."""
        confirm_user(pool, username, verified)

    def delete_user(self, pool: PoolRecord, username: str) -> None:
        """See :func:`delete_user`."""
        delete_user(pool, username)

    def set_password(self, pool: PoolRecord, username: str, password: str) -> None:
        """See :func:`set_password`."""
        set_password(pool, username, password)
