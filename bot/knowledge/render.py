"""Topic and meta entries -> plain answers (text + buttons) in one script. No chat markup here.

The front ends (terminal, Telegram) decide how text and buttons look; payloads are Rasa intents
("/evasion_liability", "/ask_more") so pressing a button skips language understanding.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import RiskLevel, Source, Topic
from bot.language.codes import base_language
from bot.language.i18n import format_day, gettext_for, in_script

HUMAN_HELP_TOPIC = "hotlines_human_help"
RISK_CHECK = "risk_check"  # the meta entry that starts the personal risk check
CONTACT_TOKEN = re.compile(r"\{contact:([a-z][a-z0-9_]*)\}")  # {contact:mfa_kg} in a text
MORE_PAYLOAD = "/ask_more"


def choose_language_payload(script: str) -> str:
    """The payload of a language button (the action and the Telegram language keyboard send it)."""
    return f'/choose_language{{"language": "{script}"}}'


OFFERED = 2  # how many topics "did you mean" offers


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Answer:
    text: str
    buttons: tuple[Button, ...] = ()


def topic_button(kb: KnowledgeBase, topic_id: str, script: str) -> Button:
    """A button that asks about a topic, titled in the user's script."""
    title = kb.topic(topic_id).text[base_language(script)].title
    return Button(in_script(script, title), f"/{topic_id}")


def _source_line(source: Source, script: str) -> str:
    adopted = f" ({format_day(source.adopted, script)})" if source.adopted else ""
    where = source.url or source.path
    return f"• {source.title}, {source.number}{adopted}: {where}"


SHORT_ANSWER_SOURCES = 3
_KIND_ORDER = ("law", "court", "official", "report", "project")


def strongest_first(sources: Iterable[Source]) -> list[Source]:
    """Laws first, then court decisions, official pages, reports, the project's own documents."""
    return sorted(sources, key=lambda source: _KIND_ORDER.index(source.kind.value))


def _footer(topic: Topic, script: str, limit: int | None = None) -> str:
    """Sources (laws first; at most `limit`), the date they were checked, the disclaimer."""
    _ = gettext_for(script)
    checked = min(source.checked_on for source in topic.sources)
    ordered = strongest_first(topic.sources)
    shown = ordered[:limit] if limit else ordered
    lines = [_("Sources:")] + [_source_line(source, script) for source in shown]
    if len(shown) < len(ordered):
        lines.append(_('{count} more sources under "More details".').format(count=len(ordered) - len(shown)))
    lines.append(_("Checked on: {date}").format(date=format_day(checked, script)))
    lines.append(_("This is legal information, not a lawyer's advice."))
    return "\n".join(lines)


def topic_answer(kb: KnowledgeBase, topic_id: str, script: str, today: dt.date | None = None) -> Answer:
    """The short answer with its sources, a "more" button and related topics."""
    topic = kb.topic(topic_id)
    _ = gettext_for(script)
    text = topic.text[base_language(script)]
    body = with_contacts(kb, script, f"{text.title}\n\n{text.short}", today)
    buttons = [Button(_("More details"), MORE_PAYLOAD)] + _follow_ups(kb, topic, script, today)
    notices = _staleness(topic, script, today) + _changes_discussed(kb, topic, script)
    return Answer(f"{body}{notices}\n\n{_footer(topic, script, SHORT_ANSWER_SOURCES)}", tuple(buttons))


def topic_details(kb: KnowledgeBase, topic_id: str, script: str, today: dt.date | None = None) -> Answer:
    """The details of a topic, then its related topics as buttons."""
    topic = kb.topic(topic_id)
    text = topic.text[base_language(script)]
    body = with_contacts(kb, script, f"{text.title}\n\n{text.details}", today)
    buttons = tuple(_follow_ups(kb, topic, script, today))
    notices = _staleness(topic, script, today) + _changes_discussed(kb, topic, script)
    return Answer(f"{body}{notices}\n\n{_footer(topic, script)}", buttons)


def with_contacts(kb: KnowledgeBase, script: str, text: str, today: dt.date | None = None) -> str:
    """Text in the user's script with each {contact:id} filled in from knowledge/contacts.yaml.

    A contact not verified within the registry's max_age_days is not shown: the organisation's
    name stands in its place. (An unknown id, which `kb lint` reports, becomes nothing.)
    """
    today = today or dt.date.today()
    contacts = kb.contacts.by_id()
    parts = CONTACT_TOKEN.split(text)  # text, id, text, id, …, text
    shown = []
    for index, part in enumerate(parts):
        contact = contacts.get(part) if index % 2 else None
        if index % 2 == 0:
            shown.append(in_script(script, part))
        elif contact is not None and kb.contacts.is_current(contact, today):
            shown.append(contact.value)
        elif contact is not None:
            shown.append(in_script(script, contact.organisation[base_language(script)]))
    return "".join(shown)


def is_stale(topic: Topic, today: dt.date | None = None) -> bool:
    """Past its review date: still shown, but flagged, with a human offered."""
    return (today or dt.date.today()) > topic.review_by


def _staleness(topic: Topic, script: str, today: dt.date | None) -> str:
    if not is_stale(topic, today):
        return ""
    _ = gettext_for(script)
    return "\n\n" + _(
        "This answer was due for a check on {date}. The law may have changed since. Ask a person before you act."
    ).format(date=format_day(topic.review_by, script))


def _changes_discussed(kb: KnowledgeBase, topic: Topic, script: str) -> str:
    """The notices of the watch list's items about this topic (a bill being discussed, …)."""
    notices = [item.says[base_language(script)] for item in kb.watchlist.for_topic(topic.id) if item.says]
    return "".join(f"\n\n⚠️ {in_script(script, notice)}" for notice in notices)


def _follow_ups(kb: KnowledgeBase, topic: Topic, script: str, today: dt.date | None) -> list:
    """Related topics; a person too when the topic is high-risk or its entry is past review."""
    buttons = [topic_button(kb, other, script) for other in topic.related if other in kb.topics]
    wants_person = topic.risk_level is RiskLevel.high or is_stale(topic, today)
    if wants_person and HUMAN_HELP_TOPIC in kb.topics and HUMAN_HELP_TOPIC not in (topic.id, *topic.related):
        buttons.append(Button(gettext_for(script)("Talk to a person"), f"/{HUMAN_HELP_TOPIC}"))
    return buttons


def menu_buttons(kb: KnowledgeBase, script: str, exclude: Iterable[str] = ()) -> tuple[Button, ...]:
    """The personal risk check first, then every legal topic, the human-help topic last."""
    skip = set(exclude) | {HUMAN_HELP_TOPIC, "bot_privacy"}
    ids = [topic_id for topic_id in sorted(kb.topics) if topic_id not in skip]
    if HUMAN_HELP_TOPIC in kb.topics:
        ids.append(HUMAN_HELP_TOPIC)
    check = (
        [Button(in_script(script, kb.meta[RISK_CHECK].text[base_language(script)].title), f"/{RISK_CHECK}")]
        if RISK_CHECK in kb.meta
        else []
    )
    return tuple(check + [topic_button(kb, topic_id, script) for topic_id in ids])


def meta_answer(kb: KnowledgeBase, meta_id: str, script: str, with_menu: bool = False) -> Answer:
    """A meta answer (greeting, menu, out of scope...), optionally with the topic menu."""
    text = with_contacts(kb, script, kb.meta[meta_id].text[base_language(script)].short)
    return Answer(text, menu_buttons(kb, script) if with_menu else ())


def offered_topics(ranked: Iterable[str], topic_ids: Collection[str]) -> tuple[str, ...]:
    """The topics "did you mean" offers: the best of a ranking (intent names, best first) that are topics."""
    return tuple(itertools.islice((name for name in ranked if name in topic_ids), OFFERED))


def clarification(kb: KnowledgeBase, candidates: Iterable[str], script: str) -> Answer:
    """ "Did you mean …?" with the candidate topics and a human as buttons."""
    _ = gettext_for(script)
    ids = [c for c in candidates if c in kb.topics and c != HUMAN_HELP_TOPIC][:OFFERED]
    buttons = [topic_button(kb, topic_id, script) for topic_id in ids]
    if HUMAN_HELP_TOPIC in kb.topics:
        buttons.append(Button(_("Talk to a person"), f"/{HUMAN_HELP_TOPIC}"))
    prompt = (
        _("I am not sure I understood. Did you mean one of these?")
        if ids
        else _("I am not sure I understood. Please choose a topic or write your question in other words.")
    )
    if not ids:
        buttons = list(menu_buttons(kb, script))
    return Answer(prompt, tuple(buttons))
