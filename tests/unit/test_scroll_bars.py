"""A sideways scroll bar's thumb: whole cells, in the track, where the view is."""

from __future__ import annotations

import pytest

from console.tui.widgets.scroll_bars import THUMB, WholeCellBars, thumb_cells


@pytest.mark.parametrize(
    ("position", "expected"),
    [(0, range(0, 10)), (10, range(5, 15)), (20, range(10, 20)), (99, range(10, 20))],
)
def test_the_thumb_follows_the_view(position: float, expected: range) -> None:
    # 40 columns of content in a 20-column window: the thumb is half the 20-cell track.
    assert thumb_cells(20, 40, 20, position) == expected


def test_the_thumb_is_at_least_one_cell() -> None:
    assert len(thumb_cells(10, 10_000, 5, 0)) == 1


def test_a_sideways_bar_is_glyphs_in_whole_cells() -> None:
    segments = WholeCellBars.render_bar(size=12, virtual_size=48, window_size=12, vertical=False)
    text = "".join(segment.text for segment in segments.segments)
    assert text == THUMB * 3 + " " * 9 + "\n"
