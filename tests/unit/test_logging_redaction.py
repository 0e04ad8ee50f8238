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


def test_debug_log_file_is_private_and_redacted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from console.logging_setup import configure_logging

    path = tmp_path / "logs" / "debug.log"
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        configure_logging(debug=True, log_file=path)
        logging.getLogger("botocore").debug("params %s", {"SecretHash": "abcdEFGH123"})
        for handler in root.handlers:
            handler.flush()
    finally:
        for handler in root.handlers[len(before) :]:
            root.removeHandler(handler)
            handler.close()
        configure_logging(debug=False)
        root.setLevel(logging.WARNING)
    assert (path.stat().st_mode & 0o777) == 0o600
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    text = path.read_text()
    assert "SecretHash" in text
    assert "abcdEFGH123" not in text


def test_a_redacted_field_keeps_its_key_and_quotes() -> None:
    # The reader of a debug log still sees which field was there, and the
    # line still parses as the repr it was.
    assert redact("{'SecretHash': 'c2VjcmV0'}") == "{'SecretHash': '***'}"
    assert redact('{"ClientSecret": "abc123"}') == '{"ClientSecret": "***"}'


def test_secrets_of_four_characters_are_scrubbed_shorter_ones_are_not() -> None:
    # Shorter values would blank out ordinary words all over the log.
    register_secret("Wq7Z")
    register_secret("Jx9")
    assert redact("a Wq7Z b") == "a *** b"
    assert redact("a Jx9 b") == "a Jx9 b"


def test_without_debug_the_sdk_loggers_stay_quiet_and_nothing_is_added() -> None:
    from console.logging_setup import configure_logging

    root = logging.getLogger()
    before = list(root.handlers)
    noisy = [logging.getLogger(name) for name in ("botocore", "boto3", "urllib3")]
    levels = [logger.level for logger in noisy]
    try:
        for logger in noisy:
            logger.setLevel(logging.DEBUG)
        configure_logging()
        assert [logger.level for logger in noisy] == [logging.WARNING] * 3
        assert root.handlers == before
    finally:
        for logger, level in zip(noisy, levels, strict=True):
            logger.setLevel(level)
