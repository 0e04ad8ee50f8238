"""Where a password-reset code goes: the pool's recovery order, verified attributes only."""

from __future__ import annotations

import pytest

from console.sandbox.faults import ServiceError
from console.sandbox.moto_state import LEGACY_RECOVERY, PoolRecord, _recovery
from console.sandbox.recovery import ADMIN_ONLY, recovery_target

BOTH = {
    "email": "e@example.org",
    "email_verified": "true",
    "phone_number": "+447700900123",
    "phone_number_verified": "true",
}


def _pool(recovery: tuple[str, ...] = LEGACY_RECOVERY) -> PoolRecord:
    return PoolRecord("us-east-1_x", "123456789012", "us-east-1", ("email",), recovery=recovery)


def test_legacy_order_prefers_sms() -> None:
    target = recovery_target(_pool(), BOTH)
    assert target is not None
    assert (target.medium, target.attribute) == ("SMS", "phone_number")


def test_the_pools_order_is_followed() -> None:
    target = recovery_target(_pool(("verified_email", "verified_phone_number")), BOTH)
    assert target is not None
    assert target.details()["Destination"] == "e***@e***.org"


def test_only_verified_attributes_count() -> None:
    attributes = {**BOTH, "phone_number_verified": "false"}
    target = recovery_target(_pool(), attributes)
    assert target is not None
    assert target.attribute == "email"
    assert recovery_target(_pool(), {"email": "e@example.org", "email_verified": "false"}) is None


def test_admin_only_refuses() -> None:
    with pytest.raises(ServiceError) as excinfo:
        recovery_target(_pool(("admin_only",)), BOTH)
    assert (excinfo.value.code, excinfo.value.message) == ("NotAuthorizedException", ADMIN_ONLY)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (None, LEGACY_RECOVERY),
        ({"RecoveryMechanisms": []}, LEGACY_RECOVERY),
        (
            {
                "RecoveryMechanisms": [
                    {"Name": "verified_phone_number", "Priority": 2},
                    {"Name": "verified_email", "Priority": 1},
                ]
            },
            ("verified_email", "verified_phone_number"),
        ),
        ({"RecoveryMechanisms": [{"Priority": 1}]}, LEGACY_RECOVERY),
    ],
)
def test_account_recovery_setting_is_read(setting: object, expected: tuple[str, ...]) -> None:
    assert _recovery(setting) == expected
