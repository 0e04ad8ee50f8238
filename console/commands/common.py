"""What every headless subcommand shares: config and profile selection, errors, safe output."""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from console.config import AppConfig, Profile
    from console.history import History
    from console.usecases import AttemptResult

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """Ends a subcommand with a one-line message on stderr and an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def add_common_options(parser: argparse.ArgumentParser, *, profile: bool = True) -> None:
    """--config/--profile on a subcommand too; SUPPRESS keeps the top-level value."""
    parser.add_argument(
        "--config", metavar="PATH", default=argparse.SUPPRESS, help="config file to read"
    )
    if profile:
        parser.add_argument(
            "--profile",
            metavar="NAME",
            default=argparse.SUPPRESS,
            help="profile to use (default: console.default_profile)",
        )


def load_config(args: argparse.Namespace) -> AppConfig:
    """The config named by --config / the environment / the usual places, or exit 2."""
    from console.config import ConfigError
    from console.config import load_config as _load

    try:
        config = _load(getattr(args, "config", None))
    except ConfigError as exc:
        raise CommandError("\n".join(exc.lines)) from None  # every problem, one line each
    for warning in config.warnings:
        err(f"warning: {warning}")
    return config


def select_profile(config: AppConfig, name: str | None) -> tuple[str, Profile]:
    """The named (or default) profile, or exit 2 naming the ones there are."""
    from console.config import ConfigError

    try:
        return config.profile(name)
    except ConfigError as exc:
        raise CommandError(str(exc)) from None


def open_history(config: AppConfig, *, deferred: list[str] | None = None) -> History | None:
    """The history store; on failure go on without it (the call still happens).

    With *deferred*, the failure is appended there instead of printed, so the
    caller can print it after the API result, which it must never hide.
    """
    from console.history import History, HistoryError

    try:
        history = History.open(config.console.history_path, team=config.team is not None)
    except HistoryError as exc:
        text = str(exc)
        message = text if text.startswith("history not saved") else f"history not saved: {text}"
        if deferred is None:
            err(f"warning: {message}")
        else:
            deferred.append(message)
        return None
    for warning in history.warnings:
        err(f"warning: {warning}")
    if config.team is not None and config.team.operator:
        history.operator = config.team.operator
    return history


def safe(value: object) -> str:
    """A value as it may reach a terminal: control and format characters made visible."""
    from console.text import visible

    return visible("" if value is None else str(value))


def out(line: str = "", stream: TextIO | None = None) -> None:
    """Print one line to stdout: the CLI's one way to show text to the operator.

    Callers still pass values through :func:`safe` (so a newline inside a
    value cannot split a line); the whole line is made visible here as well,
    so a value a caller forgot cannot reach the terminal raw. :func:`safe`'s
    output passes through unchanged (it is already printable).
    """
    from console.text import visible

    print(visible(line, keep_newlines=True), file=stream or sys.stdout)


def err(line: str) -> None:
    """Print one line to stderr, made safe."""
    print(safe(line), file=sys.stderr)


class TerminalSafeStream(io.TextIOBase):
    """A text stream that makes whatever is written to it safe for a terminal.

    For output the CLI does not compose itself: an export shown on a terminal,
    whatever a trigger or a library prints while the sandbox runs. Newlines
    are kept (and CR LF read as one), every other control or format character
    is shown as an escape.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write *text* made visible; return its length as given."""
        from console.text import visible

        self._stream.write(visible(text.replace("\r\n", "\n"), keep_newlines=True))
        return len(text)

    def flush(self) -> None:
        """Flush the stream underneath."""
        self._stream.flush()

    def isatty(self) -> bool:
        """Whether the stream underneath is a terminal."""
        return self._stream.isatty()


def print_json(obj: dict[str, Any]) -> None:
    """One JSON object on one line; ensure_ascii escapes every control and non-ASCII character."""
    print(json.dumps(obj, ensure_ascii=True, sort_keys=False))


def result_json(result: AttemptResult, *, profile: str, username: str) -> dict[str, Any]:
    """The stable --json shape of one attempt."""
    outcome = result.outcome
    delivery = outcome.delivery
    error = outcome.error
    return {
        "outcome": outcome.kind.value,
        "profile": profile,
        "username": username,
        "delivery": None
        if delivery is None
        else {
            "medium": delivery.medium,
            "destination": delivery.destination,
            "attribute": delivery.attribute,
        },
        "error": None
        if error is None
        else {
            "code": error.code,
            "message": error.message,
            "http_status": error.http_status,
            "hint": error.remedy,
            "meaning": error.meaning,
        },
        "request_id": outcome.request_id,
        "latency_ms": outcome.latency_ms,
        "history_id": result.history_id,
        "may_be_simulated": outcome.may_be_simulated,
        "history_error": result.history_problem,
    }


def metadata_rows(defaults: dict[str, str], pairs: list[str]) -> tuple[list[tuple[str, str]], int]:
    """The profile's default ClientMetadata, each overridden by a --meta with the
    same key, then the --meta rows; and how many rows came from the profile."""
    given: list[tuple[str, str]] = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise CommandError(f"--meta: expected KEY=VALUE, got {safe(pair)}")
        given.append((key, value))
    given_keys = {key for key, _ in given}
    kept = [(k, v) for k, v in defaults.items() if k not in given_keys]
    return kept + given, len(kept)


_FLAG_NAMES = {
    "username": "--username",
    "client_id": "--client-id",
    "analytics_endpoint_id": "--analytics-endpoint-id",
    "ip_address": "--ip-address",
    "encoded_data": "--encoded-data",
}


def cli_field(field: str, *, profile_name: str = "", from_profile: int = 0) -> str:
    """A request field as the operator typed it: a flag, or the profile's config key.

    Metadata rows 1..from_profile came from ``profiles.NAME.client_metadata``;
    the rest from --meta, numbered as given.
    """
    if field.startswith("client_metadata["):
        index_text, _, rest = field[len("client_metadata[") :].partition("]")
        index = int(index_text) if index_text.isdigit() else 0
        if 0 < index <= from_profile:
            return f"profiles.{profile_name}.client_metadata[{index}]{rest}"
        return f"--meta[{index - from_profile}]{rest}"
    return _FLAG_NAMES.get(field, field)
