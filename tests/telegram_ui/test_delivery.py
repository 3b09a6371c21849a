"""The delivery ledger: Telegram is told only of finished updates, and no update is handed over twice."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from fake_bot_api import FakeBotAPI
from telegram import Update

from bot.telegram_ui.delivery import FORGET_AFTER, ConfirmingBot, UpdateLedger


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ledger_file(tmp_path: Path) -> Path:
    return tmp_path / "updates.json"


def ids(batch: tuple[Update, ...]) -> list[int]:
    return [update.update_id for update in batch]


def test_the_offset_stays_at_the_oldest_update_in_flight(ledger_file, clock) -> None:
    ledger = UpdateLedger(ledger_file, clock)
    assert ledger.offset() is None  # a first start: Telegram's own memory decides
    assert ledger.admit([5, 6, 7]) == [5, 6, 7]
    ledger.finish(6)
    ledger.finish(7)
    assert ledger.offset() == 5  # 6 and 7 are done, but 5 is not: confirming 6 would drop 5
    ledger.finish(5)
    assert ledger.offset() == 8


def test_updates_sent_again_are_handed_over_once(ledger_file, clock) -> None:
    ledger = UpdateLedger(ledger_file, clock)
    ledger.admit([5, 6])
    ledger.finish(6)
    assert ledger.admit([5, 6, 7]) == [7]  # 5 in flight, 6 finished, 7 new


def test_a_restart_remembers_what_was_finished_but_not_confirmed(ledger_file, clock) -> None:
    before = UpdateLedger(ledger_file, clock)
    before.confirmed(5)
    before.admit([5, 6, 7])
    before.finish(6)  # then kill -9: Telegram was told nothing above 5
    after = UpdateLedger(ledger_file, clock)
    assert after.offset() == 5  # what Telegram accepted: 5 and 7 are not finished, 6 is
    assert after.admit([5, 6, 7]) == [5, 7]


def test_confirmed_ids_are_forgotten(ledger_file, clock) -> None:
    ledger = UpdateLedger(ledger_file, clock)
    ledger.admit([1, 2, 3])
    for update_id in (1, 2, 3):
        ledger.finish(update_id)
    ledger.confirmed(ledger.offset())
    assert json.loads(ledger_file.read_text())["finished"] == []
    assert json.loads(ledger_file.read_text())["confirmed"] == 4


def test_after_a_quiet_week_the_remembered_offset_is_not_sent(ledger_file, clock) -> None:
    """Telegram numbers updates at random again after a week without any: an old offset could drop them."""
    ledger = UpdateLedger(ledger_file, clock)
    ledger.admit([900])
    ledger.finish(900)
    clock.now += FORGET_AFTER + 1
    assert ledger.offset() is None
    assert UpdateLedger(ledger_file, clock).offset() is None


@pytest.mark.parametrize("content", ["", "{not json", '{"confirmed": "x"}', "[]"])
def test_a_damaged_file_is_a_warning_not_a_crash(ledger_file, clock, content: str, caplog) -> None:
    ledger_file.write_text(content)
    ledger = UpdateLedger(ledger_file, clock)
    assert ledger.offset() is None
    assert "may be answered again" in caplog.text


@pytest.fixture
def fake() -> FakeBotAPI:
    fake = FakeBotAPI().start()
    yield fake
    fake.stop()


def test_get_updates_confirms_only_finished_updates_to_telegram(fake, ledger_file) -> None:
    """Against the fake Bot API: what the bot has not finished stays at Telegram."""
    for user in (1, 2, 3):
        fake.text(user, "salam")

    async def poll() -> None:
        ledger = UpdateLedger(ledger_file)
        async with ConfirmingBot(fake.token, base_url=fake.base_url, ledger=ledger) as bot:
            first = await bot.get_updates(timeout=0)
            assert ids(first) == [1, 2, 3]
            assert await bot.get_updates(timeout=0) == ()  # sent again while in flight: not handed over
            ledger.finish(1)
            ledger.finish(3)
            assert await bot.get_updates(timeout=0) == ()
            assert fake.calls[-1] == ("getUpdates", {"offset": 2, "timeout": 0})

    asyncio.run(poll())
    assert [update["update_id"] for update in fake._updates] == [2, 3]  # Telegram still holds 2 (and 3)


def test_an_update_finished_while_telegram_answers_ends_the_wait_at_once(ledger_file) -> None:
    """Progress made during a poll counts: the next poll must not wait for yet another update."""
    import time

    from bot.telegram_ui.delivery import PAUSE

    async def poll_then_wait() -> float:
        ledger = UpdateLedger(ledger_file)
        ledger.admit([1, 2])
        ledger.watch_progress()  # the poll starts
        ledger.finish(1)  # … an update finishes while Telegram answers
        started = time.monotonic()
        await ledger.wait_for_progress(PAUSE)
        return time.monotonic() - started

    assert asyncio.run(poll_then_wait()) < PAUSE / 5
