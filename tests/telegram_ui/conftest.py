"""Fixtures for the Telegram front end: the fake Bot API, and the real bot process pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bot_process import BotProcess, start_bot
from fake_bot_api import FakeBotAPI

from bot.settings import Settings


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeBotAPI]:
    fake = FakeBotAPI().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def own_telegram() -> Iterator[FakeBotAPI]:
    """A fake Bot API for a module that starts a bot of its own. Never `fake_telegram` for that: the
    session's bot (`telegram_bot`) may be polling it, and two bots polling one API share its updates,
    so the other bot, on other knowledge, would answer some of the test's messages."""
    fake = FakeBotAPI().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def telegram_bot(running_servers: Settings, fake_telegram: FakeBotAPI) -> Iterator[BotProcess]:
    """The bot in polling mode, once per run, logging at DEBUG (the privacy test reads its log)."""
    bot = start_bot(fake_telegram, running_servers, "bot")
    yield bot
    bot.stop()
