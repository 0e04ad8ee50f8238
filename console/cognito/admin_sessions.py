"""Botocore sessions for the admin calls: an AWS CLI profile, the default chain, or fixed keys.

Apart from :mod:`console.cognito.admin_client` (the clients and their
failures) so each stays readable. Fixed keys are only ever used for a
loopback endpoint (the sandbox, an emulator) or in tests: never for AWS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = [
    "LOCAL_ACCESS_KEY",
    "SessionFactory",
    "credentials_found",
    "is_loopback",
    "new_session",
    "static_credentials",
]


SessionFactory = Callable[[str | None], Any]
"""Makes the botocore session for an AWS CLI profile name (None: the default chain)."""


def new_session(aws_profile: str | None = None) -> Any:
    """A botocore session for *aws_profile* (None: the default chain).

    It shares the resend gateway's data loader, so the service model is
    parsed once per process rather than once per session (0.3 s each).
    """
    import botocore.session

    from console.cognito.gateway import _shared_session

    session = botocore.session.Session(profile=aws_profile)
    session.register_component("data_loader", _shared_session().get_component("data_loader"))
    return session


def credentials_found(aws_profile: str | None) -> bool:
    """Whether admin calls would have credentials, found without a network probe.

    An ``aws_profile`` counts (a missing or broken one is a failure worth
    showing); the standard chain is asked without the instance metadata
    service, whose probe costs seconds where it does not answer.
    """
    if aws_profile is not None:
        return True
    try:
        session = new_session()
        resolver = session.get_component("credential_provider")
        resolver.remove("iam-role")
        return resolver.load_credentials() is not None
    except Exception:  # a broken shared file: the admin call will say what is wrong
        return True


LOCAL_ACCESS_KEY = "AKIDLOCALSANDBOX"
"""The dummy key admin reads to a loopback endpoint are signed with when no credentials exist."""


def is_loopback(endpoint_url: str | None) -> bool:
    """Whether *endpoint_url* names this machine (localhost or a loopback address)."""
    from ipaddress import ip_address
    from urllib.parse import urlsplit

    host = urlsplit(endpoint_url or "").hostname or ""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def static_credentials(access_key_id: str, secret_access_key: str) -> SessionFactory:
    """A session factory with fixed credentials, ignoring ``aws_profile``.

    For the local sandbox (moto accepts any key, e.g. ``--sandbox`` in the
    TUI, where the operator has no AWS credentials) and for tests; never for AWS.
    """

    def factory(_aws_profile: str | None) -> Any:
        session = new_session()
        session.set_credentials(access_key_id, secret_access_key)
        return session

    return factory
