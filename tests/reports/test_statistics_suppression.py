"""Small numbers in the statistics: 1–4 are shown as "<5", zero and 5 or more as they are, and
a breakdown never lets a single hidden part be worked out by subtraction.

Pure functions, no database."""

from __future__ import annotations

import pytest

from reports.suppression import SUPPRESSED, Cell, breakdown, cell


def displays(cells: list[Cell]) -> list[str]:
    return [shown.display for shown in cells]


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_a_count_from_one_to_four_is_shown_as_under_five(count: int) -> None:
    shown = cell(count)

    assert (shown.display, shown.value, shown.suppressed) == ("<5", None, True)


@pytest.mark.parametrize("count", [0, 5, 6, 17, 1000])
def test_zero_and_five_or_more_are_shown_as_they_are(count: int) -> None:
    shown = cell(count)

    assert (shown.display, shown.value, shown.suppressed) == (str(count), count, False)


def test_the_suppressed_marker_is_under_five() -> None:
    assert SUPPRESSED == "<5"


def test_a_text_figure_is_shown_as_its_text_and_is_not_suppressed() -> None:
    median = Cell(None, text="2,5 døgn")

    assert (median.display, median.suppressed) == ("2,5 døgn", False)


def test_a_breakdown_with_one_small_part_also_hides_the_next_smallest_non_zero_part() -> None:
    # 12 + 7 + 3 + 0 = 22: with only the 3 hidden, 22 - 12 - 7 would give it away.
    assert displays(breakdown([12, 7, 3, 0])) == ["12", "<5", "<5", "0"]


def test_the_secondary_suppression_skips_zeros_when_choosing_the_next_smallest() -> None:
    assert displays(breakdown([0, 9, 2, 0, 30])) == ["0", "<5", "<5", "0", "30"]


def test_of_two_equal_next_smallest_parts_only_one_is_hidden() -> None:
    # Either one is enough: the two hidden parts can no longer be told apart.
    assert displays(breakdown([8, 1, 8])) == ["<5", "<5", "8"]


def test_a_breakdown_with_two_small_parts_hides_nothing_more() -> None:
    assert displays(breakdown([2, 10, 4, 6])) == ["<5", "10", "<5", "6"]


def test_a_breakdown_without_small_parts_hides_nothing() -> None:
    assert displays(breakdown([5, 10, 0, 7])) == ["5", "10", "0", "7"]


def test_an_all_zero_breakdown_is_shown_untouched() -> None:
    assert displays(breakdown([0, 0, 0])) == ["0", "0", "0"]


def test_a_small_part_alone_among_zeros_is_hidden_and_nothing_else_can_be() -> None:
    assert displays(breakdown([0, 3, 0])) == ["0", "<5", "0"]


def test_an_empty_breakdown_is_empty() -> None:
    assert breakdown([]) == []


def test_a_suppressed_part_keeps_no_value_and_a_shown_part_keeps_its_count() -> None:
    assert [part.value for part in breakdown([6, 2, 9])] == [None, None, 9]
