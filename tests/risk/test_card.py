"""bot/risk/card.py: one message per jurisdiction, dates in the user's script, urgent help first."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.risk.card import risk_card
from bot.risk.engine import assess

TODAY = dt.date(2026, 12, 2)
SCRIPTS = ["ky", "ru", "uz", "uz_Cyrl", "tg"]
# How Babel writes 20 November 2026 in each script (CLDR), as the card must.
DELIVERED_ON = {
    "ky": "2026-ж., 27-ноябрь",
    "ru": "27 ноября 2026",
    "uz": "27-noyabr, 2026",
    "uz_Cyrl": "27 ноябр, 2026",
    "tg": "27 Ноябр 2026",
}


@pytest.mark.parametrize("script", SCRIPTS)
def test_one_message_per_jurisdiction_then_the_buttons(rules, kb, summoned, script: str) -> None:
    messages = risk_card(kb, rules, assess(rules, summoned, TODAY), script, TODAY)
    language = script.split("_")[0]
    assert len(messages) == 3  # Russia, Kyrgyzstan, then the closing line with buttons
    assert messages[0].text.split(":")[0] in (
        rules.jurisdictions["ru"][language],
        __import__("bot.language.translit", fromlist=["x"]).latin_to_cyrillic(rules.jurisdictions["ru"][language]),
    )
    assert "http" in messages[0].text and messages[-1].buttons


@pytest.mark.parametrize("script", SCRIPTS)
def test_deadlines_are_computed_and_written_for_the_user(rules, kb, summoned, script: str) -> None:
    russia = risk_card(kb, rules, assess(rules, summoned, TODAY), script, TODAY)[0].text
    assert DELIVERED_ON[script] in russia


def test_uzbek_cyrillic_card_has_no_latin_uzbek_words(rules, kb, summoned) -> None:
    text = "\n".join(m.text for m in risk_card(kb, rules, assess(rules, summoned, TODAY), "uz_Cyrl", TODAY))
    assert "qilish" not in text and "Nima" not in text


@pytest.mark.parametrize("script", SCRIPTS)
def test_urgent_cards_open_with_rights_and_human_help(rules, kb, script: str) -> None:
    answers = {"situation_now": "detained", "home_country": "uz", "russian_citizen": "not_citizen"}
    messages = risk_card(kb, rules, assess(rules, answers, TODAY), script, TODAY)
    first = messages[0].text
    language = script.split("_")[0]
    assert "mfa.uz" in first  # the consulates' official sites from the contacts registry
    rights = kb.topic("police_pressure").text[language].short.split()[0]
    assert rights.lower().strip(".,:") in first.lower() or script == "uz_Cyrl"


def test_the_card_speaks_plain_words_not_answer_codes(rules, kb, summoned) -> None:
    text = "\n".join(m.text for m in risk_card(kb, rules, assess(rules, summoned, TODAY), "ru", TODAY))
    for code in ("age_31_65", "citizen", "electronic", "summons_date", "ru_summons"):
        assert code not in text
