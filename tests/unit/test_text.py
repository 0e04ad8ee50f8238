"""The one function that makes untrusted text safe to show."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from console.text import one_line, plural, visible
from tests.data.hostile import hostile_text, terminal_hazards


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


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\ufffe", "\\ufffe"),  # the last two code points of four-digit escapes
        ("\uffff", "\\uffff"),
        ("\U000f0000", "\\U000f0000"),  # private use, the first of eight digits
        ("\xad", "\\xad"),  # soft hyphen, the widest of the two-digit escapes
    ],
)
def test_each_escape_is_as_short_as_its_code_point_allows(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_multi_line_text_keeps_only_its_newlines() -> None:
    # A CR in a message body returns the cursor and overwrites the line on the
    # operator's terminal; a tab or NUL is below "\n" but not a line break.
    raw = "line one\rFAKE\nline two\x00\x08\x07\x0b\x0c\t\u2028\u2029end"
    assert visible(raw, keep_newlines=True) == (
        "line one\\x0dFAKE\nline two\\x00\\x08\\x07\\x0b\\x0c\\x09\\u2028\\u2029end"
    )


def test_keep_newlines_is_never_passed_by_position() -> None:
    # visible(text, True) would silently keep newlines in one-line contexts.
    with pytest.raises(TypeError):
        visible("a\nb", True)  # type: ignore[misc]


def test_one_line_keeps_text_that_fits_exactly() -> None:
    assert one_line("abcd", 4) == "abcd"
    assert one_line("abcde", 4) == "abc…"
    assert one_line("abc", 1) == "…"
    assert one_line("abc", 0) == "…"


@given(hostile_text)
@settings(max_examples=300, deadline=None)
def test_what_visible_returns_holds_no_terminal_hazard(text: str) -> None:
    # The oracle (tests/data/hostile.py) is written from the rule, not from
    # console.text: every C0 but newline and tab, DEL, C1, surrogates, Cf, Zl, Zp.
    assert terminal_hazards(visible(text)) == []
    assert "\n" not in visible(text) and "\t" not in visible(text)
    assert terminal_hazards(visible(text, keep_newlines=True)) == []
    assert visible(text, keep_newlines=True).count("\n") == text.count("\n")


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "0 attempts"), (1, "1 attempt"), (2, "2 attempts")]
)
def test_counts_read_as_words_not_attempt_s(count: int, shown: str) -> None:
    assert plural(count, "attempt") == shown
