"""Fixtures shared by every test: a running sandbox, fresh users, a cognito client.

The sandbox is real: werkzeug serving moto plus our ResendConfirmationCode on
127.0.0.1, reached over HTTP by real boto3 clients. Nothing here talks to AWS.
"""

from __future__ import annotations

import signal
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from console.sandbox import Sandbox

_UNSET: Any = object()


@pytest.fixture(autouse=True)
def private_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Per-test XDG config/data/state/cache folders: no test reads or writes the real ones.

    The TUI saves a theme choice into the user's config file when the config
    came from nowhere else; the CLI's default history lives in the data dir.
    """
    base = tmp_path_factory.mktemp("xdg")
    for name in ("CONFIG", "DATA", "STATE", "CACHE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(base / name.lower()))
    return base


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt here, as in a terminal, whatever the runner inherited.

    A shell starts background jobs with SIGINT ignored, and Python keeps that:
    ``_thread.interrupt_main`` then does nothing and a Ctrl+C test sees no Ctrl+C.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def cognito_client_for(sandbox: Sandbox, **config: Any) -> Any:
    """An unsigned cognito-idp client for *sandbox*: one attempt, no credential lookup."""
    import boto3
    import botocore
    from botocore.config import Config

    settings: dict[str, Any] = {
        "signature_version": botocore.UNSIGNED,
        "retries": {"mode": "standard", "total_max_attempts": 1},
        "connect_timeout": 5,
        "read_timeout": 20,
    }
    settings.update(config)
    return boto3.client(
        "cognito-idp",
        endpoint_url=sandbox.info.endpoint_url,
        region_name=sandbox.info.region,
        config=Config(**settings),
    )


def admin_client_for(sandbox: Sandbox) -> Any:
    """A signed client with dummy credentials, for moto's admin operations."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "cognito-idp",
        endpoint_url=sandbox.info.endpoint_url,
        region_name=sandbox.info.region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # moto accepts any key
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A newcomer's machine: no AWS credentials anywhere (environment, files, metadata)."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """One sandbox for the whole session (demo pool, no trigger, no limits but per-user)."""
    from console.sandbox import start_sandbox

    running = start_sandbox()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def box() -> Iterator[Sandbox]:
    """A sandbox of this test's own, for tests that change its scenario or send a lot."""
    from console.sandbox import start_sandbox

    running = start_sandbox()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def cognito(sandbox: Sandbox) -> Any:
    """An unsigned boto3 cognito-idp client for the session sandbox."""
    return cognito_client_for(sandbox)


@pytest.fixture
def fresh_user(sandbox: Sandbox) -> Callable[..., str]:
    """A factory: a uniquely named UNCONFIRMED user with an email (per-user limits don't bleed).

    ``fresh_user()`` -> ``"u-3f2a..."`` with ``u-3f2a...@example.com``;
    ``fresh_user(email=None, phone_number="+1555...")`` for a phone-only user.
    """

    def make(
        *,
        email: str | None = _UNSET,
        phone_number: str | None = None,
        confirmed: bool = False,
        enabled: bool = True,
        prefix: str = "u",
    ) -> str:
        username = f"{prefix}-{uuid.uuid4().hex[:12]}"
        sandbox.add_user(
            username,
            email=f"{username}@example.com" if email is _UNSET else email,
            phone_number=phone_number,
            confirmed=confirmed,
            enabled=enabled,
        )
        return username

    return make


@pytest.fixture(scope="session")
def cognito_for() -> Callable[..., Any]:
    """A factory: ``cognito_for(other_sandbox, **botocore_config)`` -> unsigned client."""
    return cognito_client_for


@pytest.fixture(scope="session")
def admin_for() -> Callable[[Sandbox], Any]:
    """A factory: ``admin_for(sandbox)`` -> signed client (dummy keys) for admin calls."""
    return admin_client_for
