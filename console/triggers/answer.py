"""Reading a handler's answer the way Cognito reads it, and the errors Cognito gives.

Sources for each text (docs/triggers.md has the list and our choices):

- a handler that fails: ``UserLambdaValidationException`` "CustomMessage
  failed with error <errorMessage>." (the pattern of every public report);
- an answer that is not the event with a ``response`` object:
  ``InvalidLambdaResponseException`` "Unrecognizable lambda output"
  (amplify-studio#1006, aws-cognito-tutorial-complete#3);
- a message without ``{####}`` or with characters outside the pattern:
  ``InvalidParameterException`` "1 validation error detected: Value '...' at
  'emailBody' failed to satisfy constraint: Member must satisfy regular
  expression pattern: ..." (amazon-cognito-identity-js#99, aws-lambda-go#330,
  amplify-js#6917); lengths in the same style.

Only the message for the medium being sent is checked, as Cognito does.
Lengths are counted as Java counts them (UTF-16 code units): an emoji is 2.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from console.triggers.events import CODE_PARAMETER, USERNAME_PARAMETER

__all__ = [
    "EMAIL_MESSAGE_MAX",
    "EMAIL_PATTERN",
    "EMAIL_SUBJECT_MAX",
    "SMS_MESSAGE_MAX",
    "Message",
    "TriggerFailure",
    "cognito_length",
    "failed_with",
    "read_answer",
    "rejected_characters",
]

EMAIL_MESSAGE_MAX = 20_000
SMS_MESSAGE_MAX = 140
EMAIL_SUBJECT_MAX = 140
EMAIL_PATTERN = r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*"
"""The pattern Cognito reports for an email body (the public reports quote it)."""
SUBJECT_PATTERN = r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+"
SMS_PATTERN = r".*\{####\}.*"
_JAVA_SPACE = frozenset(" \t\n\x0b\f\r")
"""Java's ``\\s`` without UNICODE_CHARACTER_CLASS: a no-break space is not one."""


class TriggerFailure(Exception):
    """What Cognito answers when the trigger fails: an error code and its message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Message:
    """The messages a trigger produced, placeholders not yet replaced; None = the default."""

    sms_message: str | None
    email_message: str | None
    email_subject: str | None
    note: str | None = None
    """Why part of the answer was not used (e.g. an invitation without ``{username}``)."""


def cognito_length(text: str) -> int:
    """The length Cognito checks: UTF-16 code units (an emoji counts 2).

    A lone surrogate (a handler's JSON can hold ``"\\ud800"``) is one unit, not
    a crash: the pattern check then names it.
    """
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def rejected_characters(text: str, *, subject: bool = False) -> list[tuple[int, str]]:
    """Positions and characters outside Cognito's email pattern (letters, marks, symbols,
    numbers, punctuation, ASCII white space and ``*``); a no-break space is rejected."""
    bad: list[tuple[int, str]] = []
    for index, char in enumerate(text):
        if char in _JAVA_SPACE or (char == "*" and not subject):
            continue
        if unicodedata.category(char)[0] not in "LMSNP":
            bad.append((index, char))
    return bad


def failed_with(error_message: str) -> TriggerFailure:
    """A handler's error, as Cognito reports it."""
    return TriggerFailure(
        "UserLambdaValidationException", f"CustomMessage failed with error {error_message}."
    )


def _unrecognizable() -> TriggerFailure:
    return TriggerFailure("InvalidLambdaResponseException", "Unrecognizable lambda output")


def _violation(value: str, member: str, constraint: str) -> str:
    return f"Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"


def _check(value: str, member: str, *, pattern: str, ok: bool, limit: int) -> list[str]:
    problems = []
    if not ok:
        problems.append(
            _violation(value, member, f"Member must satisfy regular expression pattern: {pattern}")
        )
    if cognito_length(value) > limit:
        problems.append(
            _violation(value, member, f"Member must have length less than or equal to {limit}")
        )
    return problems


def _raise_if(problems: list[str]) -> None:
    if not problems:
        return
    count = len(problems)
    noun = "validation error" if count == 1 else "validation errors"
    raise TriggerFailure(
        "InvalidParameterException", f"{count} {noun} detected: " + "; ".join(problems)
    )


def read_answer(payload: dict[str, Any] | None, *, medium: str, trigger_source: str) -> Message:
    """The usable messages in a child's *payload*; TriggerFailure as Cognito would answer.

    *payload* is ``{"result": ...}`` or Lambda's error payload. *medium* is
    ``EMAIL`` or ``SMS``: only that medium's message is checked.
    """
    if payload is None:
        raise _unrecognizable()
    if "errorType" in payload or "errorMessage" in payload:
        raise failed_with(str(payload.get("errorMessage", "")))
    returned = payload.get("result")
    response = returned.get("response") if isinstance(returned, dict) else None
    if not isinstance(response, dict):
        raise _unrecognizable()
    fields: dict[str, str | None] = {}
    for key in ("smsMessage", "emailMessage", "emailSubject"):
        value = response.get(key)
        if value is not None and not isinstance(value, str):
            raise _unrecognizable()
        fields[key] = value
    sms, email, subject = fields["smsMessage"], fields["emailMessage"], fields["emailSubject"]
    body = email if medium == "EMAIL" else sms
    if trigger_source == "CustomMessage_AdminCreateUser" and body is not None:
        missing = [p for p in (USERNAME_PARAMETER, CODE_PARAMETER) if p not in body]
        if missing:
            # Cognito sends its own invitation instead (docs/triggers.md).
            return Message(
                None, None, subject if medium == "EMAIL" else None,
                note=f"the message lacks {' and '.join(missing)}: the pool's invitation was sent",
            )  # fmt: skip
    problems: list[str] = []
    if medium == "EMAIL":
        if email is not None:
            ok = CODE_PARAMETER in email and not rejected_characters(email)
            problems += _check(
                email, "emailBody", pattern=EMAIL_PATTERN, ok=ok, limit=EMAIL_MESSAGE_MAX
            )
        if subject is not None:
            ok = bool(subject) and not rejected_characters(subject, subject=True)
            problems += _check(
                subject, "emailSubject", pattern=SUBJECT_PATTERN, ok=ok, limit=EMAIL_SUBJECT_MAX
            )
    elif sms is not None:
        problems += _check(
            sms, "smsMessage", pattern=SMS_PATTERN, ok=CODE_PARAMETER in sms, limit=SMS_MESSAGE_MAX
        )
    _raise_if(problems)
    return Message(sms, email, subject)
