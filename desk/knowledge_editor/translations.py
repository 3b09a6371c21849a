"""The translators' queue: every published translation made from an older Russian text, what changed
in the Russian since, and the file as it is once a translation is confirmed (`kb confirm`).

A translation records the fingerprint of the Russian text it was made from (bot.knowledge.parity).
To show what changed, the file's git history is walked back to the newest version whose Russian
text has that fingerprint, and each Russian field is diffed from then to now. The translated files
are the topics, the meta answers and the risk rules' questions and findings (one "item" each).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from django.utils.safestring import SafeString

from bot.knowledge.loader import YAML_LOADER
from bot.knowledge.parity import FIELD, SOURCE_LANGUAGE, TRANSLATIONS, confirmed, entry_texts
from bot.language.codes import NATIVE_NAMES
from bot.risk.translations import rule_texts
from desk.knowledge_editor import files, repository
from desk.knowledge_editor.diff import word_diff
from desk.knowledge_editor.models import Draft

RULES = "risk_rules.yaml"
# What each committed version of a file holds ({(file, commit): …}, see _fingerprints), up to _READ_LIMIT versions.
_READ: dict[tuple[str, str], dict[str, tuple[str, Any]] | None] = {}
_READ_LIMIT = 1024


@dataclass(frozen=True)
class FieldChange:
    """One Russian field that changed since the translation was made, and the translation of it now."""

    field: str  # "short", or "options.detained" in a risk question
    diff: SafeString
    translation: str


@dataclass(frozen=True)
class StaleTranslation:
    file: str  # in the knowledge folder: "topics/summons_received.yaml"
    entry: str  # the topic's or meta answer's id, or "risk_rules"
    item: str  # a risk question's or finding's id; "" for a topic or meta answer
    lang: str
    title: str  # the Russian title, or a risk text's first field
    blob: str  # the file's git blob id when the queue was read: a confirmation of another is refused
    high_risk: bool
    changes: tuple[FieldChange, ...] | None  # None: made from a Russian text not in the history
    since: dt.datetime | None  # when the Russian changed away from that text (None: not yet committed)

    @property
    def is_topic(self) -> bool:
        return self.file.startswith("topics/")

    @property
    def language(self) -> str:
        return NATIVE_NAMES[self.lang]


@dataclass(frozen=True)
class Waiting:
    """A translation that cannot be confirmed yet: an open draft changes the Russian text."""

    topic_id: str
    title: str
    lang: str
    draft: Draft

    @property
    def language(self) -> str:
        return NATIVE_NAMES[self.lang]


def translated_files() -> list[str]:
    """Every file with translations, relative to the knowledge folder."""
    root = files.knowledge_dir()
    found = sorted(
        path.relative_to(root).as_posix() for folder in ("topics", "meta") for path in (root / folder).glob("*.yaml")
    )
    return found + ([RULES] if (root / RULES).is_file() else [])


def texts_of(relative: str, data: Any) -> Iterator[tuple[str, str, Any, str]]:
    """(item, label, {language: text}, current Russian fingerprint) for each translated text in a file."""
    if relative == RULES:
        for label, mapping, current in rule_texts(data):
            yield label.removesuffix("."), label, mapping, current
    else:
        for label, mapping, current in entry_texts(data):
            yield "", label, mapping, current


def flat(block: Mapping[str, Any]) -> dict[str, str]:
    """A language's text as {field: plain text}, one level deep ("options.detained"); lists one item a line."""
    out = {}
    for key, value in block.items():
        if key == FIELD:
            continue
        if isinstance(value, Mapping):
            out.update({f"{key}.{name}": _plain(item) for name, item in value.items()})
        else:
            out[key] = _plain(value)
    return out


def _plain(value: Any) -> str:
    return "\n".join(map(str, value)) if isinstance(value, list) else files.clean(str(value))


def _fingerprints(relative: str, version: repository.Version) -> dict[str, tuple[str, Any]] | None:
    """{item: (Russian fingerprint, Russian text)} of one version of a file; None if it cannot be read.

    A committed version never changes, so each is read once per process (reading the YAML is most of
    the queue's time); the cache keeps the Russian texts only, and starts again when it is full.
    """
    key = (relative, version.commit)
    if key not in _READ:
        if len(_READ) >= _READ_LIMIT:
            _READ.clear()
        _READ[key] = _read_version(relative, version.text)
    return _READ[key]


def _read_version(relative: str, text: str) -> dict[str, tuple[str, Any]] | None:
    try:
        data = yaml.load(text, Loader=YAML_LOADER)
        return {item: (current, mapping[SOURCE_LANGUAGE]) for item, _, mapping, current in texts_of(relative, data)}
    except Exception:  # noqa: BLE001 (an old version in a schema the code no longer reads: not a match)
        return None


def _history(relative: str, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[Any, dt.datetime | None]]:
    """For each (item, recorded fingerprint): the Russian text of the newest committed version that had it,
    and the date of the commit after that version (when it changed). Missing: no version had it."""
    found: dict[tuple[str, str], tuple[Any, dt.datetime | None]] = {}
    newer: dt.datetime | None = None
    for version in repository.versions(relative):
        for item, (current, russian) in (_fingerprints(relative, version) or {}).items():
            if (item, current) in wanted and (item, current) not in found:
                found[(item, current)] = (russian, newer)
        if len(found) == len(wanted):
            break
        newer = version.when
    return found


def _oldest(relative: str) -> dt.datetime | None:
    dates = repository.git("log", "--format=%ct", "--", relative).split()
    return dt.datetime.fromtimestamp(int(dates[-1]), tz=dt.timezone.utc) if dates else None


def stale_in(relative: str, languages: Iterable[str]) -> list[StaleTranslation]:
    """The translations in one file whose recorded fingerprint is not its Russian text's now."""
    raw = (files.knowledge_dir() / relative).read_bytes()
    data = yaml.load(raw.decode("utf-8"), Loader=YAML_LOADER)
    stale = [
        (item, lang, mapping, mapping[lang].get(FIELD), current)
        for item, _, mapping, current in texts_of(relative, data)
        for lang in languages
        if lang in mapping and mapping[lang].get(FIELD) != current
    ]
    if not stale:
        return []
    history = _history(relative, {(item, recorded) for item, _, _, recorded, _ in stale if recorded})
    oldest = _oldest(relative) if len(history) < len({(s[0], s[3]) for s in stale}) else None
    entry = "risk_rules" if relative == RULES else str(data["id"])
    rows = []
    for item, lang, mapping, recorded, _ in stale:
        now = flat(mapping[SOURCE_LANGUAGE])
        then = history.get((item, recorded))
        rows.append(
            StaleTranslation(
                file=relative,
                entry=entry,
                item=item,
                lang=lang,
                title=next(iter(now.values()), ""),
                blob=files.blob_id(raw),
                high_risk=data.get("risk_level") == "high" if relative.startswith("topics/") else False,
                changes=_changes(flat(then[0]), now, flat(mapping[lang])) if then else None,
                since=then[1] if then else oldest,
            )
        )
    return rows


def _changes(then: dict[str, str], now: dict[str, str], translation: dict[str, str]) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(field, word_diff(then.get(field, ""), now.get(field, "")), translation.get(field, ""))
        for field in dict.fromkeys([*now, *then])
        if then.get(field, "") != now.get(field, "")
    )


def queue(languages: Iterable[str] = TRANSLATIONS) -> list[StaleTranslation]:
    """Every stale translation: high-risk topics first, then the longest stale first."""
    languages = list(languages)
    rows = [row for relative in translated_files() for row in stale_in(relative, languages)]
    latest = dt.datetime.max.replace(tzinfo=dt.timezone.utc)  # not committed yet: stale for the shortest time
    return sorted(rows, key=lambda row: (not row.high_risk, row.since or latest, row.file, row.item, row.lang))


def waiting(languages: Iterable[str] = TRANSLATIONS) -> list[Waiting]:
    """The translations of every topic whose open draft changes the Russian text."""
    rows = []
    for draft in Draft.objects.filter(status__in=Draft.OPEN).order_by("topic_id"):
        latest = draft.latest()
        try:
            published = files.read_texts(files.current(draft.topic_id)[0])
        except files.UnknownTopic:
            continue
        if latest is None or latest.texts[SOURCE_LANGUAGE] == published[SOURCE_LANGUAGE]:
            continue
        title = published[SOURCE_LANGUAGE]["title"]
        rows += [Waiting(draft.topic_id, title, lang, draft) for lang in languages]
    return rows


def confirmed_text(relative: str, text: str, item: str, lang: str) -> tuple[str, list[str]]:
    """The file's text with one translation confirmed (`kb confirm`'s round trip: only its fingerprint line
    changes), and what changed (empty: it was confirmed already)."""

    def the_one(data: Any) -> Iterator[tuple[str, Any, str]]:
        return ((label, mapping, current) for name, label, mapping, current in texts_of(relative, data) if name == item)

    return confirmed(relative, text, the_one, [lang])
