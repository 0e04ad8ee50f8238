"""A code whose message settles the cause gets that cause's meaning, not the list of all."""

from __future__ import annotations

from console.cognito.errors import CATALOGUE, explain


def test_the_message_picks_the_cause() -> None:
    attempt = explain(
        "LimitExceededException", "Attempt limit exceeded, please try after some time."
    )
    assert "5 resends per user" in attempt.meaning
    assert "email" not in attempt.meaning.lower() + attempt.remedy.lower()
    confirmed = explain("InvalidParameterException", "User is already confirmed.")
    assert confirmed.meaning.startswith("The user is already confirmed")
    nowhere = explain(
        "InvalidParameterException",
        "Cannot resend codes. User has no email or phone_number attribute to deliver the code to.",
    )
    assert nowhere.meaning.startswith("The user has no email or phone number")
    off = explain(
        "InvalidParameterException", "Cannot resend codes. Auto verification not turned on."
    )
    assert off.remedy.startswith("Turn on auto verification")


def test_other_messages_keep_the_catalogue_entry() -> None:
    assert (
        explain("InvalidParameterException", "1 validation error detected")
        == CATALOGUE["InvalidParameterException"]
    )
    assert explain("LimitExceededException") == CATALOGUE["LimitExceededException"]
    assert (
        explain("UserNotFoundException", "User is already confirmed.")
        == CATALOGUE["UserNotFoundException"]
    )
