"""The hazard oracle itself: a check that lets a hazard through makes every
"terminal-safe" test in the suite pass for the wrong reason."""

from __future__ import annotations

import pytest

from tests.data.hostile import CORPUS, raw_hazards, terminal_hazards

MUST_FLAG = [
    *(chr(c) for c in range(0x20) if chr(c) not in "\n\t"),  # C0: NUL, BEL, BS, CR, ESC, ...
    "\x7f",  # DEL
    *(chr(c) for c in range(0x80, 0xA0)),  # C1
    "\ud800",
    "\udfff",  # lone surrogates
    "\u202e",
    "\u202a",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u200f",  # bidi controls
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\xad",  # zero-width and invisible format characters
    "\u2028",
    "\u2029",  # line and paragraph separators
]


@pytest.mark.parametrize("char", MUST_FLAG, ids=lambda c: f"U+{ord(c):04X}")
def test_every_hazard_is_flagged(char: str) -> None:
    assert terminal_hazards(f"a{char}b") == [f"U+{ord(char):04X}"]


@pytest.mark.parametrize("text", ["plain", "a\nb\tc", "名前 😀", "שלום", "e\u0301", "a\u00a0b"])
def test_text_a_terminal_may_show_is_not_flagged(text: str) -> None:
    assert terminal_hazards(text) == []


def test_the_corpus_holds_each_kind_of_hazard_the_rule_names() -> None:
    flagged = {h for case in CORPUS for h in terminal_hazards(case.value)}
    for code in ("U+000D", "U+0008", "U+0007", "U+001B", "U+007F", "U+009B", "U+D800"):
        assert code in flagged
    for code in ("U+202E", "U+200B", "U+FEFF", "U+2028", "U+2029", "U+00AD"):
        assert code in flagged


def test_raw_output_from_a_pty_allows_only_the_line_disciplines_cr() -> None:
    assert raw_hazards(b"a\r\nb\r\n", pty=True) == []
    assert raw_hazards(b"ok\rFAILED\r\n", pty=True) == ["U+000D"]
    assert raw_hazards(b"a\r\nb") == ["U+000D"]


def test_a_full_screen_apps_own_sequences_are_set_aside_but_not_c1() -> None:
    data = b"\x1b[2J\x1b[1;1H\x1b]22;pointer\x1b\\hello\x1b7\r\n"
    assert raw_hazards(data, pty=True, driver_sequences=True) == []
    assert raw_hazards("a\x9b2J".encode(), driver_sequences=True) == ["U+009B"]
    assert raw_hazards(b"a\x07b", driver_sequences=True) == ["U+0007"]
    assert raw_hazards(b"\x80") == ["0x80"]  # not UTF-8: an 8-bit C1 byte
