"""`cognito-console sandbox` and `cognito-console sandbox-outbox`.

``sandbox`` seeds a demo pool, serves a local Cognito endpoint and prints ONE
JSON line on stdout when it is ready (endpoint, region, pool, clients, users);
everything else goes to stderr. SIGINT or SIGTERM stop it with exit 0.
``sandbox-outbox`` prints what a running sandbox delivered.

moto and werkzeug are imported only when a sandbox starts: the CLI stays fast.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from types import FrameType
from typing import Any, TextIO, cast

from console.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    TerminalSafeStream,
    err,
    safe,
)
from console.commands.sandbox_lists import print_list
from console.triggers.options import add_trigger_options

__all__ = [
    "add_parsers",
    "format_delivery",
    "run_outbox",
    "run_sandbox",
]


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _port(text: str) -> int:
    value = _non_negative_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {value}")
    return value


def _positive_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of requests per second > 0, got {text}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 900:
        raise argparse.ArgumentTypeError(f"must be seconds > 0 and <= 900, got {text}")
    return value


def add_parsers(sub: Any) -> None:
    """Add the `sandbox` and `sandbox-outbox` subcommands."""
    parser = sub.add_parser(
        "sandbox",
        help="run a local Cognito endpoint with a demo pool (answers ResendConfirmationCode)",
        description="Serve a local Cognito-compatible endpoint (moto plus our "
        "ResendConfirmationCode) with a seeded demo pool. Prints one JSON line on stdout "
        "when ready; stop it with Ctrl+C or SIGTERM.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, loopback only)"
    )
    parser.add_argument(
        "--port", type=_port, default=9229, help="port to bind; 0 picks a free one (default: 9229)"
    )
    add_trigger_options(parser)
    parser.add_argument(
        "--trigger-timeout",
        type=_seconds,
        default=5.0,
        metavar="SECONDS",
        help="kill and retry a trigger call after SECONDS (default: 5, Cognito's)",
    )
    parser.add_argument(
        "--latency-ms",
        type=_non_negative_int,
        default=0,
        metavar="N",
        help="delay every ResendConfirmationCode answer by N milliseconds",
    )
    parser.add_argument(
        "--rate-limit",
        type=_positive_rate,
        metavar="RPS",
        help="answer TooManyRequestsException beyond RPS resends per second (all users)",
    )
    parser.add_argument(
        "--users",
        type=_non_negative_int,
        default=0,
        metavar="N",
        help="seed N extra UNCONFIRMED users user0001.. with emails (default: 0)",
    )
    parser.add_argument(
        "--region", default="us-east-1", help="region of the demo pool (default: us-east-1)"
    )
    parser.add_argument(
        "--state-dir",
        metavar="DIR",
        help="keep the pool id, client ids, secret and users in DIR across restarts "
        "(created 0700; the file holds a client secret)",
    )
    parser.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="NAME",
        help="start with a delivery problem (repeatable): ses, ses-sandbox, ses-sending-paused, "
        "ses-identity-unverified, sms-sandbox, no-origination-number, cognito-default-exhausted, "
        "email-configuration-failure, sms-configuration-failure, no-delivery-logs "
        "(later: POST /_sandbox/scenario)",
    )
    parser.add_argument(
        "--print-config",
        action="store_true",
        help="print a ready config (the sandbox's two profiles, as TOML) on stdout "
        "instead of the JSON ready line; append it to your config file",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="log every request on stderr",
    )
    parser.set_defaults(handler=run_sandbox)

    outbox = sub.add_parser(
        "sandbox-outbox",
        help="show what a running sandbox delivered",
        description="Print the deliveries (codes, destinations, messages) of a running "
        "sandbox, newest first.",
    )
    outbox.add_argument(
        "--endpoint-url", required=True, metavar="URL", help="the sandbox's endpoint_url"
    )
    outbox.add_argument(
        "--json",
        action="store_true",
        help='print {"deliveries": [...]} as JSON, oldest first (the text is newest first)',
    )
    outbox.set_defaults(handler=run_outbox)


def run_sandbox(args: argparse.Namespace) -> int:
    """Start the sandbox, print the ready line, serve until SIGINT/SIGTERM."""
    stop_requested = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop_requested.set()

    # Installed first: a signal during start-up also ends the process cleanly.
    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    # stdout carries exactly one line; anything else printed (a trigger's print,
    # a library's banner) goes to stderr, made safe: a trigger is the admin's
    # code fed by users' data, and its output reaches the admin's terminal.
    ready_stream: TextIO = sys.stdout
    error_stream: TextIO = sys.stderr
    sys.stdout = sys.stderr = cast("TextIO", TerminalSafeStream(error_stream))
    try:
        return _serve(args, ready_stream, stop_requested)
    finally:
        sys.stdout, sys.stderr = ready_stream, error_stream
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _serve(args: argparse.Namespace, ready_stream: TextIO, stop_requested: threading.Event) -> int:
    from console.sandbox import start_sandbox
    from console.triggers import TriggerSpecError

    if not args.custom_message_trigger:
        for flag, value in (
            ("--trigger-python", args.trigger_python),
            ("--trigger-env-file", args.trigger_env_file),
        ):
            if value:
                err(f"cognito-console sandbox: {flag} needs --custom-message-trigger")
                return EXIT_USAGE
    try:
        sandbox = start_sandbox(
            args.host,
            args.port,
            custom_message_trigger=args.custom_message_trigger,
            latency_ms=args.latency_ms,
            rate_limit=args.rate_limit,
            region=args.region,
            users=args.users,
            state_dir=getattr(args, "state_dir", None),
            trigger_python=args.trigger_python,
            trigger_env_file=args.trigger_env_file,
            trigger_timeout_s=args.trigger_timeout,
            scenarios=tuple(getattr(args, "scenario", None) or ()),
        )
    except TriggerSpecError as exc:
        err(f"cognito-console sandbox: cannot run the trigger: {exc}")
        return EXIT_USAGE
    except ValueError as exc:
        err(f"cognito-console sandbox: {exc}")
        return EXIT_USAGE
    except OSError as exc:
        reason = exc.strerror or str(exc)
        err(f"cognito-console sandbox: cannot listen on {args.host}:{args.port}: {reason}")
        return EXIT_FAILED
    if getattr(args, "verbose", False):
        _log_requests()
    try:
        with sandbox:
            return _announce_and_wait(
                sandbox, ready_stream, stop_requested, as_config=bool(args.print_config)
            )
    except ValueError as exc:  # the state could not be saved on stop (StateError)
        err(f"cognito-console sandbox: {exc}")
        return EXIT_FAILED


def _log_requests() -> None:
    """--verbose: the sandbox's per-request lines (logged at DEBUG) go to stderr."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("sandbox: %(message)s"))
    logger = logging.getLogger("console.sandbox")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # once, here: not again through the root logger


def profiles_toml(info: Any) -> str:
    """The sandbox's two profiles as a ready ``[profiles.*]`` block (TOML).

    The confidential client's secret is the sandbox's own (no AWS secret);
    ``hides_unknown_users`` says what the sandbox's clients do, so no AWS
    credentials are needed to know it.
    """
    public, confidential = info.client("public"), info.client("confidential")
    lines = ["# cognito-console sandbox profiles (lookups need no AWS credentials on loopback)"]
    for name, client, hides in (
        ("sandbox", public, False),
        ("sandbox-confidential", confidential, True),
    ):
        lines += [
            f"[profiles.{name}]",
            f"region = {json.dumps(info.region)}",
            f"user_pool_id = {json.dumps(info.user_pool_id)}",
            f"client_id = {json.dumps(client.client_id)}",
            f"endpoint_url = {json.dumps(info.endpoint_url)}",
            f"hides_unknown_users = {'true' if hides else 'false'}",
        ]
        if client.client_secret:
            lines.append(f"client_secret = {json.dumps(client.client_secret)}")
        lines.append("")
    return "\n".join(lines) + "\n"


def _announce_and_wait(
    sandbox: Any, ready_stream: TextIO, stop_requested: threading.Event, *, as_config: bool
) -> int:
    if stop_requested.is_set():
        return EXIT_OK  # stopped while starting: never announce a dying sandbox
    try:
        if as_config:
            ready_stream.write(profiles_toml(sandbox.info))
        else:
            ready_stream.write(json.dumps(sandbox.info.to_json()) + "\n")
        ready_stream.flush()
    except OSError as exc:  # stdout closed (e.g. piped into a reader that exited)
        err(f"cognito-console sandbox: cannot write the ready line: {exc.strerror or exc}")
        return EXIT_FAILED
    if sys.stderr.isatty():  # a person at a terminal: where it is and how to stop it
        err(f"sandbox listening on {sandbox.info.endpoint_url} · Ctrl+C stops it")
    # A timeout keeps the wait responsive even where signals wake it late.
    while not stop_requested.wait(0.5):
        pass
    return EXIT_OK


def format_delivery(delivery: dict[str, Any]) -> list[str]:
    """One delivery as a block of lines, every value made visible-safe."""

    def field(name: str) -> str:
        return safe(delivery.get(name))

    def mapping(name: str) -> str:
        value = delivery.get(name)
        if not value:
            return "-"
        if not isinstance(value, dict):
            return safe(value)
        return ", ".join(f"{safe(key)}={safe(item)}" for key, item in sorted(value.items()))

    lines = [
        f"{field('time')}  {field('medium')}  {field('user')} -> {field('destination')}",
        *(
            [f"  DROPPED:            {field('dropped_reason')} (Cognito said delivered)"]
            if delivery.get("status") == "dropped"
            else []
        ),
        f"  code:               {field('code')}",
        f"  attribute:          {field('attribute')}",
        f"  client id:          {field('client_id')}",
        f"  user pool:          {field('user_pool_id')}",
        f"  by trigger:         {'yes' if delivery.get('trigger') else 'no'}",
        f"  invocation:         {field('invocation_id') if delivery.get('invocation_id') else '-'}",
        f"  client metadata:    {mapping('client_metadata')}",
        f"  analytics metadata: {mapping('analytics_metadata')}",
    ]
    if delivery.get("subject") is not None:
        lines.append(f"  subject:            {field('subject')}")
    lines.append("  body:")
    from console.text import visible

    body = visible(str(delivery.get("body") or ""), keep_newlines=True)
    lines.extend(f"    {line}" for line in body.splitlines() or [""])
    return lines


def run_outbox(args: argparse.Namespace) -> int:
    """Print a running sandbox's outbox, newest first (``--json``: as served, oldest first)."""
    return print_list(
        "sandbox-outbox",
        args,
        "outbox",
        "deliveries",
        empty="(no deliveries yet)",
        formatter=format_delivery,
    )
