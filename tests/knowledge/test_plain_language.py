"""Plain short answers (bot/knowledge/readability.py) and the glossary's words (bot/knowledge/terms.py)."""

from __future__ import annotations

import pytest

from bot.knowledge.readability import sentences, short_answer_problems, words
from bot.knowledge.schema import Glossary
from bot.knowledge.terms import term_problems


def messages(lang: str, short: str) -> list[str]:
    return [problem.message for problem in short_answer_problems("topics/x.yaml", lang, short)]


def test_words_count_numbers_and_apostrophe_words_once() -> None:
    assert words("Штраф 10 000 рублей до 04.11.2025.") == ["Штраф", "10 000", "рублей", "до", "04.11.2025"]
    assert words("o'zingiz qo'ng'iroq qiling {contact:kg_mfa}") == ["o'zingiz", "qo'ng'iroq", "qiling", "contact"]


def test_sentences_end_at_stops_and_line_breaks() -> None:
    assert sentences("Идите в военкомат. Возьмите паспорт!\n- Позвоните юристу") == [
        "Идите в военкомат.",
        "Возьмите паспорт!",
        "- Позвоните юристу",
    ]


def test_a_plain_short_answer_passes() -> None:
    assert (
        messages("ru", "Повестку нужно получить. Идите в военкомат с паспортом. Если сомневаетесь, позвоните юристу.")
        == []
    )


@pytest.mark.parametrize(
    ("lang", "short", "expected"),
    [
        ("ru", " ".join(["слово"] * 10 + ["."]) * 5, "has 50 words; at most 45"),
        ("ky", " ".join(["сөз"] * 15) + ".", "a sentence of 15 words (at most 14)"),
        ("tg", " ".join(["калима"] * 17) + ".", None),  # Tajik allows 17 words a sentence
        ("ru", "Штраф по ст. 21.5 за неявку.", "cites 'ст. 2'"),
        ("ru", "Закон № 114-ФЗ это запрещает.", "cites '№'"),
        ("uz", "Qonun (328-modda) bo'yicha jazo.", "cites '328-modda'"),
        ("ru", "Спросите в МВД или в МФЦ.", "abbreviation 'МВД'"),
        ("ru", "Покажите ВНЖ или РВП.", None),  # the permits' own names are known words
    ],
)
def test_long_answers_long_sentences_citations_and_abbreviations_are_reported(lang, short, expected) -> None:
    found = messages(lang, short)
    if expected is None:
        assert found == []
    else:
        assert any(expected in message for message in found), found


GLOSSARY = Glossary(
    terms=[
        {"id": "evasion", "ru": ["уклонени"], "tg": {"use": "саркаш", "avoid": ["гурез"]}},
        {"id": "criminal_code", "ru": ["УК"], "uz": {"avoid": ["JK"]}},
        {"id": "consulate", "ru": ["консульств"], "uz": {"use": "konsulli", "avoid": ["konsulxona"]}},
    ]
)


def test_a_translation_must_use_the_glossarys_word_when_the_russian_has_the_term() -> None:
    russian = "Уклонение от призыва — преступление."
    assert list(term_problems(GLOSSARY, "tg", russian, "Саркашӣ аз даъват ҷиноят аст.")) == []
    [problem] = term_problems(GLOSSARY, "tg", russian, "Аз даъват ҷиноят аст.")
    assert "lacks 'саркаш'" in problem
    assert list(term_problems(GLOSSARY, "tg", "Идите в военкомат.", "Ба военкомат равед.")) == []


def test_avoided_variants_are_found_at_the_start_of_words_only() -> None:
    russian = "Уклонение от призыва — преступление."
    problems = list(term_problems(GLOSSARY, "tg", russian, "Саркашӣ, яъне гурез аз даъват."))
    assert problems == ["uses 'гурез' for 'evasion'; use 'саркаш' (knowledge/glossary.yaml)"]
    assert list(term_problems(GLOSSARY, "tg", russian, "Саркашӣ; нагурезед.")) == []  # inside a word: not it


def test_russian_abbreviations_match_as_written_and_avoid_applies_without_a_russian_trigger() -> None:
    assert list(term_problems(GLOSSARY, "uz", "Наука и руки.", "Fan va qo'llar.")) == []  # "ук" inside words
    [problem] = term_problems(GLOSSARY, "uz", "Статья УК.", "JKning moddasi.")
    assert "uses 'JK'" in problem
    [problem] = term_problems(GLOSSARY, "uz", "Позвоните.", "Konsulxonaga qo'ng'iroq qiling.")
    assert "uses 'konsulxona'" in problem


def test_risk_rule_texts_are_checked_against_the_glossary_with_their_place(tmp_path) -> None:
    import yaml

    from bot.knowledge.lint import risk_rule_terms
    from bot.knowledge.loader import KnowledgeBase

    rules = {
        "findings": [
            {
                "id": "ru_evasion",
                "text": {
                    "ru": {"title": "Уклонение", "steps": ["Позвоните в консульство."]},
                    "tg": {"title": "Гурез", "steps": ["Ба консулгарӣ занг занед."], "aliases": {"x": ["гурез"]}},
                },
            }
        ]
    }
    (tmp_path / "risk_rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    found = [(p.field, p.message) for p in risk_rule_terms(tmp_path, KnowledgeBase(glossary=GLOSSARY))]
    assert found == [
        ("findings[ru_evasion].text.tg.title", "uses 'гурез' for 'evasion'; use 'саркаш' (knowledge/glossary.yaml)"),
        (
            "findings[ru_evasion].text.tg.title",
            "the Russian speaks of 'evasion' but the text lacks 'саркаш' (knowledge/glossary.yaml)",
        ),
    ]
