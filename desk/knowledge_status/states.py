"""Every entry's state at a glance: one row per topic, per meta answer, and one for the risk rules.

A row says, for a given `today`: each translation confirmed, stale (the Russian changed since) or
not confirmed (the parity check of bot.knowledge.parity); `review_by` due soon or past; sources
not re-checked for SOURCE_MAX_AGE_DAYS; the contacts its texts show that are due for
re-verification; its open drafts; and `kb lint`'s messages about its files. Rows are sorted by
urgency: the earliest date something in the row is due, past dates first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePosixPath
from typing import Any

from bot.knowledge.loader import ENTRY_FOLDERS, KnowledgeBase
from bot.knowledge.parity import SOURCE_LANGUAGE, TRANSLATIONS, fields_fingerprint, fingerprint
from bot.knowledge.render import CONTACT_TOKEN
from bot.knowledge.schema import Contact, ContactRegistry, Source
from bot.problems import Problem
from bot.risk.rules import RULES_FILE, Finding, Question, RiskRules

# A source is an official page or act someone read on `checked_on`. Six months: the span the
# contacts registry gives a phone number (max_age_days: 180), and the law in this field changes
# every few months, so a source unread for longer has likely moved on.
SOURCE_MAX_AGE_DAYS = 180
# A month's notice before a date: a review is a lawyer's work, a second lawyer's review and the
# translators' confirmations, which take days to weeks.
DUE_SOON_DAYS = 30
RISK_RULES = "risk_rules"  # the id of the risk rules' row (and of their drafts)


class Translation(str, Enum):
    """A translation's state, from the most to the least urgent."""

    missing = "missing"  # no text in this language
    unconfirmed = "unconfirmed"  # no fingerprint: nobody recorded which Russian text it was checked against
    stale = "stale"  # made from an older Russian text
    confirmed = "confirmed"


URGENCY = list(Translation)


class Kind(str, Enum):
    topic = "topic"
    meta = "meta"
    risk_rules = "risk_rules"


@dataclass(frozen=True)
class LanguageState:
    language: str
    state: Translation  # the most urgent state among the row's texts in this language
    not_confirmed: int  # how many texts are not confirmed (an entry has one text, the risk rules many)


@dataclass(frozen=True)
class ContactDue:
    contact: Contact
    due: dt.date  # last verified + the registry's max_age_days: from then on users no longer see it
    past: bool


@dataclass(frozen=True)
class SourceState:
    source: Source
    due: dt.date  # checked_on + SOURCE_MAX_AGE_DAYS
    old: bool  # not re-checked for SOURCE_MAX_AGE_DAYS


@dataclass(frozen=True)
class Row:
    kind: Kind
    id: str
    title: str  # the Russian title
    translations: tuple[LanguageState, ...]
    review_by: dt.date | None  # meta answers have none
    review_past: bool
    review_soon: bool  # within DUE_SOON_DAYS, not past
    sources: tuple[SourceState, ...]  # oldest first
    contacts_due: tuple[ContactDue, ...]  # past or within DUE_SOON_DAYS
    problems: tuple[Problem, ...]  # kb lint's messages about the row's files
    open_drafts: int
    next_due: dt.date | None  # the earliest date something in the row is due: the sort key

    @property
    def stale_translations(self) -> bool:
        return any(state.state is not Translation.confirmed for state in self.translations)

    @property
    def review_due(self) -> bool:
        return self.review_past or self.review_soon

    @property
    def old_sources(self) -> tuple[SourceState, ...]:
        return tuple(state for state in self.sources if state.old)

    @property
    def errors(self) -> int:
        return sum(1 for problem in self.problems if problem.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


# The page's filters: name -> which rows it keeps.
FILTERS = {
    "translations": lambda row: row.stale_translations,
    "review": lambda row: row.review_due,
    "sources": lambda row: bool(row.old_sources),
    "contacts": lambda row: bool(row.contacts_due),
}


def translation_state(texts: Mapping[str, Any], language: str, current: str) -> Translation:
    """One translation against today's Russian fingerprint `current` (the check `kb lint` runs)."""
    text = texts.get(language)
    if text is None:
        return Translation.missing
    if text.source_fingerprint is None:
        return Translation.unconfirmed
    return Translation.confirmed if text.source_fingerprint == current else Translation.stale


def language_states(texts_and_fingerprints: Iterable[tuple[Mapping[str, Any], str]]) -> tuple[LanguageState, ...]:
    """Per translation language, over one or more `text` mappings, each with its current Russian fingerprint."""
    pairs = list(texts_and_fingerprints)
    states = []
    for language in TRANSLATIONS:
        found = [translation_state(texts, language, current) for texts, current in pairs]
        worst = min(found, key=URGENCY.index, default=Translation.confirmed)
        states.append(LanguageState(language, worst, sum(1 for s in found if s is not Translation.confirmed)))
    return tuple(states)


def contacts_due(registry: ContactRegistry, ids: Iterable[str], today: dt.date) -> tuple[ContactDue, ...]:
    """The contacts named by `ids` whose verification is past or due within DUE_SOON_DAYS, soonest first."""
    known = registry.by_id()
    due = []
    for contact_id in dict.fromkeys(ids):
        contact = known.get(contact_id)
        if contact is None:
            continue  # an unknown id is kb lint's error, shown with the row's problems
        until = contact.last_verified_on + dt.timedelta(days=registry.max_age_days)
        if until <= today + dt.timedelta(days=DUE_SOON_DAYS):
            due.append(ContactDue(contact, until, past=not registry.is_current(contact, today)))
    return tuple(sorted(due, key=lambda item: item.due))


def source_states(sources: Iterable[Source], today: dt.date) -> tuple[SourceState, ...]:
    states = []
    for source in sources:
        due = source.checked_on + dt.timedelta(days=SOURCE_MAX_AGE_DAYS)
        states.append(SourceState(source, due, old=due < today))
    return tuple(sorted(states, key=lambda state: state.due))


def _contact_ids(texts: Mapping[str, Any]) -> list[str]:
    return [
        contact_id
        for text in texts.values()
        for name in ("title", "short", "details")
        for contact_id in CONTACT_TOKEN.findall(getattr(text, name, "") or "")
    ]


def _row(
    kind: Kind,
    entry_id: str,
    title: str,
    translations: tuple[LanguageState, ...],
    review_by: dt.date | None,
    sources: tuple[SourceState, ...],
    contacts: tuple[ContactDue, ...],
    problems: tuple[Problem, ...],
    open_drafts: int,
    today: dt.date,
) -> Row:
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    dates = [state.due for state in sources] + [item.due for item in contacts]
    dates += [review_by] if review_by else []
    # What kb lint refuses, and a translation not made from today's Russian, are due now.
    if any(p.severity == "error" for p in problems) or any(s.state is not Translation.confirmed for s in translations):
        dates.append(today)
    return Row(
        kind=kind,
        id=entry_id,
        title=title,
        translations=translations,
        review_by=review_by,
        review_past=review_by is not None and review_by < today,
        review_soon=review_by is not None and today <= review_by <= soon,
        sources=sources,
        contacts_due=contacts,
        problems=problems,
        open_drafts=open_drafts,
        next_due=min(dates, default=None),
    )


def problems_by_row(problems: Iterable[Problem]) -> tuple[dict[tuple[str, str], list[Problem]], list[Problem]]:
    """kb lint's problems keyed by (folder, entry id) — `topics/x.yaml` and `examples/topics/x.yaml` are
    both topic x's, ("", "risk_rules") for the rules — and the rest (contacts, glossary, watch list…)."""
    rows: dict[tuple[str, str], list[Problem]] = {}
    rest = []
    for problem in problems:
        path = PurePosixPath(problem.file)
        if path.name == RULES_FILE:
            rows.setdefault(("", RISK_RULES), []).append(problem)
        elif path.parent.name in ENTRY_FOLDERS and path.suffix == ".yaml":
            rows.setdefault((path.parent.name, path.stem), []).append(problem)
        else:
            rest.append(problem)
    return rows, rest


def _rules_row(rules: RiskRules, kb: KnowledgeBase, problems: list[Problem], open_drafts: int, today: dt.date) -> Row:
    items: list[Question | Finding] = [*rules.questions, *rules.findings]
    translations = language_states((item.text, fields_fingerprint(item.text[SOURCE_LANGUAGE])) for item in items)
    cited = dict.fromkeys(reference for finding in rules.findings for reference in finding.sources)
    sources = []
    for reference in cited:
        topic_id, _, source_id = reference.partition("/")
        topic = kb.topics.get(topic_id)
        sources += [source for source in (topic.sources if topic else []) if source.id == source_id]
    return _row(
        Kind.risk_rules,
        RISK_RULES,
        "",
        translations,
        rules.review_by,
        source_states(sources, today),
        (),
        tuple(problems),
        open_drafts,
        today,
    )


def rows(
    kb: KnowledgeBase,
    rules: RiskRules | None,
    problems: Iterable[Problem],
    today: dt.date,
    open_drafts: Mapping[str, int] | None = None,
) -> tuple[list[Row], list[Problem]]:
    """Every entry's row, most urgent first, and the lint problems that belong to no row."""
    drafts = open_drafts or {}
    by_row, rest = problems_by_row(problems)
    found = []
    for kind, folder, entries in ((Kind.topic, "topics", kb.topics), (Kind.meta, "meta", kb.meta)):
        for entry_id, entry in entries.items():
            current = fingerprint(entry.text[SOURCE_LANGUAGE])
            found.append(
                _row(
                    kind,
                    entry_id,
                    entry.text[SOURCE_LANGUAGE].title,
                    language_states([(entry.text, current)]),
                    getattr(entry, "review_by", None),
                    source_states(getattr(entry, "sources", []), today),
                    contacts_due(kb.contacts, _contact_ids(entry.text), today),
                    tuple(by_row.pop((folder, entry_id), [])),
                    drafts.get(entry_id, 0),
                    today,
                )
            )
    if rules is not None:
        found.append(_rules_row(rules, kb, by_row.pop(("", RISK_RULES), []), drafts.get(RISK_RULES, 0), today))
    rest += [problem for leftover in by_row.values() for problem in leftover]  # a file that did not load
    order = {Kind.topic: 0, Kind.risk_rules: 1, Kind.meta: 2}
    found.sort(key=lambda row: (row.next_due is None, row.next_due or today, order[row.kind], row.id))
    return found, rest


def every_contact_due(registry: ContactRegistry, today: dt.date) -> tuple[ContactDue, ...]:
    """Every contact in the registry that is past or due for re-verification, whoever shows it."""
    return contacts_due(registry, [contact.id for contact in registry.contacts], today)
