"""The files a draft edits (a topic file and its examples file): where they are, their git blob ids
and texts, the YAML a draft makes of them, and `kb lint` run on a copy of the knowledge folder
holding the draft (git is in `repository.py`, the fields beyond the texts in `fields.py`).

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
from desk.knowledge_editor import fields as editor_fields

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


def topic_file(topic_id: str) -> str:
    return f"topics/{topic_id}.yaml"


def examples_file(topic_id: str) -> str:
    return f"examples/topics/{topic_id}.yaml"


def current_files(topic_id: str) -> dict[str, str]:
    """{path in the knowledge folder: text} of the topic file and (if it has one) its examples file."""
    found = {topic_file(topic_id): topic_path(topic_id).read_text(encoding="utf-8")}
    examples = knowledge_dir() / examples_file(topic_id)
    if examples.is_file():
        found[examples_file(topic_id)] = examples.read_text(encoding="utf-8")
    return found


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
    """The title, short answer and details in every language of a topic file's YAML (an old version may
    lack a language added since: its fields are empty)."""
    data = yaml.load(text, Loader=YAML_LOADER)["text"]
    return {lang: {field: clean(str(data.get(lang, {}).get(field, ""))) for field in FIELDS} for lang in LANGUAGES}


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


def values(topic_id: str, texts_of_files: dict[str, str]) -> editor_fields.Flat:
    """Every field of the topic in these files, by path ("ru.short", "sources.<id>.url", "examples.ky")."""
    topic = texts_of_files[topic_file(topic_id)]
    examples = editor_fields.read_examples(texts_of_files.get(examples_file(topic_id), ""))
    return editor_fields.flatten(read_texts(topic), editor_fields.read_facts(topic), examples)


def draft_files(topic_id: str, base: editor_fields.Flat, draft: editor_fields.Flat) -> tuple[dict[str, str], list[str]]:
    """The files as they would be with what the draft changes (against `base`) applied to them as they
    are now: only the files that change; and the paths someone else changed meanwhile, differently."""
    now = current_files(topic_id)
    merged, conflicts = editor_fields.merge(base, draft, values(topic_id, now))
    texts, facts, examples = editor_fields.unflatten(merged)
    topic_name, examples_name = topic_file(topic_id), examples_file(topic_id)
    topic = replace_texts(topic_name, now[topic_name], changes(read_texts(now[topic_name]), texts))
    written = {topic_name: editor_fields.write_facts(topic_name, topic, facts)}
    if examples_name in now:
        published = editor_fields.read_examples(now[examples_name])
        different = {lang: questions for lang, questions in examples.items() if questions != published[lang]}
        written[examples_name] = editor_fields.write_examples(examples_name, now[examples_name], different)
    return {path: text for path, text in written.items() if text != now[path]}, conflicts


def stale_languages(texts: Texts, file_text: str) -> list[str]:
    """Translations whose recorded fingerprint is not the draft's Russian text (`kb confirm` is due)."""
    recorded = yaml.load(file_text, Loader=YAML_LOADER)["text"]
    source = texts[SOURCE_LANGUAGE]
    russian = fingerprint(TopicText.construct(title=source["title"], short=source["short"], details=source["details"]))
    return [
        lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE and recorded[lang].get("source_fingerprint") != russian
    ]


def lint_copy(changed: dict[str, str], today: dt.date | None = None, rules: bool = False) -> list[Problem]:
    """`kb lint` on a copy of the knowledge folder with `changed` ({path in it: text}) in place; every
    problem, its file named by its path in the folder. `rules` adds the risk rules' checks, the
    exhaustive one included (seconds)."""
    with tempfile.TemporaryDirectory(prefix="kenesh-draft-") as folder:
        root = Path(folder) / knowledge_dir().name
        shutil.copytree(knowledge_dir(), root, ignore=shutil.ignore_patterns(".git"))
        for relative, text in changed.items():
            (root / relative).write_text(text, encoding="utf-8")
        problems = kb_lint(root, today or dt.date.today(), rules=rules)
    prefix = f"{root.name}/"  # the loader names files with the folder, the linters without
    return [Problem(p.file.removeprefix(prefix), p.field, p.message, p.severity) for p in problems]


def lint_file(relative_path: str, text: str, today: dt.date | None = None, rules: bool = False) -> list[Problem]:
    """The problems `kb lint` finds in one file with `text` in place (as "contacts.yaml")."""
    return [problem for problem in lint_copy({relative_path: text}, today, rules) if problem.file == relative_path]


def lint_draft(
    topic_id: str, changed: dict[str, str], today: dt.date | None = None, rules: bool = False
) -> list[FieldProblem]:
    """`kb lint` with the draft's files (`changed`: {path: text}) in place: its problems in the topic's
    two files. `rules`: run the risk rules' checks too (seconds), for a draft that removes or renames a
    source they may cite; their problems naming this topic count."""
    mine = []
    for problem in lint_copy(changed, today, rules):
        if problem.file == topic_file(topic_id):
            mine.append(_at_field(problem.field, problem.message, problem.severity))
        elif problem.file == examples_file(topic_id):
            mine.append(_at_example(problem.field, problem.message, problem.severity))
        elif problem.file == "risk_rules.yaml" and f"'{topic_id}/" in problem.message:
            mine.append(FieldProblem("", f"{problem.file}: {problem.field}: {problem.message}", problem.severity))
    return mine


def _at_field(where: str, message: str, severity: str) -> FieldProblem:
    parts = where.split(".")
    if parts[0] == "text" and len(parts) == 2 and parts[1] in LANGUAGES:  # parity: text.<lang>
        return FieldProblem(parts[1], message, severity, stale=True)
    if parts[0] == "text" and len(parts) >= 3 and parts[2] in FIELDS:
        return FieldProblem(f"{parts[1]}.{parts[2]}", message, severity)
    if parts[0] in (*editor_fields.SCALAR_FACTS, "related"):
        return FieldProblem(parts[0], message, severity)
    if parts[0] == "sources" and len(parts) >= 2 and parts[1].isdigit():  # sources.<index>[.<field>]
        at_field = len(parts) >= 3 and parts[2] in editor_fields.SOURCE_FIELDS
        return FieldProblem(".".join(parts[: 3 if at_field else 2]), message, severity)
    return FieldProblem("", f"{where}: {message}" if where else message, severity)


def _at_example(where: str, message: str, severity: str) -> FieldProblem:
    parts = where.split(".")
    if parts[0] == "examples" and len(parts) >= 2 and parts[1] in LANGUAGES:
        return FieldProblem(f"examples.{parts[1]}", message, severity)
    return FieldProblem("", f"examples: {where}: {message}" if where else f"examples: {message}", severity)
