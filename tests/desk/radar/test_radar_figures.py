"""Published figures: cells under 5 hidden, totals as the range the hidden cells allow, shares likewise."""

from __future__ import annotations

from desk.radar.figures import Figure, Share, cell, share, total
from desk.radar.models import ANSWERED, NOT_ANSWERED, Outcome


def test_a_cell_of_1_to_4_is_hidden_and_0_or_5_and_more_are_shown() -> None:
    assert [str(cell(n)) for n in range(7)] == ["0", "<5", "<5", "<5", "<5", "5", "6"]
    assert {cell(n) for n in range(1, 5)} == {Figure(1, 4)}  # nothing of the count itself is kept


def test_a_total_adds_hidden_cells_as_1_to_4() -> None:
    assert str(total([cell(12), cell(3)])) == "13–16"
    assert str(total([cell(12), cell(0), cell(7)])) == "19"
    assert str(total([cell(1), cell(2)])) == "2–8"
    assert str(total([cell(1)])) == "<5"
    assert str(total([])) == "0"


def test_a_share_is_the_lowest_and_highest_the_hidden_cells_allow() -> None:
    assert share(cell(6), cell(7)) == Share(46, 46)
    assert share(total([cell(9), cell(3)]), cell(32)) == Share(24, 29)  # 10/42 … 13/45
    assert share(cell(2), cell(0)) == Share(100, 100)
    assert share(cell(0), cell(2)) == Share(0, 0)
    assert share(cell(0), cell(0)) is None
    assert str(share(cell(1), cell(10))) == "9–29 %"


def test_the_outcome_groups_are_outcomes() -> None:
    assert set(ANSWERED + NOT_ANSWERED) <= set(Outcome.values)
