"""Logging that never prints a secret, or a user's real email address or phone number.

botocore's DEBUG log prints request parameters, SecretHash included, so its
loggers stay at WARNING unless ``--debug`` is given, and even then every
record passes through :class:`RedactingFilter`. The same filter masks every
email address and E.164 phone number the way Cognito masks destinations
(``e***@e***.com``, ``+*******0199``): the delivery doctor reads users'
real addresses (AdminGetUser, the SES and SNS calls), and its debug log
must not keep them.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path
from typing import TextIO

__all__ = ["RedactingFilter", "configure_logging", "redact", "register_secret"]

_NOISY = ("botocore", "boto3", "urllib3", "s3transfer", "werkzeug", "moto")

# Anything that looks like a secret-bearing field in a dict repr, JSON body,
# header or argv: the key, then its value up to the next quote, comma or space.
_SECRET_FIELD = re.compile(
    r"""(?ix)
    (["']?(?:SecretHash|SECRET_HASH|client_secret|ClientSecret|secret_hash|
        aws_secret_access_key|aws_session_token|Authorization|X-Amz-Security-Token)
     ["']?\s*[:=]\s*)
    (b?["']?)
    ([^"',\s}]+)
    """
)


_EMAIL = re.compile(
    r"(?<![\w.%+-])([\w.+-])[\w.+-]*(?:@|%40)([\w-])[\w-]*(?:\.[\w-]+)*\.([A-Za-z]{2,24})\b"
)
_PHONE = re.compile(r"(?:\+|%2B)(\d{3,11})(\d{4})\b")


def _mask_addresses(text: str) -> str:
    text = _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}***.{m.group(3)}", text)
    return _PHONE.sub(lambda m: "+" + "*" * len(m.group(1)) + m.group(2), text)


_known_secrets: set[str] = set()


def register_secret(value: str) -> None:
    """Remember a secret (or SecretHash) so it is scrubbed wherever it shows up."""
    if len(value) >= 4:
        _known_secrets.add(value)


def redact(text: str) -> str:
    """Replace every known secret, and the value of every secret-bearing field, with ``***``;
    mask every email address and phone number."""
    for secret in tuple(_known_secrets):
        if secret in text:
            text = text.replace(secret, "***")
    return _mask_addresses(_SECRET_FIELD.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text))


class RedactingFilter(logging.Filter):
    """Formats each record itself and redacts the result before it is emitted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = redact(record.getMessage())
        record.msg = message
        record.args = None
        return True


def debug_log_path() -> Path:
    """Where ``--debug`` logs go while the TUI owns the terminal."""
    from platformdirs import user_log_path

    return user_log_path("cognito-console") / "debug.log"


def _private_file_stream(path: Path) -> TextIO:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace")


def configure_logging(*, debug: bool = False, log_file: Path | None = None) -> None:
    """Keep third-party loggers quiet; with *debug*, log everything redacted.

    Debug records go to stderr, or to *log_file* (0600) when given: the TUI
    draws on the terminal, where log lines would tear the screen.
    """
    root = logging.getLogger()
    for name in _NOISY:
        logging.getLogger(name).setLevel(logging.DEBUG if debug else logging.WARNING)
    if not debug:
        return
    stream = sys.stderr if log_file is None else _private_file_stream(log_file)
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
