"""The command line: argument parsing, exit codes and output.

``cognito-console`` with no subcommand opens the TUI. Subcommands are the
headless side. Exit codes: 0 delivered / ok, 1 the call failed or its outcome
is unknown, 2 bad usage, bad config or bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from console import __version__
from console.commands import history_cmd, lookup_cmd, profiles_cmd, resend_cmd, sandbox_cmd

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage on one line with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {visible_line(message)}\n")


def visible_line(text: str) -> str:
    """Untrusted text for stderr: control characters escaped, one line."""
    from console.text import visible

    return visible(text)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used to check the README's usage)."""
    parser = _Parser(
        prog="cognito-console",
        description="A keyboard-driven console for Amazon Cognito user pools. "
        "With no subcommand, opens the TUI.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--config", metavar="PATH", help="config file (default: see README, 'Config file')"
    )
    parser.add_argument(
        "--profile", metavar="NAME", help="profile to use (default: console.default_profile)"
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="start an embedded sandbox on a free loopback port and open the TUI on it",
    )
    parser.add_argument(
        "--debug", action="store_true", help="log debug output to stderr (secrets redacted)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    resend_cmd.add_parser(sub)
    lookup_cmd.add_parser(sub)
    history_cmd.add_parser(sub)
    profiles_cmd.add_parser(sub)
    sandbox_cmd.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from console.logging_setup import configure_logging, debug_log_path

    handler = getattr(args, "handler", None)
    if handler is None:
        from console.tui.launch import run_tui

        log_file = debug_log_path() if args.debug else None
        configure_logging(debug=args.debug, log_file=log_file)
        code = run_tui(args)
        if log_file is not None:
            print(f"debug log: {log_file}", file=sys.stderr)
        return code
    configure_logging(debug=args.debug)
    from console.commands.common import CommandError

    try:
        return int(handler(args))
    except CommandError as exc:
        print(visible_line(str(exc)), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
