"""Network faults through `cognito-console resend`: each ends in a clear message, a
completed history row, and no wait beyond the configured timeouts.

Faults come from the sandbox's fault switch (``Sandbox.set_fault``), its
latency, a closed port, a listener whose backlog is full (connect timeout on
loopback), and a patched ``socket.getaddrinfo`` for the unresolvable host: it
raises ``socket.gaierror`` in-process, so no DNS query ever leaves the machine.

The elapsed-time bound is a hang guard, not a speed target:
(connect_timeout + read_timeout) x max_attempts + 5 s.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from console.cli import main
from console.cognito.errors import explain
from tests.data.hostile import terminal_hazards

if TYPE_CHECKING:
    from console.sandbox import Sandbox

CONNECT_TIMEOUT = 1.0
READ_TIMEOUT = 1.0
MAX_ATTEMPTS = 2
HANG_GUARD_S = (CONNECT_TIMEOUT + READ_TIMEOUT) * MAX_ATTEMPTS + 5
UNRESOLVABLE = "cognito.no-such-host.invalid"


@dataclass(frozen=True)
class Fault:
    id: str
    label: str  # "failed" or "outcome unknown": the first word(s) of the answer
    code: str
    status: int | None
    sent: int | None  # how many requests reach the sandbox (None: none can)
    outcome: str  # the history row's outcome


FAULTS = [
    Fault("refused", "failed", "ConnectionRefused", None, None, "failed"),
    Fault("unresolvable-host", "failed", "DnsFailure", None, None, "failed"),
    Fault("connect-timeout", "failed", "ConnectTimeout", None, None, "failed"),
    Fault("read-timeout", "outcome unknown", "ReadTimeout", None, 1, "unknown"),
    Fault("internal", "failed", "InternalErrorException", 500, MAX_ATTEMPTS, "failed"),
    Fault("throttle", "failed", "TooManyRequestsException", 400, MAX_ATTEMPTS, "failed"),
    Fault("html", "failed", "BadResponse", 502, MAX_ATTEMPTS, "failed"),
    Fault("empty", "outcome unknown", "BadResponse", 200, 1, "unknown"),
    Fault("not-json", "outcome unknown", "BadResponse", 200, 1, "unknown"),
    Fault("drop", "outcome unknown", "BadResponse", 200, 1, "unknown"),
    Fault("reset", "outcome unknown", "ConnectionDropped", None, 1, "unknown"),
]


@pytest.fixture(scope="module")
def fault_sandbox() -> Iterator[Sandbox]:
    """A sandbox of this module's own: faults and latency never reach other tests."""
    from console.sandbox import start_sandbox

    running = start_sandbox()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def full_backlog_port() -> Iterator[int]:
    """A loopback port that listens but never accepts, its backlog full: connects time out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
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


@pytest.fixture
def no_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names under .invalid fail to resolve, in-process: no query is sent anywhere.

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


def write_config(folder: Path, endpoint_url: str, sandbox: Sandbox) -> Path:
    info = sandbox.info
    path = folder / "cognito-console.toml"
    path.write_text(
        f"""
[console]
history_path = "{folder / "history.sqlite3"}"
connect_timeout = {CONNECT_TIMEOUT}
read_timeout = {READ_TIMEOUT}
max_attempts = {MAX_ATTEMPTS}

[profiles.p]
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{info.client("public").client_id}"
endpoint_url = "{endpoint_url}"
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def endpoint_for(
    request: pytest.FixtureRequest, fault_sandbox: Sandbox
) -> Iterator[Callable[[str], str]]:
    """Sets up fault *id* and returns the endpoint URL to call; undoes it afterwards."""

    def setup(fault_id: str) -> str:
        if fault_id == "refused":
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                return f"http://127.0.0.1:{sock.getsockname()[1]}"
        if fault_id == "unresolvable-host":
            request.getfixturevalue("no_dns")
            return f"http://{UNRESOLVABLE}:9229"
        if fault_id == "connect-timeout":
            return f"http://127.0.0.1:{request.getfixturevalue('full_backlog_port')}"
        if fault_id == "read-timeout":
            fault_sandbox.set_latency_ms(int(READ_TIMEOUT * 1000) + 1500)
        else:
            fault_sandbox.set_fault(fault_id)
        return fault_sandbox.info.endpoint_url

    try:
        yield setup
    finally:
        fault_sandbox.clear_fault()
        fault_sandbox.set_latency_ms(0)


def _run(config: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--config", str(config), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_fault_ends_in_a_clear_message_a_completed_row_and_no_hang(
    fault: Fault,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    fault_sandbox: Sandbox,
    endpoint_for: Callable[[str], str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(tmp_path, endpoint_for(fault.id), fault_sandbox)
    user = f"f-{uuid.uuid4().hex[:12]}"
    fault_sandbox.add_user(user, email=f"{user}@example.com")
    before = len(fault_sandbox.received())

    started = time.monotonic()
    code, out, err = _run(config, capsys, "resend", "--username", user)
    elapsed = time.monotonic() - started

    assert elapsed < HANG_GUARD_S, f"took {elapsed:.1f} s"
    assert code == 1
    assert terminal_hazards(out + err) == [] and "Traceback" not in err
    lines = out.splitlines()
    status = f" (HTTP {fault.status})" if fault.status is not None else ""
    assert lines[0].startswith(f"{fault.label}: {fault.code}{status}: "), lines[0]
    assert lines[1] == f"  meaning:    {explain(fault.code).meaning}"
    assert lines[2] == f"  what to do: {explain(fault.code).remedy}"
    assert "history #" in lines[-1]
    if fault.id == "unresolvable-host":
        assert UNRESOLVABLE in request.getfixturevalue("no_dns")
    if fault.sent is not None:
        # Retried only where nothing can have been sent; never where the code may be out.
        assert len(fault_sandbox.received()) - before == fault.sent

    code, out, _ = _run(config, capsys, "history", "--json")
    assert code == 0
    [row] = [json.loads(line) for line in out.splitlines()]
    assert row["outcome"] == fault.outcome != "pending"
    assert row["finished_at"] is not None
    assert row["error_code"] == fault.code
    assert row["username"] == user


def test_the_fault_switch_counts_down_then_answers_normally(
    tmp_path: Path, fault_sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, fault_sandbox.info.endpoint_url, fault_sandbox)
    user = f"f-{uuid.uuid4().hex[:12]}"
    fault_sandbox.add_user(user, email=f"{user}@example.com")
    fault_sandbox.set_fault("internal", count=1)  # one 500; the retry gets the real answer
    try:
        code, out, _ = _run(config, capsys, "resend", "--username", user)
    finally:
        fault_sandbox.clear_fault()
    assert code == 0
    assert out.startswith("delivered: EMAIL")
    assert fault_sandbox.fault_state() == {"fault": None, "remaining": None}
