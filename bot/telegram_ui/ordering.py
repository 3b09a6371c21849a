"""Updates of one user are handled one at a time, in order; different users in parallel.
Each finished update is reported (to the delivery ledger, which confirms it to Telegram).

PTB either handles updates one after another (slow for many users) or all concurrently (two
quick messages from one person could be answered out of order, and /forget could race a turn).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def _owner(update: object) -> int | None:
    if isinstance(update, Update):
        if update.effective_user:
            return update.effective_user.id
        if update.effective_chat:
            return update.effective_chat.id
    return None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Up to `max_concurrent_updates` at once, but never two of the same user."""

    def __init__(self, max_concurrent_updates: int = 256, on_finished: Callable[[int], None] | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._on_finished = on_finished
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}  # updates in flight or waiting, per user

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await self._in_turn(update, coroutine)
        except Exception:
            self._finished(update)  # handled, badly: sending it again would fail the same way
            raise
        self._finished(update)  # not on cancellation (a shutdown): an update cut short is not finished

    def _finished(self, update: object) -> None:
        if self._on_finished and isinstance(update, Update):
            self._on_finished(update.update_id)

    async def _in_turn(self, update: object, coroutine: Awaitable[Any]) -> None:
        owner = _owner(update)
        if owner is None:
            await coroutine
            return
        lock = self._locks.setdefault(owner, asyncio.Lock())
        self._users[owner] = self._users.get(owner, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[owner] -= 1
            if not self._users[owner]:
                del self._users[owner], self._locks[owner]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
