"""The fault tests' fixtures, shared by the CLI and TUI fault modules.

Loaded with ``pytest_plugins = ["tests.helpers.fault_fixtures"]`` in
tests/integration/test_faults_cli.py and tests/tui/test_faults_tui.py (the
two live under different conftest files). What they stage is in
:mod:`tests.helpers.network_faults`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.helpers.network_faults import full_backlog_port, refuse_invalid_names

if TYPE_CHECKING:
    from console.sandbox import Sandbox


@pytest.fixture(scope="module")
def fault_sandbox() -> Iterator[Sandbox]:
    """A sandbox of the test module's own: its faults and latency never reach other tests."""
    from console.sandbox import start_sandbox

    with start_sandbox() as running:
        yield running


@pytest.fixture
def backlog_port() -> Iterator[int]:
    """A loopback port whose connects time out (see :func:`full_backlog_port`)."""
    with full_backlog_port() as port:
        yield port


@pytest.fixture
def no_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names under .invalid fail in-process; returns the names refused."""
    return refuse_invalid_names(monkeypatch)
