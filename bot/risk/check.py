"""Checks of knowledge/risk_rules.yaml that `kb lint` runs: references, reachability, every combination.

Every combination of answers the interview can produce is enumerated (a date counts as one
answer, "given"; questions that do not apply are skipped, as the interview skips them). None may
end with no finding or with two findings that declare a conflict; every finding must be reached
by some combination; every question must matter to some rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from bot.errors import KnowledgeError
from bot.knowledge import lint as knowledge_lint
from bot.knowledge.loader import KnowledgeBase, field_name
from bot.knowledge.parity import fields_fingerprint, out_of_date
from bot.problems import Problem
from bot.risk.engine import applies, matches
from bot.risk.rules import RULES_FILE, RiskRules, read_rules


def _conditioned(rules: RiskRules) -> set[str]:
    """Questions some condition looks at (a question only a deadline uses cannot change a finding)."""
    conditions = [c for f in rules.findings for c in (*f.when, *f.unless)]
    conditions += [c for q in rules.questions for c in (*q.ask_if, *q.ask_unless)]
    return {question_id for condition in conditions for question_id in condition}


def combinations(rules: RiskRules) -> Iterator[dict[str, str]]:
    """Every set of answers the interview can end with, as conditions see them (a date is GIVEN).

    A question no condition looks at takes one value only: its other values lead to the same findings.
    """
    conditioned = _conditioned(rules)

    def walk(index: int, answers: dict[str, str]) -> Iterator[dict[str, str]]:
        if index == len(rules.questions):
            yield dict(answers)
            return
        question = rules.questions[index]
        if not applies(question, answers):
            yield from walk(index + 1, answers)
            return
        values = question.values() if question.id in conditioned else question.values()[:1]
        for value in values:
            answers[question.id] = value
            yield from walk(index + 1, answers)
        del answers[question.id]

    return walk(0, {})


def _problem(where: str, message: str, severity: str = "error") -> Problem:
    return Problem(RULES_FILE, where, message, severity)


def _describe(answers: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in answers.items())


def check_combinations(rules: RiskRules) -> list[Problem]:
    problems: list[Problem] = []
    reached: set[str] = set()
    for answers in combinations(rules):
        found = [f for f in rules.findings if matches(f, answers)]
        ids = {f.id for f in found}
        reached |= ids
        if not found:
            problems.append(_problem("findings", f"no finding for: {_describe(answers)}"))
        clashes = {tuple(sorted((f.id, other))) for f in found for other in set(f.conflicts_with) & ids}
        for first, second in sorted(clashes):
            problems.append(
                _problem(f"findings.{first}", f"conflicts with {second}, yet both follow from: {_describe(answers)}")
            )
        if len(problems) > 20:
            problems.append(_problem("findings", "more problems not listed"))
            return problems
    for finding in rules.findings:
        if finding.id not in reached:
            problems.append(_problem(f"findings.{finding.id}", "no combination of answers leads to it"))
    return problems


def check_questions_matter(rules: RiskRules) -> list[Problem]:
    used = _conditioned(rules) | {d.after for f in rules.findings for d in f.deadlines}
    return [
        _problem(f"questions.{q.id}", "no rule and no other question depends on it: it need not be asked")
        for q in rules.questions
        if q.id not in used
    ]


def check_references(rules: RiskRules, kb: KnowledgeBase) -> list[Problem]:
    problems = []
    for finding in rules.findings:
        for topic_id in finding.topics:
            if topic_id not in kb.topics:
                problems.append(_problem(f"findings.{finding.id}.topics", f"unknown topic {topic_id!r}"))
        for reference in finding.sources:
            topic_id, _, source_id = reference.partition("/")
            topic = kb.topics.get(topic_id)
            if topic is None or source_id not in {s.id for s in topic.sources}:
                problems.append(
                    _problem(
                        f"findings.{finding.id}.sources",
                        f"{reference!r} is not <topic id>/<source id> of a served topic",
                    )
                )
    return problems


def check_parity(rules: RiskRules) -> list[Problem]:
    """Every translation records the fingerprint of the Russian text it was made from."""
    problems = []
    for kind, items in (("questions", rules.questions), ("findings", rules.findings)):
        for item in items:
            for lang, _ in out_of_date(item.text, fields_fingerprint):
                problems.append(
                    _problem(
                        f"{kind}.{item.id}.text.{lang}",
                        "not confirmed against the current Russian text: check it, then "
                        f"`python -m bot kb confirm risk_rules {lang}`",
                    )
                )
    return problems


def check_rules(rules: RiskRules, kb: KnowledgeBase, every_combination: bool = True) -> list[Problem]:
    """Every check; `every_combination=False` leaves out the exhaustive one, which takes seconds."""
    problems = check_references(rules, kb) + check_questions_matter(rules) + check_parity(rules)
    return problems + (check_combinations(rules) if every_combination else [])


def lint(root: Path, kb: KnowledgeBase, today: dt.date, every_combination: bool = True) -> list[Problem]:
    """knowledge/risk_rules.yaml under `root`: the file itself, then its references and (by default) every
    combination of answers."""
    path = root / RULES_FILE
    if not path.exists():
        return []
    try:
        rules = read_rules(path)
    except KnowledgeError as error:
        if isinstance(error.__cause__, ValidationError):  # one problem per field, so the desk shows each at its field
            return [_problem(field_name(e["loc"]), e["msg"]) for e in error.__cause__.errors()]
        return [Problem(RULES_FILE, "", str(error).split(": ", 1)[-1])]
    stale = (
        [Problem(RULES_FILE, "review_by", f"{rules.review_by} is in the past: review the rules", "warning")]
        if rules.review_by < today
        else []
    )
    return stale + check_rules(rules, kb, every_combination)


def kb_lint(root: Path, today: dt.date, rules: bool = True) -> list[Problem]:
    """Every problem `kb lint` reports for the knowledge folder `root`: the entries, then the risk rules
    (they share the entries, read once). The CLI prints these; the desk runs them on a draft, and
    passes rules=False for a draft of a topic's texts, which the rules' checks (their own file, topic
    and source ids, every combination: seconds) cannot be affected by."""
    kb, problems = knowledge_lint.read(root)
    problems += knowledge_lint.check(kb, today) + knowledge_lint.risk_rule_terms(root, kb)
    return problems + (lint(root, kb, today) if rules else [])
