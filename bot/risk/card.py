"""An assessment → the risk card: plain-text messages in the user's script, one per jurisdiction.

Urgent situations (detained or pressed right now, a deadline within 48 hours) open with the
rights-when-detained advice and the human-help contacts. Within a jurisdiction the riskiest
findings come first; a note (information, not a risk) is marked ℹ️ and comes last, and a
jurisdiction with notes only is headed with the rules' `note_label` instead of a level. Dates
are formatted with Babel. The card holds nothing about the person beyond what they answered, so
it can be forwarded as is.
"""

from __future__ import annotations

import datetime as dt

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.render import HUMAN_HELP_TOPIC, Answer, Button, strongest_first, topic_button, with_contacts
from bot.knowledge.schema import Source
from bot.language.codes import base_language
from bot.language.i18n import format_day, gettext_for, in_script
from bot.risk.answers import payload
from bot.risk.engine import Assessment
from bot.risk.rules import LEVELS, Control, Finding, Jurisdiction, Level, RiskRules, cited_sources

RIGHTS_TOPIC = "police_pressure"


def _level(rules: RiskRules, level: Level, script: str) -> str:
    if level is Level.note:
        return in_script(script, rules.note_label[base_language(script)])
    _ = gettext_for(script)
    return {Level.high: _("high risk"), Level.medium: _("medium risk"), Level.low: _("low risk")}[level]


def _source(kb: KnowledgeBase, finding: Finding) -> Source | None:
    """The finding's strongest source (a law before an official page before a report)."""
    return next(iter(strongest_first(cited_sources(kb, finding.sources))), None)


def _finding_text(kb: KnowledgeBase, finding: Finding, assessment: Assessment, script: str) -> str:
    _ = gettext_for(script)
    text = finding.text[base_language(script)]
    mark = "ℹ️" if finding.risk is Level.note else "•"
    lines = [f"{mark} {in_script(script, text.title)}", in_script(script, text.says)]
    for deadline in (d for d in assessment.deadlines if d.finding == finding.id):
        label = text.deadlines[deadline.id].replace("{date}", format_day(deadline.date, script))
        lines.append(f"  ⏰ {in_script(script, label)}")
    lines.append(_("What to do:"))
    lines += [f"  {number}. {in_script(script, step)}" for number, step in enumerate(text.steps, 1)]
    source = _source(kb, finding)
    if source is not None:
        lines.append(_("Source:") + f" {source.title}, {source.number}: {source.url or source.path}")
    return "\n".join(lines)


def _urgent(kb: KnowledgeBase, script: str, today: dt.date) -> Answer:
    _ = gettext_for(script)
    parts = [_("Urgent. First, your rights and who can help:")]
    for topic_id in (RIGHTS_TOPIC, HUMAN_HELP_TOPIC):
        if topic_id in kb.topics:
            parts.append(with_contacts(kb, script, kb.topic(topic_id).text[base_language(script)].short, today))
    return Answer("\n\n".join(parts))


def risk_card(
    kb: KnowledgeBase, rules: RiskRules, assessment: Assessment, script: str, today: dt.date | None = None
) -> list[Answer]:
    """The messages of the card, in the order they are sent; the last one carries the buttons."""
    today = today or dt.date.today()
    _ = gettext_for(script)
    language = base_language(script)
    messages = [_urgent(kb, script, today)] if assessment.urgent else []
    for jurisdiction in assessment.jurisdictions():
        name = in_script(script, rules.jurisdictions[Jurisdiction(jurisdiction)][language])
        findings = [f for f in assessment.findings if f.jurisdiction.value == jurisdiction]
        findings.sort(key=lambda f: -LEVELS.index(f.risk))  # riskiest first, notes last (stable)
        body = "\n\n".join(_finding_text(kb, f, assessment, script) for f in findings)
        messages.append(Answer(f"{name}: {_level(rules, assessment.levels[jurisdiction], script)}\n\n{body}"))
    topics = list(dict.fromkeys(t for f in assessment.findings for t in f.topics if t in kb.topics))[:3]
    buttons = [topic_button(kb, topic_id, script) for topic_id in topics if topic_id != HUMAN_HELP_TOPIC]
    if HUMAN_HELP_TOPIC in kb.topics:
        buttons.append(Button(_("Talk to a person"), f"/{HUMAN_HELP_TOPIC}"))
    restart = rules.controls[Control.restart][language].label
    buttons.append(Button(in_script(script, restart), payload(Control.restart.value)))
    footer = "\n".join(
        [
            _("Checked on: {date}").format(date=format_day(rules.as_of, script)),
            _("This is legal information, not a lawyer's advice."),
        ]
    )
    messages.append(Answer(footer, tuple(buttons)))
    return messages
