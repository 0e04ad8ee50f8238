"""The one function that makes untrusted text safe to show."""

from __future__ import annotations

import pytest

from console.text import one_line, visible


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("\x1b]52;c;ZXZpbA==\x07", "\\x1b]52;c;ZXZpbA==\\x07"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("\x9b2J", "\\x9b2J"),
        ("a\u202eb", "a\\u202eb"),
        ("a\u200bb", "a\\u200bb"),
        ("\x00\x7f", "\\x00\\x7f"),
        ("\ud800", "\\ud800"),
        ("\u2028", "\\u2028"),
        ("\U000e0001", "\\U000e0001"),
    ],
)
def test_control_and_format_characters_become_visible_escapes(raw: str, shown: str) -> None:
    assert visible(raw) == shown


@pytest.mark.parametrize("text", ["[bold]x[/]", "josé", "名前 😀", "e\u0301", "שלום", " lead"])
def test_printable_text_is_unchanged(text: str) -> None:
    assert visible(text) == text


def test_newlines_kept_only_when_asked() -> None:
    assert visible("a\nb") == "a\\x0ab"
    assert visible("a\nb\x1b", keep_newlines=True) == "a\nb\\x1b"


def test_one_line_cuts_with_an_ellipsis() -> None:
    assert one_line("abcdef", 4) == "abc…"
    assert one_line("a\x1b", 10) == "a\\x1b"
