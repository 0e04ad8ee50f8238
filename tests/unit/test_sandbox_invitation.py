"""AdminCreateUser's invitation: where it goes, and the temporary passwords the sandbox makes."""

from __future__ import annotations

import pytest

from console.sandbox.invitation import invitation_targets, temporary_password
from console.sandbox.passwords import PasswordPolicy, check_password

BOTH = {"email": "e@example.org", "phone_number": "+447700900123"}


@pytest.mark.parametrize(
    ("attributes", "mediums", "expected"),
    [
        (BOTH, None, ["SMS"]),
        ({"email": "e@example.org"}, None, ["EMAIL"]),
        (BOTH, ["EMAIL"], ["EMAIL"]),
        (BOTH, ["EMAIL", "SMS", "EMAIL"], ["EMAIL", "SMS"]),
        ({"email": "e@example.org"}, ["SMS"], []),
        ({}, None, []),
    ],
)
def test_invitation_targets(
    attributes: dict[str, str], mediums: object, expected: list[str]
) -> None:
    assert [t.medium for t in invitation_targets(attributes, mediums)] == expected


@pytest.mark.parametrize("length", [6, 8, 20])
def test_temporary_passwords_meet_the_policy(length: int) -> None:
    policy = PasswordPolicy(minimum_length=length)
    passwords = {temporary_password(policy) for _ in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        check_password(policy, password)
        assert len(password) >= max(length, 12)
