"""Confirm to Telegram only the updates the bot has finished, and handle none twice.

Telegram keeps an update until a getUpdates call with a higher offset confirms it. PTB's Updater
confirms a batch as soon as it is queued, so a bot killed mid-batch lost the rest of it. Here the
offset sent is the lowest update still in flight. Updates that Telegram sends again (while they
are in flight, or after a restart that came after their reply) are recognised by id and skipped.
The ids finished above the confirmed offset are kept in a small JSON file in the state folder.
It holds update ids only: no text, no user. No library does this for PTB, hence this module.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from telegram import Update

from bot.settings import Settings
from bot.state import state_folder
from bot.telegram_ui.tolerant_bot import TolerantBot

logger = logging.getLogger(__name__)

# Telegram picks update ids at random again after a week without updates; an offset remembered from
# before that could confirm (drop) new updates with lower ids, so older memory is forgotten.
FORGET_AFTER = 6 * 24 * 3600
PAUSE = 0.25  # seconds to wait before asking again when Telegram sent only updates in flight


def ledger_path(settings: Settings) -> Path:
    """One file per bot (the number before ':' in the token is the bot's public id)."""
    bot_number = (settings.telegram_token or "").split(":", 1)[0]
    return state_folder(settings, "telegram") / f"updates-{bot_number or 'bot'}.json"


class UpdateLedger:
    """Which updates are in flight and which are finished; the offset that confirms only finished ones."""

    def __init__(self, path: Path, clock=time.time) -> None:
        self.path = path
        self._clock = clock
        self._in_flight: set[int] = set()
        self._finished: set[int] = set()
        self._confirmed = 0  # the last offset Telegram accepted: it forgot every update below it
        self._next = 0  # one past the highest id received
        self._last_seen = 0.0  # when an update last came
        self._progress = asyncio.Event()
        self._load()

    def offset(self) -> int | None:
        """What to send as getUpdates' offset: every update below it is finished."""
        if self._in_flight:
            return min(self._in_flight)
        if not self._next or self._clock() - self._last_seen > FORGET_AFTER:
            return None
        return self._next

    def confirmed(self, offset: int | None) -> None:
        """Telegram accepted `offset`: ids below it will not come again, so they need no memory."""
        if offset and offset > self._confirmed:
            self._confirmed = offset
            self._finished = {update_id for update_id in self._finished if update_id >= offset}
            self._save()

    def admit(self, update_ids: Sequence[int]) -> list[int]:
        """The updates to handle: not in flight, not finished already. They are in flight from now."""
        fresh = []
        for update_id in update_ids:
            self._next = max(self._next, update_id + 1)
            self._last_seen = self._clock()
            if update_id not in self._in_flight and update_id not in self._finished:
                self._in_flight.add(update_id)
                fresh.append(update_id)
        if len(fresh) < len(update_ids):
            logger.debug("Skipped %d update(s) already in hand or handled", len(update_ids) - len(fresh))
        return fresh

    def finish(self, update_id: int) -> None:
        """The update was handled: remember that before Telegram is told."""
        self._in_flight.discard(update_id)
        self._finished.add(update_id)
        self._save()
        self._progress.set()

    def watch_progress(self) -> None:
        """From now on, remember whether an update finishes (call it before asking Telegram)."""
        self._progress.clear()

    async def wait_for_progress(self, timeout: float) -> None:
        """Until an update has finished since watch_progress() (at once if one has), or `timeout` seconds."""
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._progress.wait(), timeout)

    def _load(self) -> None:
        try:
            saved = json.loads(self.path.read_text())
            last_seen, confirmed, finished = float(saved["last_seen"]), int(saved["confirmed"]), saved["finished"]
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError) as error:
            logger.warning(
                "Started without %s (%s): updates handled just before may be answered again",
                self.path.name,
                type(error).__name__,
            )
            return
        if self._clock() - last_seen > FORGET_AFTER:
            return
        # Start from what Telegram accepted, not past the finished ones: an unfinished one may lie between.
        self._last_seen, self._confirmed, self._next = last_seen, confirmed, confirmed
        self._finished = {int(update_id) for update_id in finished}

    def _save(self) -> None:
        """Write a new file and rename it over the old one, so a kill never leaves half a file."""
        data = {"last_seen": self._last_seen, "confirmed": self._confirmed, "finished": sorted(self._finished)}
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(data))
        os.replace(partial, self.path)


class ConfirmingBot(TolerantBot):
    """A TolerantBot whose getUpdates confirms only finished updates and hands each update over once."""

    def __init__(self, *args: Any, ledger: UpdateLedger, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ledger = ledger

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: Any = None,
        allowed_updates: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> tuple[Update, ...]:
        """Fetch from the ledger's offset (not the Updater's, which confirms what is only queued) and
        parse only the updates not seen before: Telegram sends every update in flight again on each
        poll, and parsing them all again cost the bot half its speed at 30 messages a second."""
        offset = self._ledger.offset()
        self._ledger.watch_progress()  # an update finishing while Telegram answers counts as progress
        waited = timeout.total_seconds() if isinstance(timeout, dt.timedelta) else float(timeout or 0)
        raw = await self._post(
            "getUpdates",
            {"timeout": timeout, "offset": offset, "limit": limit, "allowed_updates": allowed_updates},
            read_timeout=(self._request[0].read_timeout or 0) + waited,  # as PTB's get_updates allows
        )
        self._ledger.confirmed(offset)
        fresh = set(self._ledger.admit([item["update_id"] for item in raw]))
        if raw and not fresh:  # only updates in flight: Telegram answers at once, so do not spin
            await self._ledger.wait_for_progress(PAUSE)
        return tuple(self.parse_update(item) for item in raw if item["update_id"] in fresh)
