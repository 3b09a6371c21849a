"""Checks across entries: ids, related topics, shared examples, dates, example counts, translation parity."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Dict, List, Optional

from bot.knowledge.loader import KnowledgeBase, Problem, read_knowledge
from bot.knowledge.parity import out_of_date
from bot.language.codes import LANGUAGES
from bot.language.normalize import normalize

MIN_EXAMPLES_PER_LANGUAGE = 25


def _name(kb: KnowledgeBase, entry_id: str) -> str:
    path = kb.files[entry_id]
    return f"{path.parent.name}/{path.name}"


def _related(kb: KnowledgeBase) -> List[Problem]:
    return [
        Problem(_name(kb, topic.id), "related", f"unknown topic id {other!r}")
        for topic in kb.topics.values()
        for other in topic.related
        if other not in kb.topics or other == topic.id
    ]


def _dates(kb: KnowledgeBase, today: dt.date) -> List[Problem]:
    problems = []
    for topic in kb.topics.values():
        if topic.review_by < today:  # a warning: users still get the entry, with a "may have changed" line
            problems.append(Problem(_name(kb, topic.id), "review_by", f"{topic.review_by} is in the past: review the entry",
                                    severity="warning"))
        for index, source in enumerate(topic.sources):
            if source.checked_on > today:
                problems.append(Problem(_name(kb, topic.id), f"sources.{index}.checked_on", "is in the future"))
    return problems


def _example_counts(kb: KnowledgeBase, minimum: int) -> List[Problem]:
    return [
        Problem(_name(kb, topic.id), f"examples.{lang}", f"has {len(topic.examples[lang])} questions; at least {minimum} needed")
        for topic in kb.topics.values()
        for lang in LANGUAGES
        if len(topic.examples[lang]) < minimum
    ]


def _shared_examples(kb: KnowledgeBase) -> List[Problem]:
    owner: Dict[str, str] = {}
    problems = []
    for entry in list(kb.topics.values()) + list(kb.meta.values()):
        for lang, questions in entry.examples.items():
            for question in questions:
                key = normalize(question)
                first = owner.setdefault(key, entry.id)
                if first != entry.id:
                    problems.append(Problem(_name(kb, entry.id), f"examples.{lang}",
                                            f"{question!r} is also an example of {first!r} ({_name(kb, first)})"))
    return problems


def _parity(kb: KnowledgeBase) -> List[Problem]:
    problems = []
    for entry in list(kb.topics.values()) + list(kb.meta.values()):
        for lang, recorded in out_of_date(entry.text):
            message = ("records no fingerprint of the Russian text it was translated from" if recorded is None else
                       "was translated from an older Russian text: check it against the Russian")
            problems.append(Problem(_name(kb, entry.id), f"text.{lang}",
                                    f"{message}, then `python -m bot kb confirm {entry.id} {lang}`"))
    return problems


def lint(root: Path, today: Optional[dt.date] = None, min_examples: int = MIN_EXAMPLES_PER_LANGUAGE) -> List[Problem]:
    """Return every problem in the knowledge base under `root` (empty when it is clean)."""
    today = today or dt.date.today()
    kb, problems = read_knowledge(root)
    if not kb.topics and not problems:
        problems.append(Problem(str(root / "topics"), "", "no topic files found"))
    return (problems + _related(kb) + _dates(kb, today) + _example_counts(kb, min_examples) + _shared_examples(kb)
            + _parity(kb))
