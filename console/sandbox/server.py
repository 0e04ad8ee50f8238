"""The sandbox: starting, describing and stopping a local Cognito endpoint.

:func:`start_sandbox` seeds a demo pool in moto's state and serves moto's
server app behind our WSGI layer (:mod:`console.sandbox.wsgi`, which answers
ResendConfirmationCode itself) with werkzeug's threaded server, one thread
per connection. :class:`Sandbox` is the running sandbox's handle.

moto and werkzeug are imported inside :func:`start_sandbox`, so importing
this module stays cheap for the CLI and the TUI.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from console.sandbox.channels import Channels
from console.sandbox.codes import CodeStore
from console.sandbox.delivering import Courier
from console.sandbox.faults import ServiceError
from console.sandbox.info import SandboxClient, SandboxInfo
from console.sandbox.injected_faults import Fault, FaultSwitch
from console.sandbox.outbox import Outbox
from console.sandbox.resend import ResendService
from console.sandbox.startup import (
    check_options,
    check_region,
    endpoint_url,
    open_channels,
    open_demo,
)
from console.sandbox.state_file import StateError, StateStore
from console.sandbox.trigger import DEFAULT_TIMEOUT_S, TriggerRunner
from console.sandbox.wsgi import SandboxApp, quiet_request_handler, shared_moto_app
from console.triggers.invocation import InvocationLog

if TYPE_CHECKING:
    from werkzeug.serving import BaseWSGIServer

    from console.sandbox.seed import DemoPool

__all__ = ["Sandbox", "SandboxClient", "SandboxInfo", "start_sandbox"]


class Sandbox:
    """A running sandbox: its description, its outbox and its controls."""

    def __init__(
        self,
        *,
        demo: DemoPool,
        outbox: Outbox,
        latency_ms: int,
        fault: Fault | None = None,
        state: StateStore | None = None,
        invocations: InvocationLog | None = None,
        courier: Courier | None = None,
        channels: Channels | None = None,
    ) -> None:
        self.demo = demo
        self._invocations = invocations
        self._courier = courier
        self.channels = channels or Channels(demo.moto_pool.account_id, demo.region)
        self._state = state
        self._outbox = outbox
        self._faults = FaultSwitch(fault)
        self._endpoint_url = ""
        self._latency_s = latency_ms / 1000
        self._stopped = threading.Event()
        self._stop_lock = threading.Lock()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def _serve(self, server: BaseWSGIServer, endpoint_url: str) -> None:
        self._server = server
        self._endpoint_url = endpoint_url
        # serve_forever polls for shutdown every poll_interval: short, so stop() is quick.
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sandbox-{server.port}",
            daemon=True,
        )
        self._thread.start()

    @property
    def info(self) -> SandboxInfo:
        """Where the sandbox listens, its pool, clients and users (added ones included)."""
        return SandboxInfo(
            endpoint_url=self._endpoint_url,
            region=self.demo.region,
            user_pool_id=self.demo.pool_id,
            clients=tuple(
                SandboxClient(c.name, c.client_id, c.client_secret) for c in self.demo.clients
            ),
            users=self.demo.usernames,
        )

    def outbox(self) -> list[dict[str, object]]:
        """Deliveries so far, oldest first."""
        return self._outbox.deliveries()

    def invocations(self) -> list[dict[str, object]]:
        """The trigger's invocations so far (the last 500), oldest first; [] without a trigger."""
        return [] if self._invocations is None else self._invocations.to_json()

    def repeat_last(self, request_id: str) -> dict[str, object]:
        """Send the last code again, the same way (see :meth:`Courier.repeat`)."""
        if self._courier is None:
            raise ServiceError("ResourceNotFoundException", "This sandbox cannot repeat requests.")
        return self._courier.repeat(request_id)

    def received(self) -> list[dict[str, object]]:
        """Every ResendConfirmationCode body as received (parsed JSON), oldest first."""
        return self._outbox.received()

    def simulated(self) -> list[dict[str, object]]:
        """Answers made up for unknown users under PreventUserExistenceErrors (nothing sent)."""
        return self._outbox.simulated()

    def record_received(self, body: object) -> None:
        """Keep one request body (called by the WSGI layer)."""
        self._outbox.add_received(body)

    def add_user(
        self,
        username: str,
        *,
        email: str | None = None,
        phone_number: str | None = None,
        confirmed: bool = False,
        enabled: bool = True,
    ) -> None:
        """Create a user in the demo pool (ValueError if the name is taken)."""
        self.demo.add_user(
            username, email=email, phone_number=phone_number, confirmed=confirmed, enabled=enabled
        )

    def set_latency_ms(self, ms: int) -> None:
        """Delay every ResendConfirmationCode answer by *ms* milliseconds from now on."""
        if ms < 0:
            raise ValueError("latency must be >= 0 ms")
        self._latency_s = ms / 1000

    def set_fault(
        self,
        kind: str,
        *,
        code: str = "",
        message: str = "",
        status: int | None = None,
        count: int | None = None,
    ) -> None:
        """Answer the next *count* resends (None: every one, until cleared) with a fault.

        *kind* is one of :data:`~console.sandbox.injected_faults.FAULT_KINDS`;
        ``error`` echoes *code* and *message*. ValueError for a bad kind or count.
        """
        self.arm_fault(Fault(kind, code, message, status), count)

    def arm_fault(self, fault: Fault | None, count: int | None = None) -> None:
        """Arm *fault* (None clears) for the next *count* answers, or all."""
        self._faults.set(fault, count)

    def clear_fault(self) -> None:
        """Answer normally again."""
        self._faults.set(None)

    def take_fault(self) -> Fault | None:
        """The fault for the answer being made, if one is armed (called by the WSGI layer)."""
        return self._faults.take()

    def fault_state(self) -> dict[str, object]:
        """What is armed: ``{"fault": {...} | None, "remaining": N | None}``."""
        return self._faults.state()

    def wait_latency(self, started: float) -> None:
        """Hold an answer until the configured latency has passed since *started*."""
        remaining = self._latency_s - (time.monotonic() - started)
        if remaining > 0:
            # Event.wait rather than sleep: stop() releases answers still held.
            self._stopped.wait(remaining)

    def scenario(self) -> dict[str, object]:
        """The delivery channels' setup (``GET /_sandbox/scenario``)."""
        return self.channels.to_json()

    def apply_scenario(self, body: object) -> None:
        """Change the channels' setup: a body of ``POST /_sandbox/scenario`` (ValueError if bad).

        ``{"name": "ses-sandbox"}`` applies a named scenario (channels.SCENARIOS).
        """
        if not isinstance(body, dict):
            raise ValueError("the scenario must be a JSON object")
        self.channels.apply(body)

    def stop(self) -> None:
        """Stop serving, close the socket and drop the demo pool. Safe to call twice."""
        with self._stop_lock:
            if self._stopped.is_set():
                return
            self._stopped.set()
            if self._server is not None:
                self._server.shutdown()
                self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            try:
                self.save_state()
            finally:
                self.demo.remove()

    def save_state(self) -> None:
        """Write the pool's ids, secret and users to the state folder (if one was given).

        Called on every stop; StateError if the file cannot be written.
        """
        if self._state is not None:
            self._state.save(self.demo.snapshot())

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_sandbox(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    custom_message_trigger: str | None = None,
    latency_ms: int = 0,
    rate_limit: float | None = None,
    region: str = "us-east-1",
    users: int = 0,
    trigger_timeout_s: float = DEFAULT_TIMEOUT_S,
    trigger_python: str | None = None,
    trigger_env_file: str | None = None,
    fault: Fault | None = None,
    clock: Callable[[], float] = time.time,
    state_dir: str | os.PathLike[str] | None = None,
    scenarios: tuple[str, ...] = (),
) -> Sandbox:
    """Seed a demo pool and serve it; return once the server accepts connections.

    *port* 0 picks a free port. *custom_message_trigger* is ``PATH:EXPORT``, a
    ``.py`` function or a ``.js``/``.mjs``/``.cjs`` export, run in a child
    process per call with *trigger_python* (default: the first ``python3`` on
    PATH outside our venv) or ``node``, the *trigger_env_file* values in its
    environment, killed after *trigger_timeout_s* (Cognito: 5 s, 3 attempts);
    TriggerSpecError (a ValueError, one line) if it cannot be run. *users* seeds that
    many extra UNCONFIRMED users ``user0001``... *fault* answers every resend
    with that fault until cleared (see :meth:`Sandbox.set_fault`). *clock*
    (seconds, ``time.time`` by default) dates the codes the sandbox sends: a
    test passes its own and moves it to expire them. Raises ValueError for a
    negative latency or user count, a rate limit <= 0 or an unknown region,
    OSError if the address cannot be bound (port taken, host not local).

    *state_dir* keeps the pool id, client ids, the client secret and the
    users across restarts: the first start writes them to
    ``DIR/sandbox-state.json`` (0600, in a 0700 folder), later starts reuse
    them, and every stop saves the users as they are. StateError (a
    ValueError, one line naming the file) when the folder or the file cannot
    be used; an unusable file is never replaced.

    *scenarios* are names from :data:`~console.sandbox.channels.SCENARIOS`
    (``ses-sandbox``, ``cognito-default-exhausted``...) applied at start.
    """
    check_options(latency_ms=latency_ms, users=users, rate_limit=rate_limit, scenarios=scenarios)
    trigger = (
        TriggerRunner.from_spec(
            custom_message_trigger,
            timeout_s=trigger_timeout_s,
            python=trigger_python,
            env_file=trigger_env_file,
            region=region,
        )
        if custom_message_trigger
        else None
    )
    from werkzeug.serving import make_server, select_address_family

    from console.sandbox.channel_moto import ChannelGuard
    from console.sandbox.channel_ops import ChannelService
    from console.sandbox.denials import with_denials
    from console.sandbox.http_layer import CorsLayer
    from console.sandbox.moto_state import MotoDirectory
    from console.sandbox.operations import moto_wrappers, own_operations

    moto_app = shared_moto_app()
    check_region(region)
    store = None if state_dir is None else StateStore(state_dir)
    saved = None
    if store is not None:
        store.prepare()
        saved = store.load()
        if saved is not None and saved.region != region:
            raise StateError(
                f"sandbox state {store.path} is for region {saved.region}, not {region}: "
                f"start with --region {saved.region} or another --state-dir"
            )
    # We bind the socket ourselves: werkzeug's own bind prints to stderr and calls
    # sys.exit(1) when the port is taken, which must not end an embedding TUI.
    listener = socket.create_server(
        (host, port), family=select_address_family(host, port), backlog=128
    )
    try:
        demo = open_demo(region, users, custom_message_trigger, store, saved)
        outbox = Outbox()
        codes = CodeStore(clock)
        directory = MotoDirectory()
        channels, moto_channels = open_channels(demo, clock, scenarios)
        guard = ChannelGuard(moto_channels, clock)
        courier = Courier(outbox, codes, trigger=trigger, guard=guard)
        service = ResendService(
            directory,
            outbox,
            trigger=trigger,
            rate_limit=rate_limit,
            codes=codes,
            courier=courier,
            guard=guard,
        )
        sandbox = Sandbox(
            courier=courier,
            demo=demo,
            outbox=outbox,
            latency_ms=latency_ms,
            fault=fault,
            state=store,
            invocations=None if trigger is None else trigger.log,
            channels=channels,
        )
        operations = own_operations(directory, courier, moto_channels)
        inner = SandboxApp(
            moto_app,
            service,
            sandbox,
            operations,
            moto_wrappers(courier, moto_channels),
            ChannelService(channels, moto_channels, moto_app),
        )
        # One denial layer in front of every service: the scenario's denied actions
        # and the denied test keys' (admin reads, CloudWatch Logs). Logs calls it
        # lets through are served by ChannelService from moto's logs backend, the
        # one the trigger's logs are written to (lambda_logs.write_invocation_logs).
        app = CorsLayer(with_denials(inner, denied_actions=lambda: channels.denied))
        try:
            server = make_server(
                host,
                port,
                app,
                threaded=True,
                request_handler=quiet_request_handler(),
                fd=listener.fileno(),
            )
        except BaseException:
            demo.remove()
            raise
    finally:
        listener.close()  # werkzeug listens on its own duplicate of the socket
    sandbox._serve(server, endpoint_url(host, server.port))
    return sandbox
