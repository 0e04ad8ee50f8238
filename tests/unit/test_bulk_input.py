"""Reading users.txt and users.csv: what is sent, what is skipped, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.bulk import BulkInputError, BulkRow, read_users


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def test_text_file_skips_blanks_and_comments(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "users.txt",
        "\ufeff# outage of 31 January\r\n\r\nalice\r\n  bob  \n#carol\n  # indented comment\n"
        "zoë@example.com\n[@click=app.quit]x[/]\n",
    )
    users = read_users(path)
    assert users.rows == (
        BulkRow(3, "alice"),
        BulkRow(4, "bob"),
        BulkRow(7, "zoë@example.com"),
        BulkRow(8, "[@click=app.quit]x[/]"),
    )
    assert users.invalid == () and not users.header


def test_invalid_and_repeated_usernames_are_kept_as_skipped_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "users.txt", "alice\nbad name\nalice\nx\x1by\n" + "a" * 129 + "\n")
    users = read_users(path)
    assert users.usernames == ["alice"]
    problems = {row.line: row.problem for row in users.invalid}
    assert "a space at position 4" in problems[2]
    assert problems[3] == "duplicate of line 1 (sent once)"
    assert "U+001B" in problems[4]
    assert "at most 128 characters" in problems[5]


def test_csv_username_column_found_by_header(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "users.csv",
        'email,User Name,note\r\na@example.com,alice,"first, of all"\r\n,bob,\r\nc@x,,\r\n',
    )
    users = read_users(path)
    assert users.header
    assert users.usernames == ["alice", "bob"]
    assert [(row.line, row.problem) for row in users.invalid] == [(4, "empty username")]


def test_csv_header_without_username_column_uses_the_first_column(tmp_path: Path) -> None:
    users = read_users(write(tmp_path, "users.csv", "Email,Name\nalice,Alice A\nbob,Bob B\n"))
    assert users.header and users.usernames == ["alice", "bob"]


def test_csv_without_header(tmp_path: Path) -> None:
    users = read_users(write(tmp_path, "USERS.CSV", "alice,1\n\nbob,2\n"))
    assert not users.header
    assert users.rows == (BulkRow(1, "alice"), BulkRow(3, "bob"))


def test_csv_multiline_cell_reports_its_line(tmp_path: Path) -> None:
    users = read_users(write(tmp_path, "users.csv", 'username\n"al\nice"\nbob\n'))
    assert users.usernames == ["bob"]
    assert users.invalid[0].line == 2 and "position 3" in users.invalid[0].problem


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("users.txt", b"", "users.txt: the file is empty"),
        ("users.txt", b"  \n\n\t\n", "users.txt: the file is empty"),
        ("users.txt", b"# only\n# comments\n", "users.txt: no usernames"),
        ("users.csv", b"username\n", "users.csv: no usernames"),
        ("users.txt", b"alice\nbob\ncar\xffol\n", "users.txt: line 3: not UTF-8 (byte 0xff)"),
        ("users.txt", b"bad name\n", "users.txt: no valid username (line 1: "),
        ("users.csv", b"username\nal\x00ice\n", "users.csv: line 2: "),
    ],
)
def test_unusable_files_are_one_line_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(BulkInputError) as caught:
        read_users(path)
    text = str(caught.value)
    assert text.startswith(str(tmp_path / message.split(":")[0]))
    assert message.split(":", 1)[1].strip() in text
    assert "\n" not in text


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(BulkInputError, match="no such file"):
        read_users(tmp_path / "nope.txt")
    with pytest.raises(BulkInputError, match="is a folder"):
        read_users(tmp_path)
