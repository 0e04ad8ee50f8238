"""A flag on the command line beats the profile's default for the same thing.

Checked where it matters: what the sandbox received, and what its outbox
recorded for the delivery (the metadata a CustomMessage trigger would get),
not in the parser.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from console.cli import main

if TYPE_CHECKING:
    from console.sandbox import Sandbox


@pytest.fixture
def config_with_defaults(tmp_path: Path, sandbox: Sandbox) -> Path:
    info = sandbox.info
    path = tmp_path / "cognito-console.toml"
    path.write_text(
        f"""
[console]
default_profile = "defaults"
history_path = "{tmp_path / "history.sqlite3"}"
connect_timeout = 2
read_timeout = 5
max_attempts = 1

[profiles.defaults]
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{info.client("public").client_id}"
endpoint_url = "{info.endpoint_url}"
analytics_endpoint_id = "from-profile"
client_metadata = {{ brand = "ProfileBrand", lang = "en" }}
""",
        encoding="utf-8",
    )
    path.chmod(0o600)
    return path


def _sent_to(sandbox: Sandbox, user: str) -> tuple[dict[str, object], dict[str, object]]:
    """The request body the sandbox received for *user*, and the delivery it recorded."""
    [body] = [b for b in sandbox.received() if b.get("Username") == user]
    [delivery] = [d for d in sandbox.outbox() if d["user"] == user]
    return body, delivery


def test_meta_flag_beats_the_profiles_value_for_the_same_key(
    config_with_defaults: Path,
    sandbox: Sandbox,
    fresh_user: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = fresh_user()
    argv = ["--config", str(config_with_defaults), "resend", "-u", user, "--meta", "brand=Flag"]
    assert main(argv) == 0, capsys.readouterr().err
    body, delivery = _sent_to(sandbox, user)
    # The flag's value for "brand"; the profile's other key still sent.
    assert body["ClientMetadata"] == {"brand": "Flag", "lang": "en"}
    assert delivery["client_metadata"] == {"brand": "Flag", "lang": "en"}


def test_analytics_flag_beats_the_profiles_endpoint_id(
    config_with_defaults: Path,
    sandbox: Sandbox,
    fresh_user: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = fresh_user()
    argv = [
        "--config",
        str(config_with_defaults),
        "resend",
        "-u",
        user,
        "--analytics-endpoint-id",
        "from-flag",
    ]
    assert main(argv) == 0, capsys.readouterr().err
    body, delivery = _sent_to(sandbox, user)
    assert body["AnalyticsMetadata"] == {"AnalyticsEndpointId": "from-flag"}
    assert delivery["analytics_metadata"] == {"AnalyticsEndpointId": "from-flag"}


def test_without_flags_the_profiles_defaults_are_sent(
    config_with_defaults: Path,
    sandbox: Sandbox,
    fresh_user: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = fresh_user()
    assert main(["--config", str(config_with_defaults), "resend", "-u", user]) == 0
    capsys.readouterr()
    body, delivery = _sent_to(sandbox, user)
    assert body["ClientMetadata"] == {"brand": "ProfileBrand", "lang": "en"}
    assert body["AnalyticsMetadata"] == {"AnalyticsEndpointId": "from-profile"}
    assert delivery["client_metadata"] == {"brand": "ProfileBrand", "lang": "en"}
