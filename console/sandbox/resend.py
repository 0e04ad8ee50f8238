"""ResendConfirmationCode as Cognito answers it, over any user directory.

The order of checks follows the service: throttling first, then the request's
shape, the app client, its secret, the pool's settings, the user, the per-user
attempt limit, and finally the CustomMessage trigger and the delivery
(:class:`~console.sandbox.delivering.Courier`). Every refusal is a
:class:`ServiceError`; every success lands in the outbox and the code store,
or is only simulated: for an unknown or disabled user behind
PreventUserExistenceErrors (the developer guide, "Managing user existence
error responses": "returns CodeDeliveryDetails for a disabled user or a user
that doesn't exist").

Message texts for the cases we cannot observe in AWS are chosen to read like
Cognito's and to name the cause.
"""

from __future__ import annotations

from typing import Protocol

from console.sandbox.codes import SIGN_UP, CodeStore
from console.sandbox.delivering import (
    Courier,
    DeliveryGuard,
    Sending,
    Target,
    check_secret_hash,
    choose_target,
    mask_email,
    mask_phone,
    new_code,
    secret_hash,
    simulated_target,
)
from console.sandbox.faults import ServiceError
from console.sandbox.limits import AttemptLimiter, RateLimiter
from console.sandbox.moto_state import ClientRecord, PoolRecord, UserRecord
from console.sandbox.outbox import Outbox, utc_now_iso
from console.sandbox.request_checks import ResendRequest, parse_request
from console.sandbox.trigger import TriggerRunner

__all__ = [
    "Directory",
    "ResendService",
    "choose_target",
    "mask_email",
    "mask_phone",
    "new_code",
    "secret_hash",
    "simulated_target",
]

RESENDS_PER_HOUR = 5
DELIVERABLE = ("email", "phone_number")
"""Attributes a code can go to (the order of preference: ``delivering.PREFERENCE``)."""


class Directory(Protocol):
    """Where the service finds app clients and users (moto's backends, or a fake)."""

    def find_client(self, client_id: str) -> ClientRecord | None:
        """The app client with this id, or None."""
        ...

    def find_user(self, pool_record: PoolRecord, name: str) -> UserRecord | None:
        """The user *name* refers to in the pool (username, sub or alias), or None."""
        ...


class ResendService:
    """Answers ResendConfirmationCode from a directory; records into an outbox."""

    def __init__(
        self,
        directory: Directory,
        outbox: Outbox,
        *,
        trigger: TriggerRunner | None = None,
        rate_limit: float | None = None,
        attempts: AttemptLimiter | None = None,
        codes: CodeStore | None = None,
        courier: Courier | None = None,
        guard: DeliveryGuard | None = None,
    ) -> None:
        self._directory = directory
        self._outbox = outbox
        # One courier per sandbox (the operations share it): it remembers the last
        # send for /_sandbox/repeat; *guard* only matters when none is passed.
        self._courier = courier or Courier(
            outbox, codes or CodeStore(), trigger=trigger, guard=guard
        )
        self._rate = RateLimiter(rate_limit) if rate_limit is not None else None
        self._attempts = attempts or AttemptLimiter(RESENDS_PER_HOUR, 3600.0)

    def handle(self, body: object, *, request_id: str, user_agent: str = "") -> dict[str, object]:
        """Answer one parsed request body: the response object, or raise ServiceError."""
        if self._rate is not None and not self._rate.allow():
            raise ServiceError("TooManyRequestsException", "Rate exceeded")
        request = parse_request(body)
        client = self._directory.find_client(request.client_id)
        if client is None:
            raise ServiceError(
                "ResourceNotFoundException", f"User pool client {request.client_id} does not exist."
            )
        self._check_context(request, client)
        self._check_secret(request, client)
        pool = client.pool
        if not any(a in pool.auto_verified for a in DELIVERABLE):
            raise ServiceError(
                "InvalidParameterException", "Cannot resend codes. Auto verification not turned on."
            )
        user = self._directory.find_user(pool, request.username)
        if user is None:
            if not client.prevent_user_existence_errors:
                raise ServiceError(
                    "UserNotFoundException", "Username/client id combination not found."
                )
            return self._simulate(request, client)
        if not user.enabled:
            if client.prevent_user_existence_errors:
                return self._simulate(request, client)
            raise ServiceError("NotAuthorizedException", "User is disabled.")
        if user.status != "UNCONFIRMED":
            # Admin-created users (FORCE_CHANGE_PASSWORD) count as confirmed too.
            raise ServiceError("InvalidParameterException", "User is already confirmed.")
        target = choose_target(pool, user.attributes)
        return self._deliver(request, client, user, target, request_id, user_agent)

    def _check_context(self, request: ResendRequest, client: ClientRecord) -> None:
        if request.ip_address is not None and not client.propagate_user_context:
            raise ServiceError(
                "InvalidParameterException",
                "UserContextData.IpAddress is only accepted when the app client has "
                "EnablePropagateAdditionalUserContextData turned on.",
            )

    def _check_secret(self, request: ResendRequest, client: ClientRecord) -> None:
        check_secret_hash(client, request.username, request.secret_hash)

    def _limit_key(self, pool: PoolRecord, username: str) -> tuple[str, str, str]:
        return (pool.account_id, pool.pool_id, username)

    def _reserve(self, key: tuple[str, str, str]) -> float:
        token = self._attempts.reserve(key)
        if token is None:
            raise ServiceError(
                "LimitExceededException", "Attempt limit exceeded, please try after some time."
            )
        return token

    def _simulate(self, request: ResendRequest, client: ClientRecord) -> dict[str, object]:
        # Unknown users are limited like real ones, or the limit would reveal them.
        self._reserve(self._limit_key(client.pool, request.username))
        target = simulated_target(client.pool, client.client_id, request.username)
        details = target.details()
        self._outbox.add_simulated(
            {
                "time": utc_now_iso(),
                "user_pool_id": client.pool.pool_id,
                "client_id": client.client_id,
                "username": request.username,
                "destination": details["Destination"],
                "medium": details["DeliveryMedium"],
            }
        )
        return {"CodeDeliveryDetails": details}

    def _deliver(
        self,
        request: ResendRequest,
        client: ClientRecord,
        user: UserRecord,
        target: Target,
        request_id: str,
        user_agent: str,
    ) -> dict[str, object]:
        key = self._limit_key(client.pool, user.username)
        token = self._reserve(key)
        try:
            details = self._courier.send(
                Sending(
                    client=client,
                    user=user,
                    target=target,
                    purpose=SIGN_UP,
                    trigger_source="CustomMessage_ResendCode",
                    request_id=request_id,
                    user_agent=user_agent,
                    client_metadata=request.client_metadata,
                    analytics_metadata=request.analytics_metadata,
                )
            )
        except BaseException:
            self._attempts.release(key, token)
            raise
        return {"CodeDeliveryDetails": details}
