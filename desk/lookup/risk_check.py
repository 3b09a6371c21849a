"""The risk check on behalf of a caller: the chat's questions as a web form, the card to copy.

The same rules and engine as the chat (bot.risk): a question is shown only when its `ask_if` holds
for the answers above it, a changed answer drops the ones that no longer apply, and the card is
bot.risk.card's, in the caller's script. Nothing is stored: the answers travel in the form
(POST, so never in a URL or a log) and are gone when the page is closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bot.knowledge.loader import KnowledgeBase
from bot.language.codes import base_language
from bot.language.i18n import in_script
from bot.risk.card import risk_card
from bot.risk.engine import AnswerError, assess, check_answer, next_question, relevant
from bot.risk.rules import Question, QuestionKind, RiskRules

DATE_CHOICE = "date"  # the radio button beside a date field: "this date" (the other choices are the question's options)
STAFF_SCRIPT = "ru"


@dataclass(frozen=True)
class Option:
    value: str
    label: str  # in Russian, for staff
    caller_label: str  # in the caller's script, to read out


@dataclass(frozen=True)
class Field:
    question: Question
    name: str  # the form field
    label: str
    caller_text: str
    options: tuple[Option, ...]
    answer: str | None  # the current answer (an option value or an ISO date)
    is_date: bool
    error: bool = False

    @property
    def date_value(self) -> str:
        return self.answer if self.is_date and self.answer and self.answer not in self.question.options else ""


@dataclass(frozen=True)
class Interview:
    fields: tuple[Field, ...]  # the answered questions that apply, then the next one
    complete: bool
    card: tuple[str, ...] = ()  # the card's messages in the caller's script, when complete
    urgent: bool = False

    @property
    def card_text(self) -> str:
        return "\n\n".join(self.card)


def field_name(question: Question) -> str:
    return f"q_{question.id}"


def read_answers(rules: RiskRules, form: Mapping[str, str]) -> tuple[dict[str, str], set[str]]:
    """The answers in a submitted form, checked against their questions, and the questions answered wrongly."""
    answers: dict[str, str] = {}
    wrong: set[str] = set()
    for question in rules.questions:
        value = (form.get(field_name(question)) or "").strip()
        if question.kind is QuestionKind.date and value in (DATE_CHOICE, ""):
            value = (form.get(f"{field_name(question)}_date") or "").strip()
        if not value:
            continue
        try:
            answers[question.id] = check_answer(question, value)
        except AnswerError:
            wrong.add(question.id)
    return answers, wrong


def _field(question: Question, script: str, answer: str | None, error: bool) -> Field:
    staff, caller = question.text[STAFF_SCRIPT], question.text[base_language(script)]
    options = tuple(
        Option(value, staff.options[value], in_script(script, caller.options[value])) for value in question.options
    )
    return Field(
        question=question,
        name=field_name(question),
        label=staff.question,
        caller_text=in_script(script, caller.question),
        options=options,
        answer=answer,
        is_date=question.kind is QuestionKind.date,
        error=error,
    )


def interview(
    kb: KnowledgeBase, rules: RiskRules, form: Mapping[str, str], script: str, today: dt.date | None = None
) -> Interview:
    """The form for these answers: the questions that apply so far, the next one, or the card."""
    today = today or dt.date.today()
    answers, wrong = read_answers(rules, form)
    kept = relevant(rules, answers)
    upcoming = next_question(rules, kept)
    shown = [_field(q, script, kept[q.id], False) for q in rules.questions if q.id in kept]
    if upcoming is not None:
        shown.append(_field(upcoming, script, None, upcoming.id in wrong))
        return Interview(tuple(shown), complete=False)
    assessment = assess(rules, kept, today)
    card = tuple(message.text for message in risk_card(kb, rules, assessment, script, today))
    return Interview(tuple(shown), complete=True, card=card, urgent=assessment.urgent)
