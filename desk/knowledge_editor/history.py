"""A topic's versions, read from git: every commit that changed its file, newest first, with who wrote
and who reviewed it, the desk's audit record of its publishing (if the desk published it), and what
it changed against the version before.

The texts of two versions are compared by the views, field by field (the same diff as a draft's);
the other facts (dates, risk level, related topics, sources, translation fingerprints) are listed
here as "field: old → new".
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from typing import Any

import yaml

from bot.knowledge.loader import YAML_LOADER
from desk.knowledge_editor import files, repository
from desk.knowledge_editor.models import KnowledgeEvent

PAGE = 30  # versions on one page; "older…" shows the next ones
FACTS = ("as_of", "review_by", "reviewed_by", "risk_level", "related")


@dataclass(frozen=True)
class FactChange:
    field: str  # "as_of", "sources.law_53fz_art1.checked_on", "text.ky.source_fingerprint"
    old: str  # "" where the version before had none
    new: str


@dataclass(frozen=True)
class Version:
    commit: repository.Commit
    texts: files.Texts
    before: files.Texts | None  # the version before's texts; None for the file's first version
    facts: list[FactChange]
    published: KnowledgeEvent | None  # the desk's "knowledge.publish" record of this commit


def versions(topic_id: str, skip: int = 0) -> tuple[list[Version], bool]:
    """The topic's versions after the newest `skip`, at most PAGE; and whether older ones exist.
    No versions if the knowledge folder is not in a git repository."""
    relative = f"topics/{topic_id}.yaml"
    try:
        found = repository.commits(relative, PAGE + 1, skip)  # one more: the version before the last shown
    except subprocess.CalledProcessError:
        return [], False
    file_texts = [text for text in repository.texts_at(relative, [commit.id for commit in found]) if text is not None]
    if len(file_texts) < len(found):  # a commit that deleted the file: not a version to show
        return [], False
    texts = [files.read_texts(text) for text in file_texts]  # each version read once, shown twice
    facts = [_facts(text) for text in file_texts]
    records = _publish_records(topic_id, [commit.id for commit in found])
    shown = []
    for index, commit in enumerate(found[:PAGE]):
        first = index + 1 == len(found)  # the file's first version: nothing before it
        shown.append(
            Version(
                commit=commit,
                texts=texts[index],
                before=None if first else texts[index + 1],
                facts=[] if first else _changes(facts[index + 1], facts[index]),
                published=records.get(commit.id),
            )
        )
    return shown, len(found) > PAGE


def _publish_records(topic_id: str, commit_ids: list[str]) -> dict[str, KnowledgeEvent]:
    events = KnowledgeEvent.objects.filter(
        action="knowledge.publish", topic_id=topic_id, data__commit__in=commit_ids
    ).select_related("actor", "draft", "review__reviewer")
    return {event.data["commit"]: event for event in events}


def fact_changes(old_text: str, new_text: str) -> list[FactChange]:
    """The facts one version of a topic file changes against another, in the order of the files."""
    return _changes(_facts(old_text), _facts(new_text))


def _changes(before: dict[str, str], after: dict[str, str]) -> list[FactChange]:
    names = dict.fromkeys([*before, *after])
    return [
        FactChange(name, before.get(name, ""), after.get(name, ""))
        for name in names
        if before.get(name) != after.get(name)
    ]


def _facts(file_text: str) -> dict[str, str]:
    """{field: value as text} for everything in a topic file but its texts: sources by their id."""
    data = yaml.load(file_text, Loader=YAML_LOADER)
    facts = {name: _plain(data.get(name)) for name in FACTS}
    for index, source in enumerate(data.get("sources") or [], start=1):
        for key, value in source.items():
            if key != "id":
                facts[f"sources.{source.get('id', index)}.{key}"] = _plain(value)
    for lang, block in (data.get("text") or {}).items():
        for key, value in block.items():
            if key not in files.FIELDS:
                facts[f"text.{lang}.{key}"] = _plain(value)
    return facts


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
