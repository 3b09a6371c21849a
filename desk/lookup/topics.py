"""A topic as staff see it: the answer in two languages side by side, with everything behind it.

The text to copy is exactly what the bot sends a migrant (bot.knowledge.render.topic_answer): plain
text with the sources and the date they were checked, ready for Telegram, WhatsApp or an SMS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.render import CONTACT_TOKEN, is_stale, strongest_first, topic_answer, with_contacts
from bot.knowledge.schema import Contact, Source, Topic, WatchItem
from bot.language.codes import NATIVE_NAMES, SCRIPTS, base_language
from bot.language.i18n import in_script

REFERENCE_SCRIPT = "ru"  # the right-hand column: the language every staff member reads
# A topic's risk_level, and a risk check's level per jurisdiction, in the desk's language.
RISK_LEVEL_LABELS = {"note": _("for information"), "low": _("low"), "medium": _("medium"), "high": _("high")}


@dataclass(frozen=True)
class Column:
    script: str
    name: str  # the language's own name
    title: str
    short: str
    details: str
    plain: str  # the bot's message: what the copy button copies

    @property
    def html_lang(self) -> str:
        return self.script.replace("_", "-")


@dataclass(frozen=True)
class ContactShown:
    contact: Contact
    current: bool  # verified within the registry's max_age_days: the bot shows it


@dataclass(frozen=True)
class TopicPage:
    topic: Topic
    columns: tuple[Column, ...]  # the caller's language, then Russian (one column when they are the same)
    sources: tuple[Source, ...]
    due_for_review: bool
    contacts: tuple[ContactShown, ...]
    related: tuple[tuple[str, str], ...]  # (topic id, title in the caller's script)
    watch: tuple[WatchItem, ...]

    @property
    def risk_label(self) -> str:
        """The topic's risk level in the desk's language."""
        return str(RISK_LEVEL_LABELS[self.topic.risk_level.value])


def column(kb: KnowledgeBase, topic: Topic, script: str, today: dt.date) -> Column:
    text = topic.text[base_language(script)]
    return Column(
        script=script,
        name=NATIVE_NAMES[script],
        title=in_script(script, text.title),
        short=with_contacts(kb, script, text.short, today),
        details=with_contacts(kb, script, text.details, today),
        plain=topic_answer(kb, topic.id, script, today).text,
    )


def contacts_in(kb: KnowledgeBase, topic: Topic, today: dt.date) -> tuple[ContactShown, ...]:
    """The contacts the topic's texts refer to ({contact:id}), in the order they first appear."""
    ids: dict[str, None] = {}
    for text in topic.text.values():
        for part in (text.short, text.details):
            ids.update(dict.fromkeys(CONTACT_TOKEN.findall(part)))
    known = kb.contacts.by_id()
    return tuple(
        ContactShown(known[contact_id], kb.contacts.is_current(known[contact_id], today))
        for contact_id in ids
        if contact_id in known
    )


def topic_page(kb: KnowledgeBase, topic_id: str, script: str, today: dt.date | None = None) -> TopicPage:
    """Everything the topic page shows; KeyError for an unknown topic, ValueError for an unknown script."""
    if script not in SCRIPTS:
        raise ValueError(f"unknown script {script!r}")
    today = today or dt.date.today()
    topic = kb.topic(topic_id)
    scripts = [script] if script == REFERENCE_SCRIPT else [script, REFERENCE_SCRIPT]
    related = tuple(
        (other, in_script(script, kb.topic(other).text[base_language(script)].title))
        for other in topic.related
        if other in kb.topics
    )
    return TopicPage(
        topic=topic,
        columns=tuple(column(kb, topic, s, today) for s in scripts),
        sources=tuple(strongest_first(topic.sources)),
        due_for_review=is_stale(topic, today),
        contacts=contacts_in(kb, topic, today),
        related=related,
        watch=tuple(kb.watchlist.for_topic(topic.id)),
    )
