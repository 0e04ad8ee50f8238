"""The code store's rules without HTTP: lifetimes, replaced codes, failed attempts; the
password policy and the attribute a code goes to."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from console.sandbox.codes import (
    MAX_FAILED_ATTEMPTS,
    PASSWORD_RESET,
    SIGN_UP,
    CodeStore,
    Verdict,
)
from console.sandbox.constraints import matches_pattern
from console.sandbox.delivering import choose_target, find_target, mask_email, mask_phone
from console.sandbox.faults import ServiceError
from console.sandbox.moto_state import PoolRecord
from console.sandbox.passwords import PasswordPolicy, check_password


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_sign_up_code_lives_24_hours_and_a_reset_code_1_hour() -> None:
    clock = Clock()
    store = CodeStore(clock)
    store.issue("p", "u", SIGN_UP, "111111", "email")
    store.issue("p", "u", PASSWORD_RESET, "222222", "email")
    clock.now += 3600 - 1
    assert store.check("p", "u", PASSWORD_RESET, "222222").verdict is Verdict.OK
    store.issue("p", "u", PASSWORD_RESET, "333333", "email")
    clock.now += 3600
    assert store.check("p", "u", PASSWORD_RESET, "333333").verdict is Verdict.EXPIRED
    # 3599 + 3600 seconds have passed; the sign-up code lives until 24 h exactly.
    clock.now += 24 * 3600 - (3599 + 3600) - 1
    assert store.current("p", "u", SIGN_UP) == "111111"
    later = CodeStore(clock)
    later.issue("p", "u", SIGN_UP, "444444", "email")
    clock.now += 24 * 3600
    assert later.check("p", "u", SIGN_UP, "444444").verdict is Verdict.EXPIRED
    assert store.check("p", "u", SIGN_UP, "111111").verdict is Verdict.EXPIRED


def test_a_code_confirms_once_and_names_its_attribute() -> None:
    store = CodeStore(Clock())
    store.issue("p", "u", SIGN_UP, "123456", "phone_number")
    check = store.check("p", "u", SIGN_UP, "123456")
    assert (check.verdict, check.attribute) == (Verdict.OK, "phone_number")
    assert store.check("p", "u", SIGN_UP, "123456").verdict is Verdict.NO_CODE


def test_a_new_code_replaces_the_old_one() -> None:
    store = CodeStore(Clock())
    store.issue("p", "u", SIGN_UP, "111111", "email")
    store.issue("p", "u", SIGN_UP, "222222", "email")
    assert store.check("p", "u", SIGN_UP, "111111").verdict is Verdict.EXPIRED
    assert store.check("p", "u", SIGN_UP, "222222").verdict is Verdict.OK


def test_codes_are_per_user_pool_and_purpose() -> None:
    store = CodeStore(Clock())
    store.issue("p", "u", SIGN_UP, "111111", "email")
    assert store.check("p", "other", SIGN_UP, "111111").verdict is Verdict.NO_CODE
    assert store.check("q", "u", SIGN_UP, "111111").verdict is Verdict.NO_CODE
    assert store.check("p", "u", PASSWORD_RESET, "111111").verdict is Verdict.NO_CODE


def test_too_many_wrong_codes_lock_until_a_new_code() -> None:
    store = CodeStore(Clock())
    store.issue("p", "u", SIGN_UP, "111111", "email")
    verdicts = [
        store.check("p", "u", SIGN_UP, "000000").verdict for _ in range(MAX_FAILED_ATTEMPTS)
    ]
    assert verdicts == [Verdict.MISMATCH] * MAX_FAILED_ATTEMPTS
    assert store.check("p", "u", SIGN_UP, "111111").verdict is Verdict.TOO_MANY
    store.issue("p", "u", SIGN_UP, "222222", "email")
    assert store.check("p", "u", SIGN_UP, "222222").verdict is Verdict.OK


def test_an_unknown_purpose_is_refused() -> None:
    with pytest.raises(ValueError, match="purpose"):
        CodeStore().issue("p", "u", "mfa", "1", "email")


# -- where the code goes, and how it is masked --------------------------------------------------

BOTH = PoolRecord("p", "1", "us-east-1", auto_verified=("email", "phone_number"))
ATTRS = MappingProxyType({"email": "eve@example.org", "phone_number": "+447700900123"})


def test_both_verified_means_sms() -> None:
    target = choose_target(BOTH, ATTRS)
    assert target.details() == {
        "Destination": "+********0123",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }


def test_email_only_pool_sends_email_even_with_a_phone() -> None:
    pool = PoolRecord("p", "1", "us-east-1", auto_verified=("email",))
    assert choose_target(pool, ATTRS).details()["Destination"] == "e***@e***.org"
    assert find_target(PoolRecord("p", "1", "us-east-1", auto_verified=()), ATTRS) is None


def test_the_issue_examples_mask_as_cognito_does() -> None:
    assert mask_email("eve@example.org") == "e***@e***.org"
    assert mask_phone("+447700900123") == "+********0123"


# -- password policy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "broken"),
    [
        ("Ab1!", "Password not long enough"),
        ("ABCDEFG1!", "Password must have lowercase characters"),
        ("abcdefg1!", "Password must have uppercase characters"),
        ("Abcdefgh!", "Password must have numeric characters"),
        ("Abcdefgh1", "Password must have symbol characters"),
    ],
)
def test_the_first_broken_rule_is_named(password: str, broken: str) -> None:
    with pytest.raises(ServiceError) as excinfo:
        check_password(PasswordPolicy(), password)
    assert (excinfo.value.code, excinfo.value.message) == (
        "InvalidPasswordException",
        f"Password did not conform with policy: {broken}",
    )


def test_a_relaxed_policy_from_the_pool_settings() -> None:
    policy = PasswordPolicy.from_config(
        {"MinimumLength": 6, "RequireSymbols": False, "RequireUppercase": False}
    )
    check_password(policy, "abcde1")  # raises if refused
    with pytest.raises(ServiceError):  # the default policy refuses it
        check_password(PasswordPolicy(), "abcde1")
    check_password(PasswordPolicy(), "Passw0rd!")


def test_model_patterns() -> None:
    assert matches_pattern(r"[\S]+", "123456")
    assert not matches_pattern(r"[\S]+", "12 34")
    assert matches_pattern(r"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+", "custom:a b")
    assert not matches_pattern(r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", "a b")
    assert not matches_pattern(r"[\w+]+", "clïent")
