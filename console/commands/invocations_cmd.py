"""`cognito-console sandbox-invocations`: what a running sandbox's trigger did, newest first.

Each invocation: when, which source and user, the outcome (and the error
Cognito answered), the duration and the attempts, then the logs (Lambda's
START / output / END / REPORT lines) and the traceback of a failure.
Everything in a record came from the admin's handler: untrusted, shown
through ``text.visible``.
"""

from __future__ import annotations

import argparse
from typing import Any

from console.commands.common import safe
from console.commands.sandbox_lists import print_list
from console.text import plural

__all__ = ["add_parser", "format_invocation", "run"]


def add_parser(sub: Any) -> None:
    """Add the `sandbox-invocations` subcommand."""
    parser = sub.add_parser(
        "sandbox-invocations",
        help="show what a running sandbox's CustomMessage trigger did",
        description="Print the trigger invocations of a running sandbox (the last 500), "
        "newest first: event source, user, outcome, duration, attempts, logs, traceback.",
    )
    parser.add_argument(
        "--endpoint-url", required=True, metavar="URL", help="the sandbox's endpoint_url"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help='print {"invocations": [...]} as JSON, oldest first, every field',
    )
    parser.set_defaults(handler=run)


def _text(record: dict[str, Any], *keys: str) -> str:
    value: Any = record
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return safe(value if value is not None else "-")


def format_invocation(record: dict[str, Any]) -> list[str]:
    """One invocation as a block of lines, every value made visible-safe."""
    found = record.get("attempts")
    attempts: list[Any] = found if isinstance(found, list) else []
    outcome = safe(record.get("outcome"))
    if record.get("error_code"):
        outcome += f": {safe(record.get('error_code'))}: {safe(record.get('error_message'))}"
    duration = record.get("duration_ms")
    lines = [
        f"{_text(record, 'time')}  {_text(record, 'trigger_source')}  "
        f"{_text(record, 'event', 'userName')}  {_text(record, 'medium')}",
        f"  outcome:    {outcome}",
        f"  duration:   {safe(duration)} ms in {plural(len(attempts), 'attempt')}"
        if isinstance(duration, int | float)
        else f"  attempts:   {len(attempts)}",
        f"  handler:    {_text(record, 'handler')}",
        f"  id:         {_text(record, 'id')}",
    ]
    if record.get("note"):
        lines.append(f"  note:       {safe(record.get('note'))}")
    for attempt in attempts:
        if not isinstance(attempt, dict):
            continue
        lines.append(
            f"  attempt {safe(attempt.get('number'))}: {safe(attempt.get('outcome'))}, "
            f"{safe(attempt.get('duration_ms'))} ms"
        )
    logs = record.get("logs") if isinstance(record.get("logs"), list) else []
    if logs:
        lines.append("  logs:")
        # Lambda separates the fields of a log line with tabs: spaces read better.
        lines.extend(f"    {safe(str(line).replace(chr(9), '  '))}" for line in logs)
    if record.get("traceback"):
        lines.append("  traceback:")
        lines.extend(f"    {safe(line)}" for line in str(record["traceback"]).splitlines())
    return lines


def run(args: argparse.Namespace) -> int:
    """Print a running sandbox's trigger invocations."""
    return print_list(
        "sandbox-invocations",
        args,
        "invocations",
        "invocations",
        empty="(no trigger invocations yet: is the sandbox running with --custom-message-trigger?)",
        formatter=format_invocation,
    )
