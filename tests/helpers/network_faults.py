"""The network faults a resend can meet, and how to stage each one on loopback.

Shared by the CLI fault tests (tests/integration/test_faults_cli.py) and the
TUI ones (tests/tui/test_faults_tui.py): the same faults must end the same
way whichever side sends.

Where a fault comes from (:attr:`FaultCase.endpoint`):

- ``sandbox``: the sandbox's fault switch (:meth:`Sandbox.set_fault`), or its
  latency for ``read-timeout``;
- ``refused``: a loopback port nobody listens on (:func:`closed_port`);
- ``no-dns``: a name under ``.invalid`` refused in-process
  (:func:`refuse_invalid_names`), so no DNS query ever leaves the machine;
- ``backlog``: a listener whose backlog is full (:func:`full_backlog_port`):
  connects time out on loopback.

No fixtures here (they live in the test modules and conftest.py); these are
the functions they wrap.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from console.sandbox import Sandbox

CONNECT_TIMEOUT = 1.0
READ_TIMEOUT = 1.0
MAX_ATTEMPTS = 2
HANG_GUARD_S = (CONNECT_TIMEOUT + READ_TIMEOUT) * MAX_ATTEMPTS + 5
"""A hang guard, not a speed target: every timeout used up, plus 5 s."""
UNRESOLVABLE = "cognito.no-such-host.invalid"


@dataclass(frozen=True)
class FaultCase:
    """One fault and how it must end."""

    id: str
    endpoint: str
    """Where it comes from: ``sandbox``, ``refused``, ``no-dns`` or ``backlog``."""
    label: str
    """``failed`` or ``outcome unknown``: the first word(s) of the answer."""
    code: str
    status: int | None
    sent: int | None
    """How many requests reach the sandbox (None: none can)."""
    outcome: str
    """The history row's outcome."""

    @property
    def headline(self) -> str:
        """The answer's start: ``failed: InternalErrorException (HTTP 500)``."""
        status = f" (HTTP {self.status})" if self.status is not None else ""
        return f"{self.label}: {self.code}{status}"


FAULTS = [
    FaultCase("refused", "refused", "failed", "ConnectionRefused", None, None, "failed"),
    FaultCase("unresolvable-host", "no-dns", "failed", "DnsFailure", None, None, "failed"),
    FaultCase("connect-timeout", "backlog", "failed", "ConnectTimeout", None, None, "failed"),
    FaultCase("read-timeout", "sandbox", "outcome unknown", "ReadTimeout", None, 1, "unknown"),
    FaultCase(
        "internal", "sandbox", "failed", "InternalErrorException", 500, MAX_ATTEMPTS, "failed"
    ),
    FaultCase(
        "throttle", "sandbox", "failed", "TooManyRequestsException", 400, MAX_ATTEMPTS, "failed"
    ),
    FaultCase("html", "sandbox", "failed", "BadResponse", 502, MAX_ATTEMPTS, "failed"),
    FaultCase("empty", "sandbox", "outcome unknown", "BadResponse", 200, 1, "unknown"),
    FaultCase("not-json", "sandbox", "outcome unknown", "BadResponse", 200, 1, "unknown"),
    FaultCase("drop", "sandbox", "outcome unknown", "BadResponse", 200, 1, "unknown"),
    FaultCase("reset", "sandbox", "outcome unknown", "ConnectionDropped", None, 1, "unknown"),
]


def arm(sandbox: Sandbox, fault: FaultCase) -> None:
    """Make the sandbox answer the next resends with *fault* (nothing for other endpoints)."""
    if fault.id == "read-timeout":
        sandbox.set_latency_ms(int(READ_TIMEOUT * 1000) + 1500)
    elif fault.endpoint == "sandbox":
        sandbox.set_fault(fault.id)


def disarm(sandbox: Sandbox) -> None:
    """Answer normally again, without delay."""
    sandbox.clear_fault()
    sandbox.set_latency_ms(0)


def new_user(sandbox: Sandbox, prefix: str = "f") -> str:
    """A fresh UNCONFIRMED user with an email (per-user limits never bleed between tests)."""
    name = f"{prefix}-{uuid.uuid4().hex[:12]}"
    sandbox.add_user(name, email=f"{name}@example.com")
    return name


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released): connects are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def full_backlog_port() -> Iterator[int]:
    """A loopback port that listens but never accepts, its backlog full: connects time out.

    Skips the test where the backlog never fills (no connect timeout on that kernel).
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = int(listener.getsockname()[1])
    fillers: list[socket.socket] = []
    try:
        for _ in range(16):  # fill the queue until a connect times out
            filler = socket.socket()
            filler.settimeout(0.3)
            try:
                filler.connect(("127.0.0.1", port))
            except TimeoutError:
                filler.close()
                break
            fillers.append(filler)
        else:
            pytest.skip("the listen backlog never filled: no connect timeout on this kernel")
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def refuse_invalid_names(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names under .invalid fail to resolve, in-process (``socket.gaierror``).

    Returns the list of names refused, to prove the lookup went through the patch.
    """
    real = socket.getaddrinfo
    refused: list[str] = []

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.rstrip(".").endswith(".invalid"):
            refused.append(name)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return refused
