"""Published numbers: a count under 5 shows as "<5", and no total gives a hidden count back.

A cell is one stored count (week, topic, script, outcome). A cell of 1 to 4 is hidden: the page,
the charts and the CSV show "<5". An exact total would undo that: the total of a row minus the
cells you can see is the hidden cell, and so is the total over weeks 1–8 minus the total over
weeks 1–7. So every total here is added up from the cells *as published*: a hidden cell adds
"1 to 4", and a total with hidden cells in it is the range it can be in ("12–21"), which anyone
could work out from the cells on the page. Zero is shown as 0 (nobody: there is no one to hide).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

THRESHOLD = 5
HIDDEN = "<5"


@dataclass(frozen=True)
class Figure:
    """A number as published: exact (low == high), or the range its hidden cells allow."""

    low: int
    high: int

    @property
    def exact(self) -> bool:
        return self.low == self.high

    @property
    def hidden(self) -> bool:
        return 0 < self.high < THRESHOLD

    def __add__(self, other: Figure) -> Figure:
        return Figure(self.low + other.low, self.high + other.high)

    def __str__(self) -> str:
        if self.hidden:
            return HIDDEN
        return str(self.low) if self.exact else f"{self.low}–{self.high}"


ZERO = Figure(0, 0)


def cell(count: int) -> Figure:
    """One stored count, published: 0 and 5 or more exactly, 1 to 4 as "<5"."""
    if 0 < count < THRESHOLD:
        return Figure(1, THRESHOLD - 1)
    return Figure(count, count)


def total(figures: Iterable[Figure]) -> Figure:
    """A sum of published figures (never of raw counts: that is the whole point)."""
    return sum(figures, ZERO)


@dataclass(frozen=True)
class Share:
    """part / whole as whole percents: the lowest and highest the hidden cells allow; None without data."""

    low: int
    high: int

    def __str__(self) -> str:
        return f"{self.low} %" if self.low == self.high else f"{self.low}–{self.high} %"


def share(part: Figure, rest: Figure) -> Share | None:
    """The share of `part` in part + rest, where the two add up different cells."""
    if part.high + rest.high == 0:
        return None
    lowest = part.low / (part.low + rest.high) if part.low else 0.0
    highest = part.high / (part.high + rest.low) if part.high else 0.0
    return Share(round(lowest * 100), round(highest * 100))
