"""bot/risk/answers.py: buttons, typed answers in every language, dates, controls."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.risk.answers import Input, payload, read_input

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("Кыргызстан", "ru", "kg"),
        ("я из узбекистана", "ru", "uz"),
        ("кыргызстандын жараны", "ky", "kg"),
        ("ozbekiston fuqarosiman", "uz", "uz"),
        ("Ўзбекистон", "uz", "uz"),
        ("тоҷик", "tg", "tj"),
        ("тоджикистон", "tg", "tj"),
    ],
)
def test_a_typed_country(rules, text: str, language: str, expected: str) -> None:
    assert read_input(rules, rules.question("home_country"), text, language, TODAY) == Input("answer", expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("да", "citizen"),
        ("ооба", "citizen"),
        ("ha", "citizen"),
        ("нет", "not_citizen"),
        ("жок", "not_citizen"),
        ("yo'q", "not_citizen"),
    ],
)
def test_yes_and_no_in_several_languages(rules, text: str, expected: str) -> None:
    assert read_input(rules, rules.question("russian_citizen"), text, "ru", TODAY) == Input("answer", expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("25", "age_18_29"),
        ("29", "age_18_29"),
        ("30", "age_30_65"),  # the conscription age ends on the 30th birthday (audit D)
        ("мне 40 лет", "age_30_65"),
        ("17 жаш", "under_18"),
        ("70", "over_65"),
        ("30–65", "age_30_65"),
    ],
)
def test_an_age_typed_as_a_number(rules, text: str, expected: str) -> None:
    assert read_input(rules, rules.question("age_band"), text, "ru", TODAY) == Input("answer", expected)


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("20.11.2026", "ru", "2026-11-20"),
        ("2026-11-20", "uz", "2026-11-20"),
        ("20 ноября", "ru", "2026-11-20"),
        ("вчера", "ru", "2026-12-01"),
        ("кечээ", "ky", "2026-12-01"),
        ("kecha", "uz", "2026-12-01"),
        ("дирӯз", "tg", "2026-12-01"),
        ("20 ноябр", "tg", "2026-11-20"),
        ("5 дней назад", "ru", "2026-11-27"),
        ("не знаю", "ru", "unknown"),
        ("билбейм", "ky", "unknown"),
    ],
)
def test_a_date_or_not_known(rules, text: str, language: str, expected: str) -> None:
    assert read_input(rules, rules.question("summons_date"), text, language, TODAY) == Input("answer", expected)


@pytest.mark.parametrize(
    "text, control",
    [
        ("назад", "back"),
        ("артка", "back"),
        ("orqaga", "back"),
        ("бозгашт", "back"),
        ("стоп", "stop"),
        ("toxtat", "stop"),
        ("бас", "stop"),
        ("кайра баштоо", "restart"),
        ("начать заново", "restart"),
        ("изменить ответ", "change"),
        ("javobni o'zgartirish", "change"),
    ],
)
def test_controls_typed_in_every_language(rules, text: str, control: str) -> None:
    assert read_input(rules, rules.question("home_country"), text, "ru", TODAY) == Input("control", control)


def test_buttons_carry_answers_controls_and_questions_to_change(rules) -> None:
    question = rules.question("home_country")
    assert read_input(rules, question, payload("answer", "tj"), "ru", TODAY) == Input("answer", "tj")
    assert read_input(rules, question, payload("stop"), "ru", TODAY) == Input("control", "stop")
    assert read_input(rules, question, payload("edit", "sex"), "ru", TODAY) == Input("edit", "sex")


@pytest.mark.parametrize("text", ["", "   ", "🙂", "что такое повестка?", "/risk_check{broken", "1234567"])
def test_anything_else_is_not_understood(rules, text: str) -> None:
    assert read_input(rules, rules.question("home_country"), text, "ru", TODAY) == Input("unknown")
