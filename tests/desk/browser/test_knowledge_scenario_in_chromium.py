"""The lawyers' whole scenario (issue 15), in headless Chromium beside a real Telegram conversation:
lawyer A edits the Russian short answer of a topic and meets kb lint's error at the field, fixes it
and sends the draft; A cannot approve; lawyer B approves and publishes; a fake Telegram user (the
fake Bot API -> the real bot -> the real Rasa and action servers, all on the same temporary
knowledge repository the desk edits) gets the new text with no restart.

How fast it arrives is bench/live_knowledge_bench.py's job (target 2 s); here it must arrive.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.servers import Servers
from bot.settings import Settings
from bot.telegram_ui.formatting import escape
from tests.desk.browser.conftest import log_in
from tests.desk.browser.test_knowledge_review_in_chromium import (  # noqa: F401 (a fixture)
    NEW_SHORT,
    approve_and_publish,
    edit_with_a_lint_error_then_send,
    lawyers_as_migrated,
)
from tests.desk.knowledge_editor.conftest import (  # noqa: F401 (fixtures)
    _real_knowledge_untouched,
    knowledge_repo,
)
from tests.fake_bot_api import FakeBotAPI
from tests.telegram_ui.bot_process import free_port, start_bot

pytestmark = pytest.mark.model

QUESTION = "мне пришла электронная повестка, что делать?"
OLD_END = "Сохраните повестку и спросите юриста или консульство."
USER = 7_600_001
SERVED_WITHIN = 30.0  # seconds: a bound for a busy machine, not the target


def ready(servers: Servers) -> None:
    """Wait for the servers in a thread of its own: this one may hold Playwright's event loop already."""
    failure: list[BaseException] = []
    waiter = threading.Thread(target=lambda: _catching(failure, lambda: asyncio.run(servers.wait_until_ready())))
    waiter.start()
    waiter.join()
    if failure:
        raise failure[0]


def _catching(failure: list[BaseException], work) -> None:
    try:
        work()
    except BaseException as error:  # noqa: BLE001 (handed to the test's thread)
        failure.append(error)


@pytest.fixture
def telegram(trained_settings: Settings, knowledge_repo: Path, tmp_path: Path) -> Iterator[FakeBotAPI]:  # noqa: F811
    """A fake Telegram user's bot, with Rasa and the action server, serving the knowledge the desk edits."""
    settings = dataclasses.replace(
        trained_settings,
        knowledge_dir=knowledge_repo,
        state_dir=tmp_path / "state",
        rasa_port=free_port(),
        action_port=free_port(),
    )
    fake = FakeBotAPI().start()
    servers = Servers(settings)
    servers.start()
    try:
        ready(servers)
        bot = start_bot(
            fake,
            settings,
            "scenario",
            KENESH_KNOWLEDGE_DIR=str(knowledge_repo),
            KENESH_USER_MESSAGES_PER_MINUTE="600",  # the test asks again and again until the change is served
        )
        try:
            yield fake
        finally:
            bot.stop()
    finally:
        servers.stop()
        fake.stop()


def answer_once_it_changes(fake: FakeBotAPI, before: str) -> str:
    """Ask (once a second) until the answer no longer holds `before`; the last answer."""
    deadline = time.monotonic() + SERVED_WITHIN
    while True:
        answer = fake.answer_to(USER, QUESTION)
        if escape(before) not in answer or time.monotonic() > deadline:
            return answer
        time.sleep(1.0)


def test_a_change_is_edited_reviewed_published_and_reaches_telegram(
    telegram: FakeBotAPI,
    page,
    chromium_browser,
    live_server,
    knowledge_repo: Path,  # noqa: F811 (the fixture imported above)
    lawyers_as_migrated,  # noqa: F811
) -> None:
    assert escape(OLD_END) in telegram.answer_to(USER, QUESTION)

    log_in(page, "lawyer_a")
    draft_url = edit_with_a_lint_error_then_send(page)
    assert escape(OLD_END) in telegram.answer_to(USER, QUESTION)  # a draft reaches nobody
    approve_and_publish(chromium_browser, live_server, draft_url, knowledge_repo)

    answer = answer_once_it_changes(telegram, OLD_END)
    assert escape(NEW_SHORT) in answer
