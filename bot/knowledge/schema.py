"""Models of a knowledge-base entry: a legal topic, a meta answer, a source, and an entry's example questions.

These models check one file at a time (fields, types, lengths, every language present).
Checks across files and against today's date live in bot.knowledge.lint.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import TypeVar

from pydantic import BaseModel, Extra, Field, HttpUrl, root_validator, validator

from bot.language.codes import LANGUAGES

SHORT_ANSWER_MAX = 600
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
FINGERPRINT = r"^[0-9a-f]{12}$"
FINGERPRINT_HELP = "translations only: the fingerprint of the Russian text it was made from (bot.knowledge.parity)"
Value = TypeVar("Value")


class Strict(BaseModel):
    """A model that rejects unknown fields, so a typo in a field name is an error."""

    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True


class RiskLevel(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"


class SourceKind(str, Enum):
    """What a source is, so answers can tell "the law says" from "reports say"."""

    law = "law"  # a statute, code or decree: the official text
    official = "official"  # an official statement or page of a state body
    court = "court"  # a court decision or a published court statement
    report = "report"  # press or NGO reporting: what happened in practice
    project = "project"  # Kenesh's own documents (privacy notice)


class Source(Strict):
    id: str = Field(..., regex=ID_PATTERN)
    kind: SourceKind
    title: str = Field(..., min_length=3, description="what users see: the act's or article's name, short")
    note: str | None = Field(None, description="lawyers' working notes (where it was read, caveats): desk only")
    issuer: str = Field(..., min_length=2)
    number: str = Field(..., min_length=1, description="article, part or document number")
    adopted: dt.date | None = Field(None, description="adoption or publication date")
    url: HttpUrl | None = None
    path: str | None = Field(None, description="repo-relative path, only for kind=project")
    checked_on: dt.date

    @root_validator(skip_on_failure=True)
    def _has_a_location(cls, values: dict) -> dict:
        if values.get("kind") == SourceKind.project:
            if not values.get("path"):
                raise ValueError("a project source needs `path` (a file in this repository)")
        elif not values.get("url"):
            raise ValueError("a source needs an official `url`")
        return values


class TopicText(Strict):
    """What one language says about a topic."""

    title: str = Field(..., min_length=3, max_length=80)
    short: str = Field(..., min_length=20, max_length=SHORT_ANSWER_MAX)
    details: str = Field(..., min_length=20, max_length=3500)
    source_fingerprint: str | None = Field(None, regex=FINGERPRINT, description=FINGERPRINT_HELP)


class MetaText(Strict):
    """What one language says for a meta answer (greeting, menu, out of scope...)."""

    title: str = Field(..., min_length=2, max_length=80)
    short: str = Field(..., min_length=2, max_length=SHORT_ANSWER_MAX)
    source_fingerprint: str | None = Field(None, regex=FINGERPRINT, description=FINGERPRINT_HELP)


def every_language(value: dict[str, Value], what: str) -> dict[str, Value]:
    missing = [lang for lang in LANGUAGES if lang not in value]
    extra = [lang for lang in value if lang not in LANGUAGES]
    if missing:
        raise ValueError(f"{what} missing for language(s): {', '.join(missing)}")
    if extra:
        raise ValueError(f"{what} for unknown language(s): {', '.join(extra)}")
    return value


def unique_ids(items: list, what: str) -> list:
    ids = [item.id for item in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{what} id(s) used twice: {', '.join(duplicates)}")
    return items


def _clean_examples(examples: dict[str, list[str]]) -> dict[str, list[str]]:
    for lang, items in examples.items():
        if any(not item.strip() for item in items):
            raise ValueError(f"examples.{lang} has an empty question")
        seen = set()
        for item in items:
            key = re.sub(r"\s+", " ", item.strip().lower())
            if key in seen:
                raise ValueError(f"examples.{lang} repeats the question {item!r}")
            seen.add(key)
    return examples


class Topic(Strict):
    """A legal topic: the answer to one kind of question, in every language, with its sources."""

    id: str = Field(..., regex=ID_PATTERN)
    risk_level: RiskLevel
    as_of: dt.date
    review_by: dt.date
    reviewed_by: str = Field(..., min_length=3)
    related: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(..., min_items=1)
    text: dict[str, TopicText]

    _text_languages = validator("text", allow_reuse=True)(lambda v: every_language(v, "text"))

    @validator("review_by")
    def _review_after_as_of(cls, value: dt.date, values: dict) -> dt.date:
        as_of = values.get("as_of")
        if as_of and value <= as_of:
            raise ValueError("review_by must come after as_of")
        return value

    _unique_source_ids = validator("sources", allow_reuse=True)(lambda v: unique_ids(v, "source"))


class MetaAnswer(Strict):
    """A non-legal answer the dialogue needs: greeting, menu, out of scope, thanks..."""

    id: str = Field(..., regex=ID_PATTERN)
    text: dict[str, MetaText]

    _text_languages = validator("text", allow_reuse=True)(lambda v: every_language(v, "text"))


class Examples(Strict):
    """knowledge/examples/<folder>/<id>.yaml: how people ask for one entry, in every language.

    They are the model's training data (`make nlu`), kept apart from the entry so that a lawyer's
    file holds law, sources and answers, and a change to it never retrains the model.
    """

    examples: dict[str, list[str]]

    _example_languages = validator("examples", allow_reuse=True)(
        lambda v: _clean_examples(every_language(v, "examples"))
    )


class ContactKind(str, Enum):
    website = "website"
    phone = "phone"
    email = "email"
    telegram = "telegram"
    address = "address"


class Contact(Strict):
    """One phone number, address, website or Telegram handle the assistant may show, with its proof."""

    id: str = Field(..., regex=ID_PATTERN)
    kind: ContactKind
    value: str = Field(..., min_length=3, description="exactly what users see")
    organisation: dict[str, str] = Field(
        ..., description="its name in every language, shown when the contact is too old"
    )
    source: HttpUrl = Field(..., description="a public page that states this contact")
    last_verified_on: dt.date

    _organisation_languages = validator("organisation", allow_reuse=True)(lambda v: every_language(v, "organisation"))


class ContactRegistry(Strict):
    """knowledge/contacts.yaml: every contact detail the answers may show, referred to by id."""

    max_age_days: int = Field(default=180, ge=1, description="a contact not verified for longer is not shown")
    contacts: list[Contact] = Field(default_factory=list)

    _unique_contact_ids = validator("contacts", allow_reuse=True)(lambda v: unique_ids(v, "contact"))

    def by_id(self) -> dict[str, Contact]:
        return {contact.id: contact for contact in self.contacts}

    def is_current(self, contact: Contact, today: dt.date) -> bool:
        return (today - contact.last_verified_on).days <= self.max_age_days


class TermForms(Strict):
    """One glossary term in one language: the stem a translation must use, the variants it must not."""

    use: str | None = Field(None, min_length=2, description="a stem, lower case, as it appears inside words")
    avoid: list[str] = Field(default_factory=list)
    note: str | None = None


class GlossaryTerm(Strict):
    id: str = Field(..., regex=ID_PATTERN)
    ru: list[str] = Field(..., description="Russian stems that make the term required in translations")
    ky: TermForms | None = None
    uz: TermForms | None = None
    tg: TermForms | None = None

    def forms(self, lang: str) -> TermForms | None:
        return getattr(self, lang, None)


class Glossary(Strict):
    """knowledge/glossary.yaml: one word per thing, per language."""

    terms: list[GlossaryTerm] = Field(default_factory=list)

    _unique_term_ids = validator("terms", allow_reuse=True)(lambda v: unique_ids(v, "term"))


class WatchItem(Strict):
    """A pending bill or announced change: what to look at again, and when."""

    id: str = Field(..., regex=ID_PATTERN)
    what: str = Field(..., min_length=10, description="for lawyers: the bill or change, its stage, in Russian")
    topics: list[str] = Field(..., min_items=1)
    look_again_on: dt.date
    source: HttpUrl
    checked_on: dt.date
    says: dict[str, str] | None = Field(
        None, description="the notice users see under the answers of these topics, in every language"
    )

    @validator("says")
    def _says_every_language(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        return None if value is None else every_language(value, "says")


class WatchList(Strict):
    """knowledge/watchlist.yaml: the pending bills and announced changes the answers depend on."""

    items: list[WatchItem] = Field(default_factory=list)

    _unique_item_ids = validator("items", allow_reuse=True)(lambda v: unique_ids(v, "watch list item"))

    def for_topic(self, topic_id: str) -> list[WatchItem]:
        return [item for item in self.items if topic_id in item.topics]
