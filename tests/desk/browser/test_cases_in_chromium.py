"""A case in headless Chromium: it appears in the open queue without a reload, staff claim it, the user's
markup shows as text, a knowledge-base answer goes into the reply, the reply is queued for the bot, and
closing opens the next waiting case. The bot is simulated by calling the case services, as its
internal API does."""

from __future__ import annotations

import hashlib

from django.utils import timezone
from playwright.sync_api import expect

from desk.cases import services
from desk.cases.models import Case, Outbox
from desk.lookup.knowledge import knowledge
from desk.lookup.topics import column
from tests.desk.browser.conftest import screenshot

MARKUP = "<img src=x onerror=alert(1)>"


def pseudonym(who: str) -> str:
    return hashlib.sha256(who.encode()).hexdigest()  # shaped like the bot's HMAC


def bot_opens(pseudonym: str, script: str, topics: list[str], urgent: bool = False, risk: dict | None = None) -> Case:
    case, created = services.open_case(
        pseudonym=pseudonym,
        script=script,
        topics=topics,
        risk=risk,
        urgent=urgent,
        reason="urgent" if urgent else "asked",
        reply_address="opaque-token",
    )
    assert created
    return case


def test_a_case_arrives_live_is_claimed_answered_from_the_knowledge_base_and_closed(staff_page) -> None:
    page = staff_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.click("header.top nav a[href='/cases/']")
    expect(page.locator("#queue")).to_be_visible()
    page.evaluate("window.sameQueuePage = true")  # gone if the page reloads

    asked = bot_opens(pseudonym("ky user"), "ky", ["summons_received"])
    urgent = bot_opens(
        pseudonym("tg user"),
        "tg",
        ["mercenarism_tj"],
        urgent=True,
        risk={"levels": {"tj": "high", "ru": "medium"}, "deadlines": [], "urgent": True},
    )
    rows = page.locator("#queue tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-case", urgent.number)  # urgent first
    assert page.evaluate("window.sameQueuePage") is True
    screenshot(page, "desk-queue")

    rows.first.locator("a.case-number").click()
    expect(page.locator("button.claim")).to_be_visible()
    expect(page.locator("#reply-text")).to_have_count(0)
    page.click("button.claim")
    expect(page.locator("ul.messages li.success")).to_contain_text(urgent.number)
    expect(page.locator("#reply-text")).to_be_visible()

    services.add_user_message(urgent.number, urgent.pseudonym, "tg-1", f"{MARKUP} Ман ба шартнома имзо гузоштам")
    user_message = page.locator("#messages .message.user .text")
    expect(user_message).to_contain_text(f"{MARKUP} Ман ба шартнома")
    assert page.locator("#messages img").count() == 0

    kb = knowledge()
    answer = column(kb, kb.topic("mercenarism_tj"), "tg", timezone.localdate()).plain
    page.select_option("#answer-topic", "mercenarism_tj")
    expect(page.locator("#reply-text")).to_have_value(answer)
    page.click("form.reply button[type=submit]")
    expect(page.locator("#messages .message.staff .text")).to_contain_text(kb.topic("mercenarism_tj").text["tg"].title)
    assert Outbox.objects.filter(case=urgent, kind=Outbox.Kind.REPLY, text=answer).exists()
    screenshot(page, "desk-case")

    page.select_option("#outcome", "answered")
    page.click("form.close button[type=submit]")
    expect(page).to_have_url(f"{page.url.split('/cases/')[0]}/cases/{asked.number}/")  # the next waiting case
    urgent.refresh_from_db()
    assert (urgent.status, urgent.outcome) == (Case.Status.CLOSED, "answered")
    assert dialogs == []
