"""Reading the users of a bulk resend from users.txt or users.csv.

- ``.csv``: the ``username`` column (any case; ``user_name`` and ``user name``
  too) when the first row is a header naming it; a first row of other header
  words (``email``, ``name``...) is skipped and the first column is used; with
  no header, the first column.
- anything else: one username per line; blank lines and lines starting with
  ``#`` are skipped.

Surrounding whitespace is removed (a username cannot hold any). A row whose
username breaks Cognito's rules, or repeats an earlier one, is kept as an
:class:`InvalidRow` (shown and counted, never sent), not an error. Errors that
stop the run (missing file, not UTF-8, nothing to send) are one
:class:`BulkInputError` line naming the file and, where it helps, the line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from console.cognito import RequestError, ResendRequest, build_request

if TYPE_CHECKING:
    from pydantic import SecretStr

__all__ = [
    "MAX_FILE_BYTES",
    "BulkInput",
    "BulkInputError",
    "BulkRow",
    "InvalidRow",
    "read_users",
    "request_maker",
]

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest users file read (a million 60-character names)."""
_HEADER_NAMES = frozenset({"username", "user_name", "user name", "cognito:username"})
_OTHER_HEADERS = frozenset(
    {"user", "login", "email", "e-mail", "mail", "name", "phone", "phone_number", "sub", "id"}
)
_VALIDATION_CLIENT = "validation"


class BulkInputError(ValueError):
    """The users file cannot be used at all; the message is one line naming the file."""


@dataclass(frozen=True, slots=True)
class BulkRow:
    """One username to resend to, and where it came from."""

    line: int
    username: str


@dataclass(frozen=True, slots=True)
class InvalidRow:
    """A row that will not be sent, and why. ``text`` is untrusted: show via visible()."""

    line: int
    text: str
    problem: str
    duplicate_of: int | None = None
    """The earlier line with the same username (the row is skipped, the user sent once)."""


@dataclass(frozen=True, slots=True)
class BulkInput:
    """The users of one file, in file order."""

    path: Path
    rows: tuple[BulkRow, ...]
    invalid: tuple[InvalidRow, ...] = ()
    header: bool = False
    """A CSV header row was found and skipped."""

    @property
    def usernames(self) -> list[str]:
        """The usernames to send to, in order."""
        return [row.username for row in self.rows]


def _username_problem(username: str) -> str | None:
    try:
        build_request(client_id=_VALIDATION_CLIENT, username=username)
    except RequestError as exc:
        problems = exc.for_field("username")
        if problems:
            return problems[0].rule
    return None


def _decode(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BulkInputError(
            f"{path}: line {line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def _text_entries(text: str) -> list[tuple[int, str]]:
    entries: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        value = raw.strip()
        if value and not value.startswith("#"):
            entries.append((number, value))
    return entries


def _csv_entries(path: Path, text: str) -> tuple[list[tuple[int, str]], bool]:
    reader = csv.reader(io.StringIO(text, newline=""))
    entries: list[tuple[int, str]] = []
    column = 0
    header = False
    first = True
    last = 0
    try:
        for cells in reader:
            number, last = last + 1, reader.line_num  # a quoted cell may span lines
            if not any(cell.strip() for cell in cells):
                continue
            if first:
                first = False
                names = [cell.strip().casefold() for cell in cells]
                named = [i for i, name in enumerate(names) if name in _HEADER_NAMES]
                if named:
                    column, header = named[0], True
                    continue
                if names[0] in _OTHER_HEADERS:
                    header = True
                    continue
            value = cells[column].strip() if column < len(cells) else ""
            entries.append((number, value))
    except csv.Error as exc:
        raise BulkInputError(f"{path}: line {reader.line_num}: not valid CSV ({exc})") from None
    return entries, header


def read_users(path: Path | str) -> BulkInput:
    """Read and check the users file; raise :class:`BulkInputError` if it cannot be used."""
    path = Path(path)
    try:
        if path.is_dir():
            raise BulkInputError(f"{path}: is a folder, not a users file")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise BulkInputError(f"{path}: no such file") from None
    except OSError as exc:
        raise BulkInputError(f"{path}: cannot read: {exc.strerror or type(exc).__name__}") from None
    if len(data) > MAX_FILE_BYTES:
        raise BulkInputError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    if not data.strip():
        raise BulkInputError(f"{path}: the file is empty")
    text = _decode(path, data)
    header = False
    if path.suffix.lower() == ".csv":
        entries, header = _csv_entries(path, text)
    else:
        entries = _text_entries(text)
    rows: list[BulkRow] = []
    invalid: list[InvalidRow] = []
    seen: dict[str, int] = {}
    for number, value in entries:
        problem = _username_problem(value) if value else "empty username"
        if problem is None and value in seen:
            earlier = seen[value]
            invalid.append(
                InvalidRow(number, value, f"duplicate of line {earlier} (sent once)", earlier)
            )
            continue
        if problem is not None:
            invalid.append(InvalidRow(number, value, problem))
            continue
        seen[value] = number
        rows.append(BulkRow(number, value))
    if not rows:
        if invalid:
            first = invalid[0]
            raise BulkInputError(f"{path}: no valid username (line {first.line}: {first.problem})")
        raise BulkInputError(f"{path}: no usernames (only blank lines, comments or a header)")
    return BulkInput(path, tuple(rows), tuple(invalid), header)


def request_maker(
    *,
    client_id: str,
    client_metadata: Sequence[tuple[str, str]] = (),
    analytics_endpoint_id: str | None = None,
    ip_address: str | None = None,
    encoded_data: str | None = None,
    secret: SecretStr | None = None,
) -> Callable[[str], ResendRequest]:
    """The request for each username of a batch: the same other fields for every one.

    The returned function raises :class:`~console.cognito.request.RequestError`
    for a username (or shared field) that breaks Cognito's rules.
    """
    rows = list(client_metadata)

    def make(username: str) -> ResendRequest:
        return build_request(
            client_id=client_id,
            username=username,
            client_metadata=rows,
            analytics_endpoint_id=analytics_endpoint_id,
            ip_address=ip_address,
            encoded_data=encoded_data,
            secret=secret,
        )

    return make
