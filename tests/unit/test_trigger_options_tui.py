"""`cognito-console --sandbox --custom-message-trigger ...`: checked before the TUI opens."""

from __future__ import annotations

from pathlib import Path

from console.cli import build_parser, main
from console.tui.launch import build_app, check_trigger_options

HANDLER = Path(__file__).resolve().parents[1] / "data" / "triggers" / "node_esm" / "index.mjs"


def test_the_trigger_reaches_the_embedded_sandbox() -> None:
    args = build_parser().parse_args(
        ["--sandbox", "--custom-message-trigger", f"{HANDLER}:handler", "--trigger-env-file", "e"]
    )
    app = build_app(args)
    factory = app.start.sandbox_factory
    assert factory is not None
    assert factory.args == (f"{HANDLER}:handler", None, "e")  # type: ignore[attr-defined]


def test_problems_are_one_line_before_the_tui(capsys) -> None:  # type: ignore[no-untyped-def]
    parse = build_parser().parse_args
    assert check_trigger_options(parse([])) is None
    assert check_trigger_options(parse(["--custom-message-trigger", "x.mjs:h"])) == (
        "--custom-message-trigger needs --sandbox (or use the sandbox subcommand)"
    )
    assert check_trigger_options(parse(["--sandbox", "--trigger-python", "python3"])) == (
        "--trigger-python needs --custom-message-trigger"
    )
    assert main(["--sandbox", "--custom-message-trigger", "/nowhere/x.mjs:handler"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "cognito-console: cannot run the trigger: trigger file not found: /nowhere/x.mjs\n"
    )
