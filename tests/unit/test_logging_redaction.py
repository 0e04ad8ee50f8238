"""Debug logging never prints a secret or a SecretHash."""

from __future__ import annotations

import logging

from console.logging_setup import RedactingFilter, redact, register_secret


def test_secret_fields_are_redacted_in_reprs_and_json() -> None:
    assert "c2VjcmV0" not in redact("{'SecretHash': 'c2VjcmV0aGFzaA=='}")
    assert "c2VjcmV0" not in redact('b\'{"SecretHash": "c2VjcmV0+/aGFzaA=="}\'')


def test_registered_secrets_are_scrubbed_anywhere() -> None:
    register_secret("CANARY-XYZ-123456")
    assert redact("body=CANARY-XYZ-123456&x=1") == "body=***&x=1"


def test_filter_rewrites_the_record() -> None:
    record = logging.LogRecord(
        "botocore", logging.DEBUG, __file__, 1, "params %s", ({"SecretHash": "abcdEFGH"},), None
    )
    RedactingFilter().filter(record)
    assert "abcdEFGH" not in record.getMessage()
