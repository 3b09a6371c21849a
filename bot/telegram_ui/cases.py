"""The users who have an open case at the desk, as the bot knows it (in memory).

The outbox poll brings the desk's list of open cases twice a second and replaces this one; a
case the bot opened or closed itself after that poll started is kept as the bot left it, so a
poll that was already on its way cannot undo it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class OpenCase:
    number: str
    status: str  # waiting or claimed


class OpenCases:
    """Desk pseudonym -> its open case."""

    def __init__(self) -> None:
        self._cases: dict[str, OpenCase] = {}
        self._changed_at: dict[str, float] = {}  # pseudonym -> when the bot itself last changed it

    def get(self, pseudonym: str) -> OpenCase | None:
        return self._cases.get(pseudonym)

    def set(self, pseudonym: str, number: str, status: str) -> None:
        self._cases[pseudonym] = OpenCase(number, status)
        self._changed_at[pseudonym] = time.monotonic()

    def drop(self, pseudonym: str) -> None:
        self._cases.pop(pseudonym, None)
        self._changed_at[pseudonym] = time.monotonic()

    def drop_case(self, number: str) -> None:
        for pseudonym, case in list(self._cases.items()):
            if case.number == number:
                self.drop(pseudonym)

    def refresh(self, desk_open: dict[str, dict[str, str]], polled_at: float) -> None:
        """Take the desk's list (from a poll started at `polled_at`, time.monotonic())."""
        fresh = {p: OpenCase(str(c.get("number", "")), str(c.get("status", ""))) for p, c in desk_open.items()}
        for pseudonym, changed in list(self._changed_at.items()):
            if changed >= polled_at:  # changed here while the poll was under way: the bot's word stands
                if pseudonym in self._cases:
                    fresh[pseudonym] = self._cases[pseudonym]
                else:
                    fresh.pop(pseudonym, None)
            else:
                del self._changed_at[pseudonym]
        self._cases = fresh

    def __len__(self) -> int:
        return len(self._cases)
