"""bot/risk/engine.py: the order of questions, answers that stop applying, deadlines, urgency, bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.risk.engine import AnswerError, assess, next_question, relevant, validate


def ask_order(rules, answers: dict) -> list:
    """The questions asked, in order, when each is answered from `answers`."""
    given, asked = {}, []
    while (question := next_question(rules, given)) is not None:
        asked.append(question.id)
        given[question.id] = answers[question.id]
    return asked


def test_a_detained_person_is_asked_three_questions_only(rules) -> None:
    assert ask_order(rules, {"situation_now": "detained", "home_country": "kg", "russian_citizen": "citizen"}) == [
        "situation_now",
        "home_country",
        "russian_citizen",
    ]


def test_a_woman_is_not_asked_her_age_nor_about_military_registration(rules) -> None:
    answers = {
        "situation_now": "none",
        "home_country": "uz",
        "russian_citizen": "citizen",
        "location": "russia",
        "sex": "female",
        "summons": "none",
        "contract": "none",
        "occupied_work": "none",
        "family": "none",
    }
    asked = ask_order(rules, answers)
    assert "age_band" not in asked and "military_registration" not in asked and "summons_date" not in asked


def test_summons_dates_are_asked_only_after_a_summons(rules, summoned) -> None:
    assert "summons_date" in ask_order(rules, {**summoned, "summons": "electronic"})
    assert "summons_date" not in ask_order(rules, {**summoned, "summons": "none"})


def test_changing_an_earlier_answer_drops_answers_that_no_longer_apply(rules) -> None:
    answers = {
        "situation_now": "none",
        "home_country": "kg",
        "russian_citizen": "citizen",
        "location": "russia",
        "sex": "male",
        "age_band": "age_18_29",
        "military_service": "none",
    }
    assert "military_service" in relevant(rules, answers)
    assert "military_service" not in relevant(rules, {**answers, "sex": "female"})
    assert "age_band" not in relevant(rules, {**answers, "situation_now": "detained"})


def test_a_deadline_within_48_hours_makes_the_card_urgent(rules) -> None:
    answers = {
        "situation_now": "none",
        "home_country": "other",
        "russian_citizen": "citizen",
        "location": "russia",
        "sex": "female",
        "summons": "paper",
        "summons_date": "2026-11-20",
        "appearance_date": "2026-12-04",
        "contract": "none",
        "occupied_work": "none",
        "family": "none",
    }
    assert assess(rules, answers, dt.date(2026, 12, 2)).urgent
    assert not assess(rules, answers, dt.date(2026, 12, 1)).urgent
    assert not assess(rules, answers, dt.date(2026, 12, 5)).urgent  # already past: not "within" 48 hours


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"colour": "red"}, "unknown question 'colour'"),
        ({"home_country": "kz"}, "home_country: expected one of"),
        ({"summons_date": "20.11.2026"}, "summons_date: expected a date YYYY-MM-DD"),
        ({"home_country": 3}, "home_country: an answer must be a string"),
    ],
)
def test_bad_answers_are_refused_with_the_reason(rules, answers: dict, message: str) -> None:
    with pytest.raises(AnswerError, match=message):
        validate(rules, answers)


def test_a_citizenship_promise_is_asked_after_a_contract_and_only_of_foreigners(rules, promised_citizenship) -> None:
    answers = {**promised_citizenship, "home_country": "tj", "age_band": "age_30_65"}
    asked = ask_order(rules, answers)
    assert asked.index("citizenship_promise") == asked.index("contract") + 1
    assert "citizenship_promise" not in ask_order(rules, {**answers, "contract": "none"})
    citizen = {**answers, "russian_citizen": "citizen", "military_registration": "registered"}
    assert "citizenship_promise" not in ask_order(rules, citizen)


def test_a_note_never_raises_a_level_and_notes_alone_give_the_level_note() -> None:
    from pathlib import Path

    from bot.risk.rules import Level, read_rules

    small = read_rules(Path(__file__).parents[1] / "fixtures" / "risk" / "small_rules.yaml")
    foreigner = small.findings[0].copy(update={"risk": Level.note})
    rules = small.copy(update={"findings": [foreigner, *small.findings[1:]]})
    assert assess(rules, {"citizen": "not_citizen"}).levels == {"ru": Level.note}
    assert assess(rules, {"citizen": "citizen"}).levels == {"ru": Level.high}


def test_the_exit_ban_is_stated_only_for_those_who_can_be_conscripted(rules) -> None:
    """Audit R1: 114-FZ art. 15.1 speaks of citizens subject to conscription; for others it is unclear."""
    base = {
        "situation_now": "none",
        "home_country": "other",
        "russian_citizen": "citizen",
        "location": "russia",
        "sex": "male",
        "military_registration": "registered",
        "summons": "electronic",
        "summons_date": "2026-11-20",
        "appearance_date": "2026-12-20",
    }
    young = {f.id for f in assess(rules, {**base, "age_band": "age_18_29", "military_service": "none"}).findings}
    reservist = {f.id for f in assess(rules, {**base, "age_band": "age_30_65"}).findings}
    assert "ru_summons_exit_ban" in young and "ru_summons_exit_unclear" not in young
    assert "ru_summons_exit_unclear" in reservist and "ru_summons_exit_ban" not in reservist
    assert "ru_evasion_crime" not in reservist


def test_the_restrictions_start_after_twenty_full_days(rules, summoned) -> None:
    """«по истечении 20 календарных дней» after the appearance date: from day 21 (audit R1)."""
    dated = {f"{d.finding}.{d.id}": d.date for d in assess(rules, summoned).deadlines}
    assert dated["ru_summons_electronic.restrictions"] == dt.date(2026, 12, 20) + dt.timedelta(days=21)
