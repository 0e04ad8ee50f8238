"""A success from a client that hides unknown users is marked, or said to be unknowable.

The sandbox's confidential client has PreventUserExistenceErrors ENABLED: an
unknown user gets a normal-looking delivery. The CLI asks the client's facts
when credentials exist (or the endpoint is on loopback, with dummy keys),
takes the profile's ``hides_unknown_users`` without them, and otherwise says
it cannot tell, never ``false``.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from console.cli import main
from console.cognito import CANNOT_TELL_NOTE, SIMULATED_NOTE


def _resend(
    config: Path, profile: str, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    code = main(["--config", str(config), "resend", "--profile", profile, *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _nobody() -> str:
    """An unknown user of its own: the sandbox allows 5 resends a user an hour, and the
    tests of this module share one sandbox."""
    return f"nobody-{uuid.uuid4().hex[:10]}"


def _json(config: Path, capsys: pytest.CaptureFixture[str], profile: str) -> dict[str, Any]:
    code, out, _ = _resend(config, profile, capsys, "--username", _nobody(), "--json")
    assert code == 0
    return dict(json.loads(out))


def _with_missing_aws_profile(config_file: Path) -> None:
    """conf-inline names an AWS profile that has no credentials: its facts cannot be had."""
    text = config_file.read_text(encoding="utf-8")
    head, sep, rest = text.partition("[profiles.conf-inline]\n")
    config_file.write_text(head + sep + 'aws_profile = "nowhere"\n' + rest, encoding="utf-8")


@pytest.mark.usefixtures("no_credentials")
def test_without_credentials_it_says_it_cannot_tell(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _with_missing_aws_profile(config_file)
    code, out, _ = _resend(config_file, "conf-inline", capsys, "--username", _nobody())
    assert code == 0
    assert out.startswith("delivered: EMAIL to")
    assert out.count("cannot tell whether this client hides unknown users") == 1
    shown = _json(config_file, capsys, "conf-inline")
    assert shown["may_be_simulated"] is None
    main(["--config", str(config_file), "history", "--json", "--limit", "1"])
    record = json.loads(capsys.readouterr().out.splitlines()[0])
    assert record["may_be_simulated"] is None


@pytest.mark.usefixtures("no_credentials")
def test_a_sandbox_on_loopback_tells_without_credentials(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its DescribeUserPoolClient takes dummy keys, as its lookups and pool facts do."""
    code, out, _ = _resend(config_file, "conf-inline", capsys, "--username", _nobody())
    assert code == 0
    assert f"note: {SIMULATED_NOTE}" in out
    assert CANNOT_TELL_NOTE not in out
    assert _json(config_file, capsys, "conf-inline")["may_be_simulated"] is True


def test_with_credentials_the_client_facts_mark_the_success(
    config_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDTESTING")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    code, out, _ = _resend(config_file, "conf-inline", capsys, "--username", _nobody())
    assert code == 0
    assert f"note: {SIMULATED_NOTE}" in out
    assert CANNOT_TELL_NOTE not in out
    assert _json(config_file, capsys, "conf-inline")["may_be_simulated"] is True


def test_with_credentials_a_legacy_client_is_not_marked(
    config_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fresh_user: Any,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDTESTING")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    user = fresh_user()
    code, out, _ = _resend(config_file, "sandbox", capsys, "--username", user, "--json")
    assert code == 0
    assert json.loads(out)["may_be_simulated"] is False


@pytest.mark.usefixtures("no_credentials", "run")
def test_a_profile_may_settle_it_without_credentials(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = config_file.read_text(encoding="utf-8")
    text = text.replace(
        'client_secret_env = "SANDBOX_CANARY_SECRET"',
        # No facts to be had (an AWS profile without credentials): the setting decides.
        'client_secret_env = "SANDBOX_CANARY_SECRET"\nhides_unknown_users = true\n'
        'aws_profile = "nowhere"',
        1,
    )
    config_file.write_text(text, encoding="utf-8")
    assert _json(config_file, capsys, "conf-env")["may_be_simulated"] is True
