"""Answers → the next question to ask, then findings, a risk level per jurisdiction and dated deadlines.

Answers are a mapping of question id → option value, or an ISO date (YYYY-MM-DD) for a date
question. The chat (rasa_project/actions/risk_check.py) and `python -m bot assess` both use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bot.errors import KeneshError
from bot.risk.rules import GIVEN, LEVELS, Alternatives, Condition, Finding, Level, Question, QuestionKind, RiskRules

Answers = Mapping[str, str]
URGENT_WITHIN = dt.timedelta(hours=48)


class AnswerError(KeneshError):
    """An answer names no question, or is not one of the question's answers."""


def condition_value(question: Question, answer: str) -> str:
    """What a condition compares: a date answer is GIVEN, any other answer is itself."""
    if question.kind is QuestionKind.date and answer not in question.options:
        return GIVEN
    return answer


def holds(condition: Condition, view: Answers) -> bool:
    """True when every question in `condition` has one of its accepted answers in `view`.

    `view` holds answers as conditions see them (condition_value): a date reads GIVEN.
    """
    for question_id, accepted in condition.items():  # noqa: SIM110 (a loop, not all(): lint runs this per combination)
        if view.get(question_id) not in accepted:
            return False
    return True


def any_holds(alternatives: Alternatives, view: Answers) -> bool:
    for condition in alternatives:  # noqa: SIM110 (a loop, as in holds(): lint runs this per combination)
        if holds(condition, view):
            return True
    return False


def applies(question: Question, view: Answers) -> bool:
    """The question is asked, given the answers so far."""
    return (not question.ask_if or any_holds(question.ask_if, view)) and not any_holds(question.ask_unless, view)


def matches(finding: Finding, view: Answers) -> bool:
    """The finding follows from these answers."""
    return (not finding.when or any_holds(finding.when, view)) and not any_holds(finding.unless, view)


def relevant(rules: RiskRules, answers: Answers) -> dict[str, str]:
    """The answers to questions that apply, given the answers before them (a changed answer drops the rest)."""
    kept: dict[str, str] = {}
    view: dict[str, str] = {}
    for question in rules.questions:
        if question.id in answers and applies(question, view):
            kept[question.id] = answers[question.id]
            view[question.id] = condition_value(question, answers[question.id])
    return kept


def view_of(rules: RiskRules, answers: Answers) -> dict[str, str]:
    return {
        question_id: condition_value(rules.question(question_id), answer) for question_id, answer in answers.items()
    }


def next_question(rules: RiskRules, answers: Answers) -> Question | None:
    """The first question that applies and is not answered yet; None when the interview is complete."""
    kept = relevant(rules, answers)
    view = view_of(rules, kept)
    return next((q for q in rules.questions if q.id not in kept and applies(q, view)), None)


def check_answer(question: Question, answer: str) -> str:
    """The answer as stored (an option value, or an ISO date), or AnswerError."""
    if answer in question.options:
        return answer
    if question.kind is QuestionKind.date:
        try:
            return dt.date.fromisoformat(answer).isoformat()
        except ValueError:
            pass
        raise AnswerError(f"{question.id}: expected a date YYYY-MM-DD or one of {question.options}")
    raise AnswerError(f"{question.id}: expected one of {question.options}")  # never the answer: it may be typed text


def validate(rules: RiskRules, answers: Mapping[str, object]) -> dict[str, str]:
    """Check every answer against its question; raise AnswerError for the first bad one."""
    known = {question.id: question for question in rules.questions}
    checked = {}
    for question_id, answer in answers.items():
        if question_id not in known:
            raise AnswerError(f"unknown question {question_id!r}; questions: {', '.join(known)}")
        if not isinstance(answer, str):
            raise AnswerError(f"{question_id}: an answer must be a string")
        checked[question_id] = check_answer(known[question_id], answer)
    return checked


@dataclass(frozen=True)
class DatedDeadline:
    finding: str
    id: str
    date: dt.date
    act_by: bool = True


@dataclass(frozen=True)
class Assessment:
    answers: dict[str, str]  # the answers the findings rest on (those that apply)
    findings: tuple[Finding, ...]
    deadlines: tuple[DatedDeadline, ...]
    levels: dict[str, Level]  # jurisdiction -> the highest level among its findings (`note`: notes only)
    urgent: bool

    def jurisdictions(self) -> list[str]:
        """Jurisdictions with findings, riskiest first (then in the rules' order)."""
        order = [f.jurisdiction.value for f in self.findings]
        return sorted(dict.fromkeys(order), key=lambda j: -LEVELS.index(self.levels[j]))


def _deadlines(finding: Finding, answers: Answers) -> list[DatedDeadline]:
    dated = []
    for deadline in finding.deadlines:
        try:
            start = dt.date.fromisoformat(answers.get(deadline.after, ""))
        except ValueError:  # not given ("not known")
            continue
        dated.append(DatedDeadline(finding.id, deadline.id, start + dt.timedelta(days=deadline.days), deadline.act_by))
    return dated


def assess(rules: RiskRules, answers: Answers, today: dt.date | None = None) -> Assessment:
    """The findings for these answers, with deadlines computed from the dates given."""
    today = today or dt.date.today()
    kept = relevant(rules, answers)
    view = view_of(rules, kept)
    findings = tuple(f for f in rules.findings if matches(f, view))
    deadlines = tuple(d for f in findings for d in _deadlines(f, kept))
    levels: dict[str, Level] = {}
    for finding in findings:
        current = levels.get(finding.jurisdiction.value, Level.note)
        levels[finding.jurisdiction.value] = max(current, finding.risk, key=LEVELS.index)
    soon = any(d.act_by and today <= d.date <= today + URGENT_WITHIN for d in deadlines)
    return Assessment(kept, findings, deadlines, levels, soon or any(f.urgent for f in findings))
