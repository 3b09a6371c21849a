"""Checks across entries: ids, related topics, shared examples, dates, example counts, translation parity,
contacts, plain short answers, the glossary's words, the watch list. The risk rules have their own
linter (bot.risk.check); `kb lint` (bot.cli) runs both."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from bot.knowledge.loader import EXAMPLES_FOLDER, YAML_LOADER, KnowledgeBase, read_knowledge
from bot.knowledge.parity import out_of_date
from bot.knowledge.readability import short_answer_problems
from bot.knowledge.render import CONTACT_TOKEN
from bot.knowledge.terms import term_problems
from bot.language.codes import LANGUAGES
from bot.language.normalize import example_key
from bot.problems import Problem

MIN_EXAMPLES_PER_LANGUAGE = 40


def _name(kb: KnowledgeBase, entry_id: str) -> str:
    path = kb.files[entry_id]
    return f"{path.parent.name}/{path.name}"


def _examples_name(kb: KnowledgeBase, entry_id: str) -> str:
    path = kb.example_files[entry_id]
    return f"{EXAMPLES_FOLDER}/{path.parent.name}/{path.name}"


def _related(kb: KnowledgeBase) -> list[Problem]:
    return [
        Problem(_name(kb, topic.id), "related", f"unknown topic id {other!r}")
        for topic in kb.topics.values()
        for other in topic.related
        if other not in kb.topics or other == topic.id
    ]


def _dates(kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    problems = []
    for topic in kb.topics.values():
        if topic.review_by < today:  # a warning: users still get the entry, with a "may have changed" line
            problems.append(
                Problem(
                    _name(kb, topic.id),
                    "review_by",
                    f"{topic.review_by} is in the past: review the entry",
                    severity="warning",
                )
            )
        for index, source in enumerate(topic.sources):
            if source.checked_on > today:
                problems.append(Problem(_name(kb, topic.id), f"sources.{index}.checked_on", "is in the future"))
    return problems


def _example_counts(kb: KnowledgeBase, minimum: int) -> list[Problem]:
    return [
        Problem(
            _examples_name(kb, topic_id),
            f"examples.{lang}",
            f"has {len(examples[lang])} questions; at least {minimum} needed",
        )
        for topic_id, examples in kb.examples.items()
        if topic_id in kb.topics
        for lang in LANGUAGES
        if len(examples[lang]) < minimum
    ]


def _shared_examples(kb: KnowledgeBase) -> list[Problem]:
    """Two entries must not share a question (the same words once letters and punctuation are folded)."""
    owner: dict[str, str] = {}
    problems = []
    for entry_id, examples in kb.examples.items():
        for lang, questions in examples.items():
            for question in questions:
                first = owner.setdefault(example_key(question), entry_id)
                if first != entry_id:
                    problems.append(
                        Problem(
                            _examples_name(kb, entry_id),
                            f"examples.{lang}",
                            f"{question!r} is also an example of {first!r} ({_examples_name(kb, first)})",
                        )
                    )
    return problems


def _parity(kb: KnowledgeBase) -> list[Problem]:
    problems = []
    for entry in list(kb.topics.values()) + list(kb.meta.values()):
        for lang, recorded in out_of_date(entry.text):
            message = (
                "records no fingerprint of the Russian text it was translated from"
                if recorded is None
                else "was translated from an older Russian text: check it against the Russian"
            )
            problems.append(
                Problem(
                    _name(kb, entry.id), f"text.{lang}", f"{message}, then `python -m bot kb confirm {entry.id} {lang}`"
                )
            )
    return problems


# What a phone number, web address, e-mail or Telegram handle looks like in a text.
# A phone number has at least nine digits; "указ № 647 (2022)" and "10 000 рублей" are not one.
RAW_CONTACT = re.compile(
    r"https?://|www\.|\b[\w-]+\.(?:ru|kg|uz|tj|org|com|net|gov|info|me)\b|"
    r"\+?\d(?:[ ()-]*\d){8,}|(?<![\w.])@[A-Za-z]\w{3,}|t\.me/",
    re.I,
)


def _texts(kb: KnowledgeBase):
    """(entry id, "text.<lang>.<field>", value) for every user-facing text."""
    for entry in list(kb.topics.values()) + list(kb.meta.values()):
        for lang, text in entry.text.items():
            for name in ("title", "short", "details"):
                value = getattr(text, name, None)
                if value:
                    yield entry.id, f"text.{lang}.{name}", value


def _contacts(kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    """Contacts only by {contact:id}; every id known; old contacts flagged."""
    problems, known = [], kb.contacts.by_id()
    for entry_id, where, value in _texts(kb):
        for contact_id in CONTACT_TOKEN.findall(value):
            if contact_id not in known:
                problems.append(
                    Problem(_name(kb, entry_id), where, f"unknown contact id {contact_id!r} (knowledge/contacts.yaml)")
                )
        raw = RAW_CONTACT.search(CONTACT_TOKEN.sub(" ", value))
        if raw:
            problems.append(
                Problem(
                    _name(kb, entry_id),
                    where,
                    f"{raw.group(0)!r} looks like a contact detail: put it in "
                    "knowledge/contacts.yaml with its source and write {contact:<id>}",
                )
            )
    for contact in kb.contacts.contacts:
        if not kb.contacts.is_current(contact, today):
            problems.append(
                Problem(
                    "contacts.yaml",
                    f"contacts.{contact.id}",
                    f"last verified on {contact.last_verified_on}, more than {kb.contacts.max_age_days} "
                    "days ago: it is not shown to users until verified again",
                    severity="warning",
                )
            )
    return problems


def _readability(kb: KnowledgeBase) -> list[Problem]:
    return [
        problem
        for topic in kb.topics.values()
        for lang, text in topic.text.items()
        for problem in short_answer_problems(_name(kb, topic.id), lang, text.short)
    ]


def _glossary(kb: KnowledgeBase) -> list[Problem]:
    problems = []
    for entry in list(kb.topics.values()) + list(kb.meta.values()):
        russian = entry.text["ru"]
        for lang, text in entry.text.items():
            for name in ("title", "short", "details") if lang != "ru" else ():
                translated, source = getattr(text, name, None), getattr(russian, name, None)
                for message in term_problems(kb.glossary, lang, source or "", translated or ""):
                    problems.append(Problem(_name(kb, entry.id), f"text.{lang}.{name}", message))
    return problems


def _watchlist(kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    problems = []
    for item in kb.watchlist.items:
        where = f"items.{item.id}"
        problems += [
            Problem("watchlist.yaml", f"{where}.topics", f"unknown topic id {topic!r}")
            for topic in item.topics
            if topic not in kb.topics
        ]
        if item.look_again_on < today:
            problems.append(
                Problem(
                    "watchlist.yaml",
                    f"{where}.look_again_on",
                    f"{item.look_again_on} has passed: find out what became of it, update the topics "
                    f"({', '.join(item.topics)}) and this item",
                    severity="warning",
                )
            )
    return problems


def _paired_texts(node: object, russian: object, path: str) -> Iterator[tuple[str, str, str]]:
    """(path, Russian, translation) for every string of a translation and its Russian counterpart."""
    if isinstance(node, str) and isinstance(russian, str):
        yield path, russian, node
    elif isinstance(node, dict) and isinstance(russian, dict):
        for key, value in node.items():
            if key not in ("aliases", "source_fingerprint"):
                yield from _paired_texts(value, russian.get(key), f"{path}.{key}")
    elif isinstance(node, list) and isinstance(russian, list):
        # A list shorter than the Russian one is the parity check's business, not this one's.
        for index, (value, source) in enumerate(zip(node, russian, strict=False)):
            yield from _paired_texts(value, source, f"{path}.{index}")


def _texts_by_language(node: object, path: str = "") -> Iterator[tuple[str, dict]]:
    """Every `text: {ru: …, ky: …}` mapping in a YAML document, with where it is."""
    if isinstance(node, dict):
        text = node.get("text")
        if isinstance(text, dict) and "ru" in text:
            yield f"{path}.text".lstrip("."), text
        for key, value in node.items():
            if key != "text":
                yield from _texts_by_language(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            name = item.get("id", index) if isinstance(item, dict) else index
            yield from _texts_by_language(item, f"{path}[{name}]")


def risk_rule_terms(root: Path, kb: KnowledgeBase, file: str = "risk_rules.yaml") -> list[Problem]:
    """The glossary's words in the risk check's questions and findings (read as plain YAML)."""
    path = root / file
    if not path.exists():
        return []
    problems = []
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    for where, text in _texts_by_language(data):
        for lang in (lang for lang in LANGUAGES if lang != "ru" and lang in text):
            for field, russian, translated in _paired_texts(text[lang], text["ru"], f"{where}.{lang}"):
                problems += [
                    Problem(file, field, message) for message in term_problems(kb.glossary, lang, russian, translated)
                ]
    return problems


def check(
    kb: KnowledgeBase, today: dt.date | None = None, min_examples: int = MIN_EXAMPLES_PER_LANGUAGE
) -> list[Problem]:
    """Every problem across the entries of a knowledge base that has been read."""
    today = today or dt.date.today()
    return (
        _related(kb)
        + _dates(kb, today)
        + _example_counts(kb, min_examples)
        + _shared_examples(kb)
        + _parity(kb)
        + _contacts(kb, today)
        + _readability(kb)
        + _glossary(kb)
        + _watchlist(kb, today)
    )


def references(kb: KnowledgeBase, today: dt.date | None = None) -> list[Problem]:
    """The checks an answer depends on (related topics and contacts exist): the live reload runs them."""
    return _related(kb) + _contacts(kb, today or dt.date.today())


def read(root: Path) -> tuple[KnowledgeBase, list[Problem]]:
    """The entries under `root` that could be read, and a problem for each file or field that could not."""
    kb, problems = read_knowledge(root)
    if not kb.topics and not problems:
        problems.append(Problem(str(root / "topics"), "", "no topic files found"))
    return kb, problems


def lint(root: Path, today: dt.date | None = None, min_examples: int = MIN_EXAMPLES_PER_LANGUAGE) -> list[Problem]:
    """Return every problem in the knowledge base under `root` (empty when it is clean)."""
    kb, problems = read(root)
    return problems + check(kb, today, min_examples)
