"""`cognito-console trigger invoke` and `trigger event`: a CustomMessage handler without a call.

``invoke`` runs the handler once, as the sandbox would (child process,
Lambda's environment, Cognito's time limit and checks), on the event the
sandbox would build, and prints the message as it would be delivered (the
code shown as ``123456``), the logs, the duration, or Cognito's error.
``event`` prints that event as JSON, for ``sam local invoke -e`` and unit
tests. Exit 0 when the trigger's answer is usable, 1 when Cognito would
refuse it, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from console.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, err, out, safe
from console.triggers.events import SOURCES

__all__ = ["add_parser", "run_event", "run_invoke"]

SAMPLE_CODE = "123456"
"""What stands for the code in a rendered message."""


def _meta(text: str) -> tuple[str, str]:
    key, eq, value = text.partition("=")
    if not eq or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def _event_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        required=True,
        choices=list(SOURCES),
        metavar="SOURCE",
        help="the trigger source: " + ", ".join(SOURCES),
    )
    parser.add_argument("--user", default="alice", help="the userName (default: alice)")
    parser.add_argument("--email", help="the user's email (default: USER@example.com)")
    parser.add_argument("--phone", help="the user's phone number, E.164 (the message goes by SMS)")
    parser.add_argument(
        "--meta",
        type=_meta,
        action="append",
        metavar="KEY=VALUE",
        help="a ClientMetadata entry (repeatable); without any, the event has no clientMetadata",
    )
    parser.add_argument("--region", default="us-east-1", help="the region (default: us-east-1)")


def add_parser(sub: Any) -> None:
    """Add the `trigger` subcommand with `invoke` and `event`."""
    from console.triggers.options import add_trigger_options

    trigger = sub.add_parser(
        "trigger",
        help="run a CustomMessage handler once, or print the event Cognito would send it",
        description="Work on a CustomMessage Lambda trigger without any call.",
    )
    actions = trigger.add_subparsers(dest="trigger_action", metavar="ACTION", required=True)
    invoke = actions.add_parser(
        "invoke",
        help="run the handler once and show its message, logs and duration",
        description="Run PATH:EXPORT (.py, .js, .mjs, .cjs) once in a child process on the "
        "event the sandbox would build; print the message, logs and duration.",
    )
    invoke.add_argument("handler_spec", metavar="PATH:EXPORT", help="the handler")
    _event_options(invoke)
    add_trigger_options(invoke, embedded=False, spec=False)
    invoke.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="kill and retry after SECONDS (default: 5, Cognito's)",
    )
    invoke.add_argument("--json", action="store_true", help="print the invocation record as JSON")
    invoke.set_defaults(handler=run_invoke)
    event = actions.add_parser(
        "event",
        help="print the event Cognito would send (JSON)",
        description="Print the CustomMessage event the sandbox would build, as JSON.",
    )
    _event_options(event)
    event.set_defaults(handler=run_event)


def _build(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    from console.triggers.samples import sample_event, sample_medium

    email = (
        args.email
        if args.email is not None
        else (None if args.phone else f"{args.user}@example.com")
    )
    event = sample_event(
        args.source,
        args.user,
        email=email,
        phone=args.phone,
        metadata=dict(args.meta) if args.meta else None,
        region=args.region,
    )
    return event, sample_medium(email, args.phone)


def run_event(args: argparse.Namespace) -> int:
    """Print the event as JSON (one object, indented)."""
    event, _ = _build(args)
    print(json.dumps(event, indent=2, ensure_ascii=True))
    return EXIT_OK


def run_invoke(args: argparse.Namespace) -> int:
    """Run the handler once; print what Cognito would make of it."""
    from console.triggers import TriggerSpecError, invoke, parse_spec

    if not 0 < args.timeout <= 900:
        err(f"cognito-console trigger invoke: --timeout must be > 0 and <= 900, got {args.timeout}")
        return EXIT_USAGE
    try:
        spec = parse_spec(
            args.handler_spec, python=args.trigger_python, env_file=args.trigger_env_file
        )
    except TriggerSpecError as exc:
        err(f"cognito-console trigger invoke: {safe(exc)}")
        return EXIT_USAGE
    event, medium = _build(args)
    record, message = invoke(spec, event, medium=medium, timeout_s=args.timeout)
    rendered = _rendered(record.message, args.user, medium) if message is not None else None
    if args.json:
        data = record.to_json()
        data["rendered"] = rendered
        print(json.dumps(data, ensure_ascii=True))
    else:
        _print(record.to_json(), rendered)
    return EXIT_OK if message is not None else EXIT_FAILED


def _rendered(
    message: dict[str, str | None] | None, user: str, medium: str
) -> dict[str, str | None]:
    message = message or {}

    def fill(text: str | None) -> str | None:
        if text is None:
            return None
        return text.replace("{####}", SAMPLE_CODE).replace("{username}", user)

    if medium == "EMAIL":
        return {
            "subject": fill(message.get("emailSubject")),
            "body": fill(message.get("emailMessage")),
        }
    return {"subject": None, "body": fill(message.get("smsMessage"))}


def _print(record: dict[str, Any], rendered: dict[str, str | None] | None) -> None:
    from console.commands.invocations_cmd import format_invocation
    from console.text import visible

    for line in format_invocation(record):
        out(line)
    if rendered is None:
        return
    out(f"  message ({safe(record.get('medium'))}, code shown as {SAMPLE_CODE}):")
    if rendered["subject"] is not None:
        out(f"    subject: {safe(rendered['subject'])}")
    if rendered["body"] is None:
        out("    (no message from the trigger: the pool's default would be sent)")
        return
    for line in visible(rendered["body"], keep_newlines=True).splitlines() or [""]:
        out(f"    {line}")
