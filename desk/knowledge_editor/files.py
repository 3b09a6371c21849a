"""The topic files a draft edits: where they are, their git blob ids and texts, the YAML a draft
makes of them, and `kb lint` run on a copy of the knowledge folder holding the draft (git is in
`repository.py`).

The knowledge folder is settings.KENESH.knowledge_dir (KENESH_KNOWLEDGE_DIR); its git repository
is the one that contains it. The YAML is written by bot.knowledge.parity's round-trip writer, so
lines that do not change stay byte-identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from bot.knowledge.loader import YAML_LOADER
from bot.knowledge.parity import SOURCE_LANGUAGE, fingerprint, replace_texts
from bot.knowledge.schema import ID_PATTERN, TopicText
from bot.language.codes import LANGUAGES
from bot.problems import Problem
from bot.risk.check import kb_lint

FIELDS = ("title", "short", "details")  # a topic's texts in each language (the schema has no steps)
Texts = dict[str, dict[str, str]]  # {language: {field: value}}
_TOPIC_ID = re.compile(ID_PATTERN)


class UnknownTopic(LookupError):
    pass


@dataclass(frozen=True)
class FieldProblem:
    """One `kb lint` message about a draft, at its field ("ru.short") or at the topic ("")."""

    field: str
    message: str
    severity: str  # error or warning
    stale: bool = False  # a translation made from an older Russian text: the translators' work, not an error

    @property
    def blocks(self) -> bool:
        return self.severity == "error" and not self.stale


def knowledge_dir() -> Path:
    return Path(settings.KENESH.knowledge_dir)


def topic_path(topic_id: str) -> Path:
    """knowledge/topics/<id>.yaml; UnknownTopic for anything else (never a path a user chose)."""
    path = knowledge_dir() / "topics" / f"{topic_id}.yaml"
    if not _TOPIC_ID.match(topic_id) or not path.is_file():
        raise UnknownTopic(topic_id)
    return path


def topic_ids() -> list[str]:
    return sorted(path.stem for path in (knowledge_dir() / "topics").glob("*.yaml"))


def blob_id(data: bytes) -> str:
    """The id git gives a file with these bytes (`git hash-object`), committed or not."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # noqa: S324 (git's id, not security)


def current(topic_id: str) -> tuple[str, str]:
    """The topic file's text and its blob id, as it is now."""
    data = topic_path(topic_id).read_bytes()
    return data.decode("utf-8"), blob_id(data)


def clean(value: str) -> str:
    """A field as a form sends it (CRLF line ends, trailing spaces) as the files keep it."""
    return "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").split("\n")).strip()


def read_texts(text: str) -> Texts:
    """The title, short answer and details in every language of a topic file's YAML."""
    data = yaml.load(text, Loader=YAML_LOADER)["text"]
    return {lang: {field: clean(str(data[lang].get(field, ""))) for field in FIELDS} for lang in LANGUAGES}


def changes(base: Texts, texts: Texts) -> Texts:
    """Only the fields `texts` changes against `base`."""
    changed: Texts = {}
    for lang, fields in texts.items():
        for field, value in fields.items():
            if clean(value) != base.get(lang, {}).get(field):
                changed.setdefault(lang, {})[field] = clean(value)
    return changed


def changed_fields(base: Texts, texts: Texts) -> list[str]:
    """["ru.short", …]: what a draft changes, for the log and the commit message."""
    return [f"{lang}.{field}" for lang, fields in changes(base, texts).items() for field in fields]


def draft_yaml(topic_id: str, file_text: str, texts: Texts) -> str:
    """The topic file as it would be with the draft's texts in it."""
    return replace_texts(f"topics/{topic_id}.yaml", file_text, changes(read_texts(file_text), texts))


def stale_languages(texts: Texts, file_text: str) -> list[str]:
    """Translations whose recorded fingerprint is not the draft's Russian text (`kb confirm` is due)."""
    recorded = yaml.load(file_text, Loader=YAML_LOADER)["text"]
    source = texts[SOURCE_LANGUAGE]
    russian = fingerprint(TopicText.construct(title=source["title"], short=source["short"], details=source["details"]))
    return [
        lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE and recorded[lang].get("source_fingerprint") != russian
    ]


def lint_file(relative_path: str, text: str, today: dt.date | None = None, rules: bool = False) -> list[Problem]:
    """`kb lint` on a copy of the knowledge folder with `text` as the file at `relative_path` (as "topics/x.yaml"):
    the problems in that file. `rules` adds the risk rules' checks, the exhaustive one included (seconds)."""
    with tempfile.TemporaryDirectory(prefix="kenesh-draft-") as folder:
        root = Path(folder) / knowledge_dir().name
        shutil.copytree(knowledge_dir(), root, ignore=shutil.ignore_patterns(".git"))
        (root / relative_path).write_text(text, encoding="utf-8")
        problems = kb_lint(root, today or dt.date.today(), rules=rules)
    names = {relative_path, f"{root.name}/{relative_path}"}  # as the linters and as the loader name it
    return [problem for problem in problems if problem.file in names]


def lint_draft(topic_id: str, draft_text: str, today: dt.date | None = None) -> list[FieldProblem]:
    """`kb lint` on a copy of the knowledge folder with the draft in place: its problems in this topic's file."""
    mine = lint_file(f"topics/{topic_id}.yaml", draft_text, today)  # texts only: see kb_lint
    return [_at_field(problem.field, problem.message, problem.severity) for problem in mine]


def _at_field(where: str, message: str, severity: str) -> FieldProblem:
    parts = where.split(".")
    if parts[0] == "text" and len(parts) == 2 and parts[1] in LANGUAGES:  # parity: text.<lang>
        return FieldProblem(parts[1], message, severity, stale=True)
    if parts[0] == "text" and len(parts) >= 3 and parts[2] in FIELDS:
        return FieldProblem(f"{parts[1]}.{parts[2]}", message, severity)
    return FieldProblem("", f"{where}: {message}" if where else message, severity)
