"""The desk in headless Chromium: log in, search in Tajik, copy, the caller's risk check → card."""

from __future__ import annotations

import re
from functools import lru_cache

import httpx
import pytest
from playwright.sync_api import expect

from bot.knowledge.render import topic_answer
from desk.lookup import rasa
from desk.lookup.knowledge import knowledge
from tests.desk.browser.conftest import screenshot
from tests.desk.conftest import PASSWORD

TAJIK_WITHOUT_SPECIAL_LETTERS = "барои чанг дар Украина дар Точикистон чазо медиханд?"


@pytest.fixture
def real_rasa(running_servers, monkeypatch: pytest.MonkeyPatch) -> None:
    """The desk asks the session's real Rasa server (the trained model) for topics."""
    client = lru_cache(maxsize=1)(lambda: httpx.Client(base_url=running_servers.rasa_base_url, timeout=30))
    monkeypatch.setattr(rasa, "_client", client)


def test_a_wrong_password_is_refused_and_the_right_one_logs_in(page, cast) -> None:
    page.goto("/lookup/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.fill("#id_username", "staff")
    page.fill("#id_password", "not the password")
    page.click("section.login button[type=submit]")
    expect(page.locator("p.error")).to_be_visible()
    screenshot(page, "desk-login-refused")
    page.fill("#id_password", PASSWORD)
    page.click("section.login button[type=submit]")
    expect(page.locator("#q")).to_be_visible()
    expect(page.locator("form.logout .who")).to_have_text("staff")


@pytest.mark.model
def test_tajik_typed_without_special_letters_finds_the_topic_side_by_side_and_copies(real_rasa, staff_page) -> None:
    page = staff_page
    page.fill("#q", TAJIK_WITHOUT_SPECIAL_LETTERS)
    page.press("#q", "Enter")
    first = page.locator("ol.hits li a").first
    expect(first).to_have_attribute("href", "/lookup/topics/mercenarism_tj/?lang=tg")
    screenshot(page, "desk-search")
    first.click()
    expect(page.locator('section.column[data-script="tg"]')).to_be_visible()
    expect(page.locator('section.column[data-script="ru"]')).to_be_visible()
    topic = knowledge().topic("mercenarism_tj")
    expect(page.locator('section.column[data-script="tg"] h3')).to_have_text(topic.text["tg"].title)
    expect(page.locator('section.column[data-script="ru"] h3')).to_have_text(topic.text["ru"].title)
    page.click('button.copy[data-copy="plain-tg"]')
    expect(page.locator('section.column[data-script="tg"] .copied')).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == topic_answer(knowledge(), "mercenarism_tj", "tg").text
    assert "<" not in copied  # plain text: no HTML to paste into Telegram, WhatsApp or an SMS
    screenshot(page, "desk-topic")


def test_the_callers_risk_check_ends_in_a_card_to_copy(staff_page) -> None:
    page = staff_page
    page.goto("/lookup/risk-check/")
    page.select_option("#lang", "tg")
    choices = {"situation_now": "detained", "home_country": "tj", "russian_citizen": "not_citizen"}
    for _ in range(20):
        if page.locator("#card-text").count():
            break
        last = page.locator("fieldset.question").last
        question = last.get_attribute("data-question")
        value = choices.get(question)
        radio = last.locator(f'input[type=radio][value="{value}"]') if value else last.locator("input[type=radio]").last
        radio.check()
        page.click("form.risk button[type=submit]")
    card = page.locator("#card-text")
    expect(card).to_be_visible()
    expect(page.locator("section.card p.warning")).to_be_visible()  # detained: urgent
    page.click('button.copy[data-copy="card-text"]')
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == card.input_value() and "Русия" in copied  # the card in Tajik
    screenshot(page, "desk-risk-check")


def test_what_was_typed_shows_as_text_and_runs_no_script(staff_page, no_rasa) -> None:
    page = staff_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    typed = "<img src=x onerror=alert(1)> повестка"
    page.fill("#q", typed)
    page.press("#q", "Enter")
    expect(page.locator("#results p.meta").first).to_be_visible()
    expect(page.locator("#q")).to_have_value(typed)
    assert page.locator("#results img").count() == 0
    assert dialogs == []
