"""`python -m bot assess`: a JSON object of answers on stdin → the findings as JSON (or the card as text).

The field names and values are documented in docs/risk-check.md; the chat uses the same engine.
"""

from __future__ import annotations

import json
from typing import Any

from bot.knowledge.loader import KnowledgeBase
from bot.risk.engine import Assessment, next_question, validate
from bot.risk.rules import RiskRules, cited_sources


def _sources(kb: KnowledgeBase, references: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "topic": reference.partition("/")[0],
            "id": source.id,
            "kind": source.kind.value,
            "title": source.title,
            "number": source.number,
            "url": source.url or source.path,
            "checked_on": source.checked_on.isoformat(),
        }
        for reference in references
        for source in cited_sources(kb, [reference])
    ]


def as_json(kb: KnowledgeBase, rules: RiskRules, assessment: Assessment, given: dict[str, str]) -> dict[str, Any]:
    """The assessment as plain data: findings, risk per jurisdiction, sources, dated deadlines."""
    upcoming = next_question(rules, assessment.answers)
    return {
        "rules_as_of": rules.as_of.isoformat(),
        "complete": upcoming is None,
        "next_question": upcoming.id if upcoming else None,
        "ignored": sorted(set(given) - set(assessment.answers)),  # answers to questions that do not apply
        "urgent": assessment.urgent,
        "risk": {jurisdiction: assessment.levels[jurisdiction].value for jurisdiction in assessment.jurisdictions()},
        "findings": [
            {
                "id": finding.id,
                "jurisdiction": finding.jurisdiction.value,
                "risk": finding.risk.value,
                "urgent": finding.urgent,
                "topics": finding.topics,
                "sources": _sources(kb, finding.sources),
                "deadlines": [
                    {"id": d.id, "date": d.date.isoformat()} for d in assessment.deadlines if d.finding == finding.id
                ],
            }
            for finding in assessment.findings
        ],
    }


def read_answers(rules: RiskRules, text: str) -> dict[str, str]:
    """Parse the JSON object of answers and check it (AnswerError / ValueError on bad input)."""
    given = json.loads(text)
    if not isinstance(given, dict):
        raise ValueError('expected a JSON object of answers, e.g. {"home_country": "kg"}')
    return validate(rules, given)
