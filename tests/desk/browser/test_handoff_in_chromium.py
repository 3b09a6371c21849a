"""The whole handoff, end to end: a fake Telegram user (the fake Bot API) -> the real bot process ->
the desk (live_server, in this process) -> staff in headless Chromium, and back; then the bot answers
the user's next question itself, through the real Rasa. The staff-group path (forum topics) too.

The bot reaches the desk only over HTTP, so the desk's test database needs no file of its own.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from playwright.sync_api import expect

from bot.knowledge import render
from bot.knowledge.loader import load_knowledge
from bot.language.i18n import gettext_for
from bot.settings import Settings
from desk.cases.models import Case, CaseEvent, CaseMessage, StaffLink
from tests.desk.browser.conftest import screenshot
from tests.fake_bot_api import FakeBotAPI
from tests.telegram_ui.bot_process import BotProcess, start_bot

pytestmark = pytest.mark.model  # the bot answers through the real Rasa once the case is closed

MARKUP = "<img src=x onerror=alert(1)>"
USER, STAFF_MEMBER, STAFF_GROUP = 8_100_001, 8_200_001, -1_009_000_000_001
ru = gettext_for("ru")
CLAIMED = ru("A person is reading your messages now. Write here. To go back to the bot, send /bot.")


@pytest.fixture
def desk_secret() -> Iterator[str]:
    """The live desk and the bot process share one internal secret, as they do through the state folder."""
    secret = secrets.token_urlsafe(32)
    with override_settings(KENESH=dataclasses.replace(django_settings.KENESH, desk_internal_secret=secret)):
        yield secret


@pytest.fixture
def desk_staff_group(desk_secret: str) -> Iterator[str]:
    """The desk knows the staff group too, as it does through KENESH_STAFF_CHAT_ID."""
    with override_settings(KENESH=dataclasses.replace(django_settings.KENESH, staff_chat_id=STAFF_GROUP)):
        yield desk_secret


def bot_beside_the_desk(
    running_servers: Settings, live_server, desk_secret: str, tmp_path, **extra: str
) -> tuple[FakeBotAPI, BotProcess]:
    fake = FakeBotAPI().start()
    settings = dataclasses.replace(running_servers, state_dir=tmp_path / "bot-state")
    bot = start_bot(
        fake,
        settings,
        "handoff-bot",
        KENESH_DESK_URL=live_server.url,
        KENESH_DESK_INTERNAL_SECRET=desk_secret,
        KENESH_ORGANISATION_NAME="Hotline Test",
        KENESH_DESK="on",
        **extra,
    )
    return fake, bot


@pytest.fixture
def telegram(running_servers, live_server, desk_secret, tmp_path) -> Iterator[FakeBotAPI]:
    fake, bot = bot_beside_the_desk(running_servers, live_server, desk_secret, tmp_path)
    yield fake
    bot.stop()
    fake.stop()


@pytest.fixture
def telegram_with_staff_group(running_servers, live_server, desk_staff_group, tmp_path) -> Iterator[FakeBotAPI]:
    fake, bot = bot_beside_the_desk(
        running_servers, live_server, desk_staff_group, tmp_path, KENESH_STAFF_CHAT_ID=str(STAFF_GROUP)
    )
    yield fake
    bot.stop()
    fake.stop()


def ask_for_a_person(fake: FakeBotAPI, user: int) -> str:
    """/human, then "Yes, connect me" under the consent; the case number the bot tells the user."""
    mark = fake.mark()
    fake.text(user, "/human")
    consent = fake.wait_for_messages(user, mark)[-1]
    assert "Hotline Test" in consent.text and "/bot" in consent.text
    mark = fake.mark()
    fake.press(user, consent, consent.button(ru("Yes, connect me")))
    connected = fake.wait_for_messages(user, mark)[-1]
    number = re.search(r"\b[A-Z0-9]{5}\b", connected.text)
    assert number, connected.text
    return number.group(0)


def test_a_user_asks_for_a_person_staff_answer_close_and_the_bot_answers_again(
    telegram: FakeBotAPI, staff_page, running_servers
) -> None:
    fake, page = telegram, staff_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/cases/")
    page.evaluate("window.sameQueuePage = true")  # gone if the page reloads

    number = ask_for_a_person(fake, USER)
    row = page.locator(f"#queue tbody tr[data-case='{number}']")
    expect(row).to_be_visible()  # it came in by polling
    assert page.evaluate("window.sameQueuePage") is True
    case = Case.objects.get(number=number)
    assert case.script == "ru" and not case.pseudonym.endswith(str(USER)) and str(USER) not in case.reply_address

    row.locator("a.case-number").click()
    mark = fake.mark()
    page.click("button.claim")
    claimed = fake.wait_for_messages(USER, mark)[-1]
    assert claimed.text == CLAIMED

    fake.text(USER, f"{MARKUP} меня держат в отделе")
    expect(page.locator("#messages .message.user .text")).to_contain_text(f"{MARKUP} меня держат в отделе")
    assert page.locator("#messages img").count() == 0

    mark = fake.mark()
    page.fill("#reply-text", "Здравствуйте. Вы можете не подписывать контракт. Где вы сейчас?")
    page.click("form.reply button[type=submit]")
    reply = fake.wait_for_messages(USER, mark)[-1]
    assert reply.text == "Здравствуйте. Вы можете не подписывать контракт. Где вы сейчас?"

    fake.text(USER, "в отделе полиции на Ленина")
    expect(page.locator("#messages .message.user .text").last).to_contain_text("в отделе полиции")
    screenshot(page, "desk-handoff-case")

    mark = fake.mark()
    page.select_option("#outcome", "answered")
    page.click("form.close button[type=submit]")
    closed = fake.wait_for_messages(USER, mark)[-1]
    assert closed.text == ru("The person has ended this conversation. The bot answers your questions again.")

    mark = fake.mark()
    fake.text(USER, "мне пришла электронная повестка, что делать?")
    answer = fake.wait_for_messages(USER, mark, timeout=60)[0]
    kb = load_knowledge(running_servers.knowledge_dir)
    assert answer.text.startswith(render.topic_answer(kb, "summons_received", "ru").text[:40])
    assert CaseMessage.objects.filter(case=case).count() == 3  # nothing after the close reached the case
    actions = list(CaseEvent.objects.filter(number=number).order_by("at").values_list("action", flat=True))
    assert actions[0] == "case.open" and {"case.claim", "case.reply", "case.close"} <= set(actions)
    assert dialogs == []


def test_staff_answer_and_close_a_case_inside_its_forum_topic(
    telegram_with_staff_group: FakeBotAPI, cast, staff_as_migrated
) -> None:
    fake = telegram_with_staff_group
    StaffLink.objects.create(user=cast["staff"], telegram_id=STAFF_MEMBER)
    number = ask_for_a_person(fake, USER + 1)
    topic = fake.wait_for(lambda: next((p for m, p in fake.calls if m == "createForumTopic"), None))
    assert number in topic["name"] and str(USER + 1) not in topic["name"]
    thread = fake.wait_for(lambda: Case.objects.get(number=number).staff_thread_id)

    fake.text(USER + 1, "мне дали повестку в военкомат")
    copied = fake.wait_for(
        lambda: [s for s in fake.messages_to(STAFF_GROUP) if "военкомат" in s.text and s.thread_id == thread]
    )
    assert str(USER + 1) not in copied[0].text

    mark = fake.mark()
    fake.topic_text(STAFF_MEMBER, STAFF_GROUP, thread, "Когда дата явки?")
    sent = [s.text for s in fake.wait_for_messages(USER + 1, mark, count=2)]
    assert sent == [CLAIMED, "Когда дата явки?"]  # the first answer in the topic claimed the case
    assert Case.objects.get(number=number).owner == cast["staff"]

    mark = fake.mark()
    fake.topic_text(STAFF_MEMBER + 1, STAFF_GROUP, thread, "а это кто-то посторонний")  # not linked to the desk
    fake.topic_text(STAFF_MEMBER, STAFF_GROUP, thread, "/close")
    closed = fake.wait_for_messages(USER + 1, mark)[-1]
    assert closed.text == ru("The person has ended this conversation. The bot answers your questions again.")
    assert "посторонний" not in " ".join(s.text for s in fake.messages_to(USER + 1))
    assert Case.objects.get(number=number).status == Case.Status.CLOSED
