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
    "uz_Cyrl": "27-ноябрь, 2026",
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
    for code in ("age_30_65", "citizen", "electronic", "summons_date", "ru_summons"):
        assert code not in text


def test_a_note_is_marked_and_comes_after_the_risks_of_its_country(rules, kb, summoned) -> None:
    """kg_dual is information, not a risk (audit R4): ℹ️, after kg_no_contract, and no level of its own."""
    assessment = assess(rules, summoned, TODAY)
    assert assessment.levels["kg"].value == "low"
    kyrgyzstan = risk_card(kb, rules, assessment, "ru", TODAY)[1].text
    assert kyrgyzstan.startswith("Кыргызстан: низкий риск")
    dual = next(f for f in rules.findings if f.id == "kg_dual").text["ru"].title
    assert f"ℹ️ {dual}" in kyrgyzstan and kyrgyzstan.index("• ") < kyrgyzstan.index("ℹ️")


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_country_with_notes_only_is_headed_for_information(rules, kb, script: str) -> None:
    """No rule gives a country notes only today, but the card must not call a note a risk."""
    from bot.risk.engine import Assessment

    dual = next(f for f in rules.findings if f.id == "kg_dual")
    assessment = Assessment({}, (dual,), (), {"kg": dual.risk}, False)
    text = risk_card(kb, rules, assessment, script, TODAY)[0].text
    label = rules.note_label[script.split("_")[0]]
    assert text.split(": ", 1)[1].startswith(label if script != "uz_Cyrl" else "маълумот")
    for word in ("риск", "коркунуч", "xavf", "хатар"):
        assert word not in text.split("\n")[0]


def test_a_promise_of_citizenship_leads_to_the_citizenship_for_service_topic(rules, kb, promised_citizenship) -> None:
    """The lure of almost every story: the card's first topic button is what that citizenship really is."""
    answers = promised_citizenship
    messages = risk_card(kb, rules, assess(rules, answers, TODAY), "ru", TODAY)
    assert messages[-1].buttons[0].payload == "/citizenship_for_service"
    assert "4 января 2024 года" in messages[0].text
