"""The command line: argument parsing, exit codes and output.

``cognito-console`` with no subcommand opens the TUI. Subcommands are the
headless side. Exit codes: 0 delivered / ok, 1 the call failed or its outcome
is unknown, 2 bad usage, bad config or bad input, 130 interrupted, 141 the
reader of the output went away (``| head``), as for a program SIGPIPE ends.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from console import __version__

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell shows for a program a closed pipe ended

# Subcommand → the module under console.commands that adds its parser, in
# --help order. sandbox_cmd adds two (sandbox and sandbox-outbox).
_COMMANDS: dict[str, str] = {
    "resend": "resend_cmd",
    "lookup": "lookup_cmd",
    "doctor": "doctor_cmd",
    "history": "history_cmd",
    "profiles": "profiles_cmd",
    "team": "team_cmd",
    "sandbox": "sandbox_cmd",
    "sandbox-outbox": "sandbox_cmd",
    "sandbox-invocations": "invocations_cmd",
    "trigger": "trigger_cmd",
}
NO_COMMAND = ""
"""What :func:`_named_command` answers for argv with top-level options only."""
# Top-level options that take a value (for finding the subcommand in argv).
_VALUE_OPTIONS = (
    "--config",
    "--team-port",
    "--profile",
    "--custom-message-trigger",
    "--trigger-python",
    "--trigger-env-file",
)


class _Retry(Exception):
    """Raised by a parser built for one subcommand: parse again with the full parser."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage on one line with exit code 2."""

    narrow = False
    """Set on a parser that knows one subcommand only: its errors are redone by the full one."""

    def error(self, message: str) -> None:  # type: ignore[override]
        if self.narrow:
            raise _Retry(message)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {visible_line(message)}\n")


def visible_line(text: str) -> str:
    """Untrusted text for stderr: control characters escaped, one line."""
    from console.text import visible

    return visible(text)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a TCP port: {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port (1-65535): {value}")
    return value


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full argument parser (also used to check the README's usage).

    With *only*, a subcommand name, the parser knows that subcommand alone and
    imports no other subcommand module: what ``main`` uses when argv names one.
    With *only* :data:`NO_COMMAND` it knows the top-level options alone: what
    opening the TUI needs.
    """
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
        "--team",
        dest="sandbox_team",
        action="store_true",
        help="with --sandbox: team mode; every TUI started so shares one sandbox "
        "(the first starts it, the others join) and one team history on it",
    )
    parser.add_argument(
        "--team-port",
        type=_port,
        metavar="PORT",
        help="with --sandbox --team: the loopback port the consoles meet on (default: 9229)",
    )
    from console.triggers.options import add_trigger_options

    add_trigger_options(parser, embedded=True)
    parser.add_argument(
        "--debug", action="store_true", help="log debug output to stderr (secrets redacted)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    if only is None:
        modules = list(dict.fromkeys(_COMMANDS.values()))
    else:
        modules = [_COMMANDS[only]] if only != NO_COMMAND else []
    for name in modules:
        module = importlib.import_module(f"console.commands.{name}")
        adder = getattr(module, "add_parsers", None) or module.add_parser
        adder(sub)
    # The subcommand's own parser is the same either way; only the top level
    # (its choices, its help) differs, so only its errors are redone.
    parser.narrow = only is not None
    return parser


def _named_command(argv: Sequence[str]) -> str | None:
    """The subcommand *argv* names, when that is certain; None means "build the full parser".

    Only top-level options may come before it; any help option, or anything
    this does not recognise, gives None. Top-level options and nothing else
    give :data:`NO_COMMAND` (the TUI).
    """
    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if not word.startswith("-"):
            return word if word in _COMMANDS else None
        if word == "--" or word.startswith(("-h", "--h")):
            return None
        if len(word) > 2 and "=" not in word and word != "--team":  # a flag, not --team-port
            # --config PATH, or an abbreviation: --conf PATH
            skip = any(name.startswith(word) for name in _VALUE_OPTIONS)
    return None if skip else NO_COMMAND  # a value option without its value: let the full one say


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse with a parser for the named subcommand only, or the full one.

    Building every subcommand's parser imports their modules; a one-shot
    ``resend`` needs just its own. Any problem in the narrow parse is parsed
    again with the full parser, so messages and help are the full parser's.
    """
    tokens = sys.argv[1:] if argv is None else list(argv)
    only = _named_command(tokens)
    if only is not None:
        try:
            return build_parser(only).parse_args(tokens)
        except _Retry:
            pass
    return build_parser().parse_args(tokens)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the process exit code."""
    args = _parse(argv)
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
    if args.sandbox_team or args.team_port is not None:
        print("cognito-console: --team goes with --sandbox, without a subcommand", file=sys.stderr)
        return EXIT_USAGE
    from console.commands.common import CommandError

    try:
        code = int(handler(args))
        sys.stdout.flush()  # a reader gone since the last line shows up here, not at exit
        return code
    except CommandError as exc:
        for line in str(exc).split("\n"):  # a config error lists each problem on its line
            print(visible_line(line), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `history --json | head`: the reader has what it wanted. Whatever is
        # still buffered goes nowhere, so exit does not raise the same again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_PIPE_CLOSED


def run() -> None:
    """The installed ``cognito-console`` command: :func:`main`, then exit.

    After a headless command the process leaves with ``os._exit`` once every
    other exit handler has run (threads joined, logs flushed): the
    interpreter's teardown, freeing every module and object and one last full
    garbage collection, was ~100 M instructions, 7% of a one-shot resend,
    spent on memory the system takes back anyway. Everything the commands
    write (history, exports, output) is closed and flushed before they
    return. The TUI, and a run that ends in an exception, exit as usual.
    """
    code: list[int] = []
    if _named_command(sys.argv[1:]) not in (None, NO_COMMAND):
        atexit.register(_skip_teardown, code)  # registered first: runs after the others
    code.append(main())
    sys.exit(code[0])


def _skip_teardown(code: list[int]) -> None:
    if not code:
        return  # main() raised (argparse's usage exit too): leave as usual
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed by the reader, or the command
            stream.flush()
    os._exit(code[0])
