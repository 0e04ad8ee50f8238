"""Writing history rows out as CSV or JSON, streaming.

Kept apart from the store (:mod:`console.history.store`) so it imports nothing from
it: the store hands us plain dicts (``AttemptRecord.to_dict()``) one at a time,
and we never hold more than one row, so a million-row export runs in constant
memory.

Files we create are 0600 from the first byte (an export holds usernames, masked
destinations and trigger metadata), and appear under their final name only when
complete: we write a temporary file beside the target and rename it over.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal, TextIO

__all__ = ["ExportFormat", "write_export"]

ExportFormat = Literal["csv", "json"]


def _csv_cell(value: object) -> object:
    """One CSV cell: JSON text for dicts, ``true``/``false`` like the JSON export, '' for None."""
    if type(value) is str:  # most cells: skip the checks below (a million-row export feels it)
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        # UTF-8 text as is, like every other cell (the file is UTF-8); json still
        # escapes control characters, and a terminal gets the export made visible.
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value  # int and float: the csv module writes their repr


def _write_csv(rows: Iterable[Mapping[str, object]], fields: Sequence[str], out: TextIO) -> int:
    # QUOTE_MINIMAL quotes any cell holding a comma, quote or line break, so a
    # username or error message with a newline stays one logical row.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(row[name]) for name in fields])
        count += 1
    return count


def _write_json(rows: Iterable[Mapping[str, object]], out: TextIO) -> int:
    # One array, written object by object: json.dump of a list would need the
    # whole list in memory. Control characters in untrusted text come out as
    # \uXXXX escapes, so the file is safe to cat.
    count = 0
    for row in rows:
        out.write("[\n" if count == 0 else ",\n")
        out.write(json.dumps(dict(row), ensure_ascii=True))
        count += 1
    out.write("[]\n" if count == 0 else "\n]\n")
    return count


def _write_stream(
    rows: Iterable[Mapping[str, object]], fields: Sequence[str], out: TextIO, fmt: ExportFormat
) -> int:
    if fmt == "csv":
        return _write_csv(rows, fields, out)
    if fmt == "json":
        return _write_json(rows, out)
    raise ValueError(f"unknown export format {fmt!r} (use csv or json)")


def write_export(
    rows: Iterable[Mapping[str, object]],
    fields: Sequence[str],
    out: TextIO | Path,
    fmt: ExportFormat,
) -> int:
    """Write *rows* (dicts keyed by *fields*) to *out* as CSV or JSON; return the row count.

    *out* is an open text stream (written as is, not closed) or a path. A path
    is written through a 0600 temporary file in the same folder, flushed to
    disk and renamed over the target, so a failed export leaves no half file
    and an existing target is replaced only by a complete one (with mode 0600).
    Errors are raised as they come (``OSError`` for the file, whatever *rows*
    raises for the source); the caller turns them into its own message.
    """
    if fmt not in ("csv", "json"):
        raise ValueError(f"unknown export format {fmt!r} (use csv or json)")
    if not isinstance(out, str | os.PathLike):
        return _write_stream(rows, fields, out, fmt)

    target = Path(out).expanduser()  # a str path too, though the type says Path
    # mkstemp creates the file O_EXCL with mode 0600 whatever the umask.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        # newline="" lets the csv module write its own \r\n line ends untouched.
        with open(fd, "w", encoding="utf-8", newline="") as stream:  # noqa: PTH123 - an fd, not a path
            count = _write_stream(rows, fields, stream, fmt)
            stream.flush()
            os.fsync(stream.fileno())
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return count
