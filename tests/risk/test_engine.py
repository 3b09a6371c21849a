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
        "age_band": "age_18_30",
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
