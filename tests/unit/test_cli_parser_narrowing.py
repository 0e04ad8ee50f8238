"""The command line builds only the named subcommand's parser, and behaves as the full one.

``main`` looks for the subcommand in argv; when it is certain which one it
is, the parser it builds knows that subcommand only (its module is the only
one imported). Help, usage errors and parsed values must be exactly the full
parser's.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from console import cli


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["resend", "-u", "alice"], "resend"),
        (["--config", "c.toml", "resend"], "resend"),
        (["--config=c.toml", "--profile", "prod", "resend", "-u", "x"], "resend"),
        (["--conf", "resend", "history"], "history"),  # --conf takes a value: "resend"
        (["--profile", "history", "profiles"], "profiles"),
        (["--debug", "sandbox", "--port", "0"], "sandbox"),
        (["sandbox-outbox", "--endpoint-url", "http://x"], "sandbox-outbox"),
        ([], cli.NO_COMMAND),
        (["--sandbox"], cli.NO_COMMAND),
        (["--sandbox", "--team"], cli.NO_COMMAND),  # --team is a flag, not --team-port
        (["--sandbox", "--team", "--team-port", "9300"], cli.NO_COMMAND),
        (["--team-p", "history", "profiles"], "profiles"),  # --team-p takes a value
        (["--config", "c.toml", "--profile=p", "--debug"], cli.NO_COMMAND),
        (["--help", "resend"], None),
        (["-h"], None),
        (["--he", "resend"], None),
        (["bogus", "resend"], None),
        (["--", "resend"], None),
        (["--config"], None),
    ],
)
def test_which_subcommand_argv_names(argv: list[str], expected: str | None) -> None:
    assert cli._named_command(argv) == expected


def _outcome(
    parser: argparse.ArgumentParser, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[object, str, str]:
    """What parsing *argv* gives: the values, or the exit; and what was printed."""
    try:
        result: object = vars(parser.parse_args(argv))
    except SystemExit as exc:
        result = ("exit", exc.code)
    except cli._Retry:
        result = "retry"
    captured = capsys.readouterr()
    return result, captured.out, captured.err


SAME_AS_FULL = [
    ["resend", "-u", "alice", "--json", "--meta", "k=v"],
    ["--config", "c.toml", "--profile", "p", "resend", "--username", "bob"],
    ["--debug", "history", "--limit", "5"],
    ["profiles", "--json"],
    ["sandbox", "--port", "0", "--users", "3"],
    ["resend", "--help"],
    ["history", "export", "--help"],
    ["resend", "--bogus"],
    ["resend", "--from-file", "f.txt", "--rate", "fast"],
    [],
    ["--sandbox", "--profile", "p"],
    ["--config", "c.toml", "--debug"],
    ["--version"],
    ["--sandbox", "--bogus"],
    ["--conf", "c.toml", "--sand"],
]


@pytest.mark.parametrize("argv", SAME_AS_FULL, ids=" ".join)
def test_the_narrow_parser_parses_as_the_full_one(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    name = cli._named_command(argv)
    assert name is not None
    narrow = _outcome(cli.build_parser(name), argv, capsys)
    full = _outcome(cli.build_parser(), argv, capsys)
    if narrow[0] == "retry":  # main() parses again with the full parser
        return
    narrow_result = narrow[0]
    full_result = full[0]
    if isinstance(narrow_result, dict) and isinstance(full_result, dict):
        # Handlers are the same functions; compare everything else by value.
        assert narrow_result.keys() == full_result.keys()
        assert {k: v for k, v in narrow_result.items() if k != "handler"} == {
            k: v for k, v in full_result.items() if k != "handler"
        }
        assert narrow_result.get("handler") is full_result.get("handler")
    else:
        assert narrow == full


@pytest.mark.parametrize(
    "argv",
    [
        ["--bogus", "resend", "-u", "x"],
        ["--config"],
        ["resend", "extra-positional", "-u", "x"],
        ["--sandbox", "resend", "-u", "x", "--version-typo"],
        ["--sandbox", "--bogus"],
        ["--debug", "-x"],
    ],
    ids=" ".join,
)
def test_usage_errors_read_as_the_full_parser_s(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as from_main:
        cli.main(argv)
    via_main = capsys.readouterr()
    with pytest.raises(SystemExit) as from_full:
        cli.build_parser().parse_args(argv)
    via_full = capsys.readouterr()
    assert from_main.value.code == from_full.value.code == 2
    assert via_main.err == via_full.err
    assert via_main.out == via_full.out == ""


def test_top_level_help_still_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for name in ("resend", "lookup", "history", "profiles", "sandbox", "sandbox-outbox"):
        assert f"    {name}" in text


def test_a_narrow_parser_knows_one_subcommand() -> None:
    parser = cli.build_parser("resend")
    subcommands = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    assert sorted(subcommands.choices) == ["resend"]
    full = cli.build_parser()
    every = next(a for a in full._actions if isinstance(a, argparse._SubParsersAction))
    assert sorted(every.choices) == sorted(cli._COMMANDS)


def test_opening_the_tui_imports_no_subcommand_module() -> None:
    code = (
        "import sys; from console import cli; args = cli._parse(['--sandbox', '--debug']); "
        "assert args.sandbox and args.debug and getattr(args, 'handler', None) is None; "
        "print(sorted(m for m in sys.modules if m.startswith('console.commands')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
