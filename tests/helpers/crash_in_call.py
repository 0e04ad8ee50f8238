"""A bug forced into the call path, injected by tests (the product has no switch for it).

:func:`install` replaces :meth:`Gateway.resend` with one that raises before
anything is sent, with the client secret and the SecretHash in clear in its
frame's locals: what a crash prints (the CLI's traceback, the TUI's crash
report) can then be checked for them. In this process, use it through
``monkeypatch``; for a child process, run the console through this module:

    python -m tests.helpers.crash_in_call [cognito-console arguments...]
"""

from __future__ import annotations

import sys
from typing import Any

CRASH_MESSAGE = "forced failure in the call path (tests only)"
"""What the forced crash says, so a test can tell it happened."""


def crashing_resend(self: Any, settings: Any, request: Any, **kwargs: Any) -> Any:
    """Fail as a bug would, with the secret and the SecretHash in clear in this frame's locals."""
    _api_params = request.to_api_params()  # SecretHash in clear, as botocore gets it
    _client_secret = None if request.secret is None else request.secret.get_secret_value()
    raise RuntimeError(CRASH_MESSAGE)


def install(setattr_: Any = setattr) -> None:
    """Make every resend crash; pass ``monkeypatch.setattr`` to undo it after the test."""
    from console.cognito.gateway import Gateway

    setattr_(Gateway, "resend", crashing_resend)


if __name__ == "__main__":
    install()
    from console.cli import run

    sys.argv = ["cognito-console", *sys.argv[1:]]
    run()
