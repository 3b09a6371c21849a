"""A case as staff see it: labels in the desk's language, the language's own name, minutes waiting,
the risk check's levels and deadlines in words, and the topics a reply can quote.

The model's codes (reason, outcome, status) are stored as codes; their words are here, in the desk's
catalog (desk/locale), so a Russian desk shows them in Russian.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from bot.knowledge.loader import KnowledgeBase
from bot.language.codes import NATIVE_NAMES
from bot.risk.rules import RiskRules
from desk.cases.models import Case
from desk.lookup.topics import REFERENCE_SCRIPT, RISK_LEVEL_LABELS

STATUS_LABELS = {"waiting": _("waiting"), "claimed": _("claimed"), "closed": _("closed")}
REASON_LABELS = {
    "asked": _("asked for a person"),
    "clarify": _("the bot did not understand twice"),
    "urgent": _("urgent risk"),
    "high_risk": _("high-risk topic"),
}
OUTCOME_LABELS = {
    "answered": _("answered"),
    "referred": _("referred elsewhere"),
    "returned_to_bot": _("returned to the bot"),
    "no_reply": _("no reply"),
    "out_of_scope": _("out of scope"),
}


@dataclass(frozen=True)
class CaseRow:
    """One case in the queue, or the head of a case page."""

    case: Case
    language: str  # the language's own name: Тоҷикӣ
    html_lang: str  # uz-Cyrl
    status: str
    reason: str
    outcome: str
    waiting_minutes: int | None  # since the person's last unanswered message; None when nobody waits

    def fingerprint(self) -> tuple[Any, ...]:
        """What the queue shows of this case, to tell whether a poll would change anything."""
        case = self.case
        return (case.number, case.status, case.owner_id, case.urgent, case.outcome, self.waiting_minutes)


def row(case: Case, now: dt.datetime) -> CaseRow:
    return CaseRow(
        case=case,
        language=NATIVE_NAMES.get(case.script, case.script),
        html_lang=case.script.replace("_", "-"),
        status=STATUS_LABELS.get(case.status, case.status),
        reason=REASON_LABELS.get(case.reason, case.reason),
        outcome=OUTCOME_LABELS.get(case.outcome, case.outcome),
        waiting_minutes=int((now - case.waiting_since).total_seconds() // 60) if case.waiting_since else None,
    )


def topics(kb: KnowledgeBase, case: Case) -> list[tuple[str, str | None]]:
    """The case's topics (intent names) with their Russian titles; None for an intent that is no topic."""
    return [(topic_id, _title(kb, topic_id) if topic_id in kb.topics else None) for topic_id in case.topics]


def answer_choices(kb: KnowledgeBase, case: Case) -> list[tuple[str, list[tuple[str, str]]]]:
    """The answer picker's groups: this case's topics first, then every other topic by Russian title."""
    ours = [topic_id for topic_id in case.topics if topic_id in kb.topics]
    others = sorted((topic_id for topic_id in kb.topics if topic_id not in ours), key=lambda t: _title(kb, t))
    return [
        (_("This case's topics"), [(topic_id, _title(kb, topic_id)) for topic_id in ours]),
        (_("Every topic"), [(topic_id, _title(kb, topic_id)) for topic_id in others]),
    ]


def risk_levels(rules: RiskRules, case: Case) -> list[dict[str, str]]:
    """The risk check's level per jurisdiction, as the bot's card had it: [{jurisdiction, level, label}]."""
    levels = (case.risk or {}).get("levels") or {}
    names = {code.value: names[REFERENCE_SCRIPT] for code, names in rules.jurisdictions.items()}
    return [
        {"jurisdiction": names.get(code, code), "level": level, "label": RISK_LEVEL_LABELS.get(level, level)}
        for code, level in levels.items()
    ]


def risk_deadlines(rules: RiskRules, case: Case) -> list[str]:
    """Each deadline in the rules' Russian words with its date filled in. A deadline names its finding
    when the bot sends it; without one, an id whose findings word it differently shows as the id."""
    by_finding = {
        (finding.id, deadline_id): label
        for finding in rules.findings
        for deadline_id, label in finding.text[REFERENCE_SCRIPT].deadlines.items()
    }
    wordings: dict[str, set[str]] = {}
    for (_finding, deadline_id), label in by_finding.items():
        wordings.setdefault(deadline_id, set()).add(label)
    shown = []
    for deadline in (case.risk or {}).get("deadlines") or []:
        key, date = str(deadline.get("id")), str(deadline.get("date", ""))
        alike = wordings.get(key, set())
        wording = by_finding.get((deadline.get("finding"), key)) or (next(iter(alike)) if len(alike) == 1 else None)
        shown.append(wording.replace("{date}", date) if wording else f"{key}: {date}")
    return shown


def _title(kb: KnowledgeBase, topic_id: str) -> str:
    return kb.topics[topic_id].text[REFERENCE_SCRIPT].title
