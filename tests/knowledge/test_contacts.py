"""knowledge/contacts.yaml: contact details live in one registry, with proof, and expire."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.knowledge import render
from bot.knowledge.lint import lint
from bot.knowledge.loader import read_knowledge

TODAY = dt.date(2026, 6, 1)
REGISTRY = """
max_age_days: 180
contacts:
  - id: help_line
    kind: website
    value: "help.example.org"
    organisation: {ru: "Служба помощи", ky: "Жардам кызматы", uz: "Yordam xizmati", tg: "Хадамоти ёрӣ"}
    source: "https://example.org/about"
    last_verified_on: 2026-05-01
"""


def set_text(kb: Path, lang: str, short: str) -> None:
    path = kb / "topics" / "alpha_topic.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"  {lang}:\n")
    at = next(i for i in range(start, len(lines)) if lines[i].startswith("    short:"))
    lines[at] = f'    short: "{short}"\n'
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def kb_with_contact(valid_kb: Path) -> Path:
    (valid_kb / "contacts.yaml").write_text(REGISTRY, encoding="utf-8")
    set_text(valid_kb, "ky", "Жардам: {contact:help_line} сайтында.")
    return valid_kb


def contact_problems(root: Path, today: dt.date = TODAY) -> list:
    return [str(p) for p in lint(root, today=today, min_examples=2) if "contact" in str(p)]


def test_a_known_current_contact_is_clean_and_shown(kb_with_contact: Path) -> None:
    assert contact_problems(kb_with_contact) == []
    kb, _ = read_knowledge(kb_with_contact)
    assert "Жардам: help.example.org сайтында." in render.topic_answer(kb, "alpha_topic", "ky", today=TODAY).text


def test_an_old_contact_is_not_shown_and_lint_warns(kb_with_contact: Path) -> None:
    later = dt.date(2027, 1, 1)  # 245 days after verification
    problems = contact_problems(kb_with_contact, today=later)
    assert len(problems) == 1 and problems[0].startswith("warning: contacts.yaml") and "not shown" in problems[0]
    kb, _ = read_knowledge(kb_with_contact)
    text = render.topic_answer(kb, "alpha_topic", "ky", today=later).text
    assert "help.example.org" not in text and "Жардам кызматы" in text


def test_uzbek_cyrillic_keeps_the_contact_as_written(kb_with_contact: Path) -> None:
    set_text(kb_with_contact, "uz", "Yordam: {contact:help_line} saytida.")
    kb, _ = read_knowledge(kb_with_contact)
    text = render.topic_answer(kb, "alpha_topic", "uz_Cyrl", today=TODAY).text
    assert "help.example.org" in text and "Ёрдам" in text


@pytest.mark.parametrize(
    "raw",
    [
        "+7 999 123-45-67",
        "8 (495) 123 45 67",
        "https://example.org/x",
        "www.example.org",
        "mfa.gov.kg",
        "@helpbot",
        "t.me/helpbot",
    ],
)
def test_contact_details_written_into_a_text_are_errors(kb_with_contact: Path, raw: str) -> None:
    set_text(kb_with_contact, "tg", f"Ба ин занг занед ё нависед: {raw} ҳозир.")
    problems = contact_problems(kb_with_contact)
    assert any("alpha_topic.yaml: text.tg.short" in p and "looks like a contact detail" in p for p in problems), (
        problems
    )


@pytest.mark.parametrize(
    "text", ["указ № 647 (2022 год)", "штраф 10 000–30 000 рублей", "в 2022-2025 годах", "с 01.01.2026"]
)
def test_numbers_that_are_not_phone_numbers_pass(kb_with_contact: Path, text: str) -> None:
    set_text(kb_with_contact, "ru", f"Закон: {text}.")
    assert not any("looks like a contact detail" in p for p in contact_problems(kb_with_contact))


def test_an_unknown_contact_id_is_an_error(kb_with_contact: Path) -> None:
    set_text(kb_with_contact, "ru", "Помощь: {contact:no_such_contact}.")
    assert any("unknown contact id 'no_such_contact'" in p for p in contact_problems(kb_with_contact))


def test_a_contact_without_a_source_is_an_error(kb_with_contact: Path) -> None:
    path = kb_with_contact / "contacts.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('    source: "https://example.org/about"\n', ""), encoding="utf-8"
    )
    problems = [str(p) for p in lint(kb_with_contact, today=TODAY, min_examples=2)]
    assert any("contacts.yaml" in p and "contacts.0.source" in p and "field required" in p for p in problems)
