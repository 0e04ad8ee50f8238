"""The ClientMetadata label and its keys fit the form's width, never cut mid-hint."""

from __future__ import annotations

import pytest

from console.tui.widgets.metadata_heading import heading_lines

ONE_LINE = "ClientMetadata  (ctrl+n add · ctrl+t on/off · ctrl+r remove)"


def test_one_line_where_it_fits() -> None:
    assert heading_lines(len(ONE_LINE)) == [ONE_LINE]


def test_the_keys_go_under_the_label_at_80_columns() -> None:
    # At 80x24 the form's text is 42 cells wide.
    assert heading_lines(42) == ["ClientMetadata", "ctrl+n add · ctrl+t on/off · ctrl+r remove"]


@pytest.mark.parametrize("width", range(14, 60))
def test_no_line_is_wider_than_the_form_and_no_hint_is_split(width: int) -> None:
    lines = heading_lines(width)
    assert all(len(line) <= width for line in lines)
    assert " · ".join(lines[1:]) in ONE_LINE or lines == [ONE_LINE]


def test_the_hints_follow_a_keymap() -> None:
    from console.tui.widgets.metadata_heading import key_hints

    assert key_hints({}) == ("ctrl+n add", "ctrl+t on/off", "ctrl+r remove")
    assert key_hints({"add-meta-row": "f11,ctrl+j", "toggle-meta-row": "alt+t"}) == (
        "f11 add",
        "alt+t on/off",
        "ctrl+r remove",
    )
