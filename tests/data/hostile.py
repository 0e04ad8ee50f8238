"""The hostile-input corpus, an independent oracle of the input rules, and hypothesis strategies.

Every value here goes through every input (username, metadata keys and values,
analytics endpoint id, the advanced fields, profile names and descriptions,
server error messages). For each one exactly one of two things must hold: it
is rejected with a message naming the field and the rule, or it is sent
exactly and shown literally. :func:`expected_problem` says which, from the
rules in ``shared/reference/cognito-resend.md`` -- written here again on
purpose rather than imported from ``console.cognito.request``, so a change
there that loosens or tightens a rule fails the suite instead of moving the
goalposts with it.

Also: :func:`terminal_hazards` finds the characters that must never reach a
terminal raw (every C0 control but newline and tab, DEL, C1, lone surrogates,
format characters, line and paragraph separators), for CLI output and TUI
output streams alike.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass

from hypothesis import strategies as st

__all__ = [
    "CORPUS",
    "FIELDS",
    "Case",
    "expected_problem",
    "hostile_text",
    "is_hazard",
    "raw_hazards",
    "screen_hazards",
    "terminal_hazards",
    "toml_string",
]


@dataclass(frozen=True, slots=True)
class Case:
    """One hostile value: a short id for test names, the value, and its family."""

    id: str
    value: str
    family: str  # markup | escape | invisible | shape


def _cases(family: str, items: dict[str, str]) -> list[Case]:
    return [Case(id, value, family) for id, value in items.items()]


CORPUS: tuple[Case, ...] = tuple(
    _cases(
        "markup",
        {
            "markup-bold": "[bold]x[/]",
            "markup-click-quit": "[@click=app.quit]x[/]",
            "markup-broken-close": "[/oops]",
            "markup-link-file": "[link=file:///etc/passwd]x[/]",
            "markup-template-vars": "$name${x}%s{0}",
            "markup-pre-escaped": "\\[bold]x\\[/]",
        },
    )
    + _cases(
        "escape",
        {
            "esc": "a\x1bb",
            "osc52-clipboard": "\x1b]52;c;aGVsbG8=\x07",
            "osc0-title": "\x1b]0;pwned\x07",
            "osc0-title-st": "\x1b]0;pwned\x1b\\",
            "csi-clear-screen": "\x1b[2J\x1b[H",
            "c1-csi": "\x9b2J",
            "c1-osc": "\x9d0;title\x9c",
            "c1-all": "".join(chr(c) for c in range(0x80, 0xA0)),
            "bel-bs-cr": "a\x07\x08\rb",
            "cr": "a\rb",
            "cr-overwrites-line": "delivered to you\rFAILED: send again to ",
            "bs": "ab\x08\x08c",
            "bel": "a\x07b",
            "vt-ff": "a\x0b\x0cb",
        },
    )
    + _cases(
        "invisible",
        {
            "bidi-override": "user\u202egnp.exe",
            "bidi-isolates": "\u2066x\u2069\u200f",
            "zero-width": "a\u200bb\u200c\u200d",
            "bom": "\ufeffa",
            "nul": "a\x00b",
            "del": "a\x7fb",
            "lone-surrogate": "a\ud800b",
            "newline": "a\nb",
            "tab": "a\tb",
            "line-separator": "a\u2028b",
            "paragraph-separator": "a\u2029b",
            "rlo": "abc\u202edef",
            "zero-width-space": "a\u200bb",
            "soft-hyphen-word-joiner": "a\u00ad\u2060b",
            "private-use": "\ue000x",
        },
    )
    + _cases(
        "shape",
        {
            "empty": "",
            "len-128": "x" * 128,
            "len-129": "y" * 129,
            "len-131072": "m" * 131_072,
            "len-131073": "n" * 131_073,
            "len-200000": "z" * 200_000,
            "emoji": "\U0001f600\U0001f44d\U0001f3fd",
            "emoji-zwj-family": "\U0001f468\u200d\U0001f469\u200d\U0001f467",
            "combining-marks": "e\u0301\u0301\u0327",
            "rtl-hebrew": "\u05e9\u05dc\u05d5\u05dd",
            "rtl-arabic": "\u0645\u0631\u062d\u0628\u0627",
            "leading-space": " lead",
            "trailing-space": "trail ",
            "inner-space": "a b",
            "nbsp": "a\u00a0b",
            "ipv6-scoped-escape": "fe80::1%\x1b[2J",
        },
    )
)

CORPUS_IDS = tuple(case.id for case in CORPUS)
assert len(set(CORPUS_IDS)) == len(CORPUS_IDS), "corpus ids must be unique"

FIELDS = (
    "username",
    "meta-key",
    "meta-value",
    "analytics-endpoint-id",
    "client-id",
    "ip-address",
    "encoded-data",
)
"""The request inputs, as the CLI names them (``--meta`` for both halves of a pair)."""

MAX_ID = 128
MAX_TEXT = 131_072
_USERNAME_CLASSES = frozenset("LMSNP")  # \p{L}\p{M}\p{S}\p{N}\p{P}


def _surrogate(value: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in value)


def _length(value: str, low: int, high: int) -> str | None:
    if _surrogate(value):
        return "lone surrogate"
    if len(value) < low:
        return "is required" if low == 1 else "at least"
    if len(value) > high:
        return f"must be at most {high:,} characters"
    return None


def expected_problem(field: str, value: str) -> str | None:
    """None if *value* must be accepted in *field*; else a fragment the rule's message must hold.

    For ``analytics-endpoint-id``, ``ip-address`` and ``encoded-data`` an empty
    value means "not sent" (accepted, member absent).
    """
    if field == "username":
        problem = _length(value, 1, MAX_ID)
        if problem:
            return problem
        if any(unicodedata.category(c)[0] not in _USERNAME_CLASSES for c in value):
            return "letters, marks, symbols, digits and punctuation only"
        return None
    if field == "meta-key":
        if value == "":
            return "must not be empty"
        return _length(value, 1, MAX_TEXT)
    if field == "meta-value":
        return _length(value, 0, MAX_TEXT)
    if field in ("analytics-endpoint-id", "encoded-data"):
        return None if value == "" else _length(value, 1, MAX_TEXT)
    if field == "client-id":
        problem = _length(value, 1, MAX_ID)
        if problem:
            return problem
        ok = all(c.isascii() and (c.isalnum() or c in "_+") for c in value)
        return None if ok else "ASCII letters, digits, '_' and '+' only"
    if field == "ip-address":
        if value == "":
            return None
        problem = _length(value, 1, MAX_TEXT)
        if problem:
            return problem
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return "must be an IPv4 or IPv6 address"
        return None
    raise ValueError(f"unknown field {field!r}")


# What must never reach a terminal raw, written from the project's rule (every
# C0 control but newline and tab, DEL, C1, lone surrogates, Unicode format
# characters: bidi controls, zero-width characters, the BOM, and the line and
# paragraph separators), not from console.text, so loosening the escaping
# there cannot loosen the check here.
_ALLOWED_CONTROLS = frozenset("\n\t")
_HAZARD_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})


def is_hazard(char: str) -> bool:
    """Whether one character must never reach a terminal raw."""
    code = ord(char)
    if char in _ALLOWED_CONTROLS:
        return False
    if code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF:
        return True
    return unicodedata.category(char) in _HAZARD_CATEGORIES


def terminal_hazards(text: str) -> list[str]:
    """Every character in *text* that must not reach a terminal raw, as ``U+XXXX``.

    Empty means safe. Flags every C0 control except ``\\n`` and ``\\t``
    (so CR, BS, BEL, NUL and ESC), DEL, C1, lone surrogates, format characters
    (Cf: bidi controls, zero-width characters, BOM) and U+2028/U+2029.
    """
    return [f"U+{ord(c):04X}" for c in text if is_hazard(c)]


# A terminal driver's own well-formed 7-bit sequences: CSI (ESC [ ... final),
# OSC (ESC ] ... BEL or ESC \\), and two-byte escapes (ESC =, ESC 7, ...).
_DRIVER_SEQUENCE = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]"
)


def raw_hazards(data: bytes, *, pty: bool = False, driver_sequences: bool = False) -> list[str]:
    """:func:`terminal_hazards` for raw terminal output (UTF-8; 8-bit C1 if not UTF-8).

    With *pty* the bytes were read from a pseudo-terminal, whose line
    discipline turns every newline into CR LF: only those CRs are allowed; a
    CR anywhere else is still a hazard. With *driver_sequences* the output
    is a full-screen app's: its well-formed 7-bit escape sequences are removed
    first and the text between them checked (the caller checks which OSC
    sequences were sent, and that each value was shown escaped).
    """
    if driver_sequences:
        data = _DRIVER_SEQUENCE.sub(b"", data)
    if pty:
        data = data.replace(b"\r\n", b"\n")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: a lone byte 0x80-0x9f would be an 8-bit C1 control to the terminal.
        return [
            f"0x{b:02x}" for b in data if (b < 0x20 and b not in b"\n\t") or 0x7F <= b <= 0x9F
        ] or ["not UTF-8"]
    return terminal_hazards(text)


def toml_string(value: str) -> str:
    """*value* as a TOML basic string (every non-printable character escaped)."""
    out = ['"']
    for char in value:
        code = ord(char)
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char.isprintable() and unicodedata.category(char) not in ("Cf", "Zl", "Zp"):
            out.append(char)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04X}")
        else:
            out.append(f"\\U{code:08X}")
    out.append('"')
    return "".join(out)


# -- hypothesis strategies ------------------------------------------------------

_FRAGMENTS = [case.value for case in CORPUS if len(case.value) < 100]

hostile_chars = st.characters(exclude_categories=())
"""Any code point: controls, format characters, lone surrogates and unassigned included."""

hostile_text: st.SearchStrategy[str] = st.one_of(
    st.sampled_from([case.value for case in CORPUS]),
    st.text(hostile_chars, max_size=40),
    st.lists(
        st.one_of(st.sampled_from(_FRAGMENTS), st.text(hostile_chars, max_size=5)),
        min_size=1,
        max_size=6,
    ).map("".join),
)
"""Corpus values, arbitrary text (any code point), and corpus fragments spliced together."""


def screen_hazards(text: str) -> list[str]:
    """:func:`terminal_hazards` for the text a TUI puts on screen (lone surrogates
    included: a real terminal driver cannot even encode those)."""
    return terminal_hazards(text)
