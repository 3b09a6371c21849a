"""The lawyers' whole scenario (issue 15), in headless Chromium beside a real Telegram conversation:
lawyer A edits the Russian short answer of a topic and meets kb lint's error at the field, fixes it
and sends the draft; A cannot approve; lawyer B approves and publishes; a fake Telegram user (the
fake Bot API -> the real bot -> the real Rasa and action servers, all on the same temporary
knowledge repository the desk edits) gets the new text with no restart; a translator sees what
changed in the Russian and confirms the Tajik translation (a commit of their own); the topic's
history shows the change word by word; a rollback to the first version starts a new draft with the
old text. Takes docs/img/desk-knowledge-translations.png and desk-knowledge-history.png.

How fast it arrives is bench/live_knowledge_bench.py's job (target 2 s); here it must arrive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bot.settings import Settings
from bot.telegram_ui.formatting import escape
from desk.knowledge_editor.models import Draft
from tests.desk.browser.conftest import browser_page, log_in, screenshot
from tests.desk.browser.test_knowledge_review_in_chromium import (  # noqa: F401 (a fixture)
    NEW_SHORT,
    approve_and_publish,
    edit_with_a_lint_error_then_send,
    lawyers_as_migrated,
)
from tests.desk.knowledge_editor.conftest import (  # noqa: F401 (fixtures)
    TOPIC,
    _real_knowledge_untouched,
    git,
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
    translators_as_migrated,
) -> None:
    assert escape(OLD_END) in telegram.answer_to(USER, QUESTION)

    log_in(page, "lawyer_a")
    draft_url = edit_with_a_lint_error_then_send(page)
    assert escape(OLD_END) in telegram.answer_to(USER, QUESTION)  # a draft reaches nobody
    approve_and_publish(chromium_browser, live_server, draft_url, knowledge_repo)

    answer = answer_once_it_changes(telegram, USER, QUESTION, OLD_END)
    assert escape(NEW_SHORT) in answer

    confirm_the_tajik_translation(chromium_browser, live_server, knowledge_repo)

    page.goto(f"/knowledge/editor/topics/{TOPIC}/history/")
    published = page.locator("section.version").filter(has_text=f"knowledge: {TOPIC}: ru.short")
    expect(published.locator(".reviewer")).to_have_text("Бахтиёр Каримов")
    expect(published.locator(".diff del").first).to_contain_text("включая двойных граждан")
    screenshot(page, "desk-knowledge-history")
    page.locator("section.version").last.locator("form.rollback button").click()
    expect(page).to_have_url(re.compile(rf"/knowledge/editor/topics/{TOPIC}/"))
    expect(page.locator("#id_ru-short")).to_have_value(re.compile(re.escape(OLD_END)))
    rolled_back = Draft.objects.get(topic_id=TOPIC, status=Draft.Status.DRAFT)
    assert rolled_back.author.username == "lawyer_a" and OLD_END in rolled_back.latest().texts["ru"]["short"]


def confirm_the_tajik_translation(chromium_browser, live_server, knowledge: Path) -> None:
    """The translator, in a browser of their own, reads what changed in the Russian and confirms the Tajik text."""
    with browser_page(chromium_browser, live_server, "translator") as translator:
        translator.goto("/knowledge/translations/?lang=tg")
        tajik = translator.locator(f"section.stale-translation[data-entry='{TOPIC}'][data-lang='tg']")
        expect(tajik.locator(".diff del").first).to_contain_text("включая двойных граждан")
        screenshot(translator, "desk-knowledge-translations")
        tajik.locator("form.confirm button").click()
        expect(tajik).to_have_count(0)
    author, subject = git(knowledge.parent, "log", "-1", "--format=%an|%s").split("|")
    assert (
        author == "translator"
        and subject == f"knowledge: {TOPIC}: tg translation confirmed for the current Russian text"
    )


@pytest.fixture
def translators_as_migrated(cast) -> None:
    """The translator group edits translations, as migration knowledge_editor/0002 made it (see lawyers_as_migrated)."""
    from django.contrib.auth.models import Group, Permission

    permission = Permission.objects.get(content_type__app_label="knowledge_editor", codename="translate_topic")
    Group.objects.get(name="translator").permissions.add(permission)
