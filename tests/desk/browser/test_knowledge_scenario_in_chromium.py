"""The lawyers' whole scenario (issue 15), in headless Chromium beside a real Telegram conversation:
lawyer A edits the Russian short answer of a topic and meets kb lint's error at the field, fixes it
and sends the draft; A cannot approve; lawyer B approves and publishes; a fake Telegram user (the
fake Bot API -> the real bot -> the real Rasa and action servers, all on the same temporary
knowledge repository the desk edits) gets the new text with no restart.

How fast it arrives is bench/live_knowledge_bench.py's job (target 2 s); here it must arrive.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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
from tests.telegram_ui.bot_process import answer_once_it_changes, assistant_on

pytestmark = pytest.mark.model

QUESTION = "мне пришла электронная повестка, что делать?"
OLD_END = "Сохраните повестку и спросите юриста или консульство."
USER = 7_600_001


@pytest.fixture
def telegram(trained_settings: Settings, knowledge_repo: Path, tmp_path: Path) -> Iterator[FakeBotAPI]:  # noqa: F811
    """A fake Telegram user's bot, with Rasa and the action server, serving the knowledge the desk edits."""
    fake = FakeBotAPI().start()
    try:
        with assistant_on(knowledge_repo, trained_settings, fake, tmp_path / "state", "scenario"):
            yield fake
    finally:
        fake.stop()


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

    answer = answer_once_it_changes(telegram, USER, QUESTION, OLD_END)
    assert escape(NEW_SHORT) in answer
