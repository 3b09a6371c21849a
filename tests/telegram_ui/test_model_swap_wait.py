"""While a new model is put live (bot.nlu.swap), a turn Rasa is slow to answer is waited for, not
apologised for, and sent to Rasa once; with no swap under way the reply timeout stands."""

from __future__ import annotations

import asyncio
import itertools
import json
import os

import httpx
import pytest_asyncio
from handoff_fakes import FakeRasa, Harness, topic_reply
from test_handoff import settings_for

from bot.language.i18n import gettext_for
from bot.nlu import swap
from bot.settings import Settings

SLOW = 1.0  # seconds Rasa takes, as while it loads a model
_users = itertools.count(760_001)


class SlowRasa(FakeRasa):
    async def handle(self, request: httpx.Request) -> httpx.Response:  # type: ignore[override]
        self.texts.append(json.loads(request.content)["message"])
        await asyncio.sleep(SLOW)
        return httpx.Response(200, json=topic_reply("summons_received", "Ответ про повестку."))


@pytest_asyncio.fixture(loop_scope="function")
async def bot(fake_telegram, tmp_path):
    settings = settings_for(tmp_path, fake_telegram, reply_timeout=0.2)
    harness = await Harness(fake_telegram, settings, SlowRasa(lambda text: [])).start()
    yield harness
    await harness.stop()


async def test_a_slow_answer_during_a_swap_is_waited_for_and_sent_once(bot: Harness) -> None:
    user, mark = next(_users), bot.fake.mark()
    with swap.swapping(bot.settings):
        await bot.say(user, "мне пришла повестка")
    [reply] = bot.fake.messages_to(user, mark)
    assert "Ответ про повестку." in reply.text
    assert bot.rasa.texts == ["мне пришла повестка"]


async def test_a_slow_answer_with_no_swap_gets_the_apology(bot: Harness) -> None:
    user, mark = next(_users), bot.fake.mark()
    await bot.say(user, "мне пришла повестка")
    apology = gettext_for("ru")("Sorry, the assistant is not available right now. Please try again in a few minutes.")
    assert any(apology in sent.text for sent in bot.fake.messages_to(user, mark))
    assert not any("Ответ про повестку." in sent.text for sent in bot.fake.messages_to(user, mark))


def test_the_marker_counts_a_swap_and_a_short_while_after_it(tmp_path) -> None:
    settings = Settings(state_dir=tmp_path)
    assert not swap.in_progress(settings)
    with swap.swapping(settings):
        assert swap.in_progress(settings)
    assert swap.in_progress(settings)  # Rasa may still be working through its queue
    ended = swap.marker(settings).stat().st_mtime - swap.GRACE - 1
    os.utime(swap.marker(settings), (ended, ended))
    assert not swap.in_progress(settings)
