"""Read and validate knowledge/*.yaml into a KnowledgeBase.

An entry's file (`topics/<id>.yaml`, `meta/<id>.yaml`) holds law, sources and answers; its example
questions, the model's training data, are in the file of the same path under `examples/`
(`examples/topics/<id>.yaml`). Each entry needs its examples file, and each examples file its entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import ValidationError

from bot.errors import KnowledgeError
from bot.knowledge.schema import ContactRegistry, Examples, Glossary, MetaAnswer, Strict, Topic, WatchList
from bot.problems import Problem

Entry = TypeVar("Entry", bound=Strict)  # a model read from one YAML file
Identified = TypeVar("Identified", Topic, MetaAnswer)  # an entry whose id is its file name
CONTACTS_FILE = "contacts.yaml"
GLOSSARY_FILE = "glossary.yaml"
WATCHLIST_FILE = "watchlist.yaml"
EXAMPLES_FOLDER = "examples"
ENTRY_FOLDERS = ("topics", "meta")
# libyaml's parser: the same data, 15 times faster (3.2 s -> 0.2 s for the whole knowledge base)
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class KnowledgeBase:
    topics: dict[str, Topic] = field(default_factory=dict)
    meta: dict[str, MetaAnswer] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # entry id -> file it came from
    # entry id -> language -> example questions (knowledge/examples/): topics first, then meta, by file name
    examples: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    example_files: dict[str, Path] = field(default_factory=dict)  # entry id -> its examples file
    contacts: ContactRegistry = field(default_factory=ContactRegistry)  # knowledge/contacts.yaml
    glossary: Glossary = field(default_factory=Glossary)  # knowledge/glossary.yaml
    watchlist: WatchList = field(default_factory=WatchList)  # knowledge/watchlist.yaml

    def topic(self, topic_id: str) -> Topic:
        try:
            return self.topics[topic_id]
        except KeyError:
            raise KnowledgeError(f"no topic {topic_id!r} in the knowledge base") from None


def field_name(location: tuple) -> str:
    return ".".join(str(part) for part in location if part != "__root__")


def examples_path(root: Path, entry_file: Path) -> Path:
    """Where the example questions of the entry in `entry_file` (under `root`) live."""
    return root / EXAMPLES_FOLDER / entry_file.relative_to(root)


def _name(path: Path, root: Path) -> str:
    return str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)


def _read_entry(
    path: Path, model: type[Entry], root: Path, check_id: bool = True
) -> tuple[Entry | None, list[Problem]]:
    name = _name(path, root)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        return None, [Problem(name, "", f"cannot read YAML: {error}")]
    if not isinstance(data, dict):
        return None, [Problem(name, "", "the file must hold a mapping of fields")]
    try:
        entry = model(**data)
    except ValidationError as error:
        return None, [Problem(name, field_name(e["loc"]), e["msg"]) for e in error.errors()]
    if check_id and isinstance(entry, (Topic, MetaAnswer)) and entry.id != path.stem:
        return entry, [Problem(name, "id", f"id {entry.id!r} differs from the file name {path.stem!r}")]
    return entry, []


def _read_folder(
    root: Path, folder: str, model: type[Identified], store: dict[str, Identified], files: dict[str, Path]
) -> list[Problem]:
    """Read every entry in `root/folder` into `store` (and where it came from into `files`)."""
    problems: list[Problem] = []
    for path in sorted((root / folder).glob("*.yaml")):
        entry, found = _read_entry(path, model, root)
        problems.extend(found)
        if entry is not None and not found:
            store[entry.id] = entry
            files[entry.id] = path
    return problems


def _read_examples(root: Path, folder: str, kb: KnowledgeBase) -> list[Problem]:
    """Read `root/examples/folder/*.yaml` into kb.examples; a missing or orphan examples file is an error."""
    entry_files = sorted((root / folder).glob("*.yaml"))
    problems = [
        Problem(_name(entry_file, root), "", f"its example questions are missing: write them in {_name(path, root)}")
        for entry_file in entry_files
        if not (path := examples_path(root, entry_file)).exists()
    ]
    entries = {entry_file.name for entry_file in entry_files}
    for path in sorted((root / EXAMPLES_FOLDER / folder).glob("*.yaml")):
        if path.name not in entries:
            message = f"no entry {folder}/{path.name} has these example questions: rename the file or delete it"
            problems.append(Problem(_name(path, root), "", message))
            continue
        examples, found = _read_entry(path, Examples, root, check_id=False)
        problems.extend(found)
        if examples is not None and not found:
            kb.examples[path.stem] = examples.examples
            kb.example_files[path.stem] = path
    return problems


def read_knowledge(root: Path, examples: bool = True) -> tuple[KnowledgeBase, list[Problem]]:
    """Read every entry under `root` (and, with `examples`, their example questions), returning what
    loaded and every problem found."""
    kb = KnowledgeBase()
    if not root.is_dir():
        raise KnowledgeError(f"knowledge folder not found: {root}")
    problems = _read_folder(root, "topics", Topic, kb.topics, kb.files)
    problems += _read_folder(root, "meta", MetaAnswer, kb.meta, kb.files)
    for folder in ENTRY_FOLDERS if examples else ():
        problems += _read_examples(root, folder, kb)
    for name, model, attribute in (
        (CONTACTS_FILE, ContactRegistry, "contacts"),
        (GLOSSARY_FILE, Glossary, "glossary"),
        (WATCHLIST_FILE, WatchList, "watchlist"),
    ):
        path = root / name
        if path.exists():
            entry, found = _read_entry(path, model, root, check_id=False)
            problems.extend(found)
            if entry is not None:
                setattr(kb, attribute, entry)
    return kb, problems


@lru_cache(maxsize=4)
def load_knowledge(root: Path) -> KnowledgeBase:
    """Load the knowledge base, or raise KnowledgeError naming the first problems."""
    kb, problems = read_knowledge(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        listed = "\n".join(str(p) for p in errors[:10])
        raise KnowledgeError(f"the knowledge base has {len(errors)} error(s):\n{listed}")
    if not kb.topics:
        raise KnowledgeError(f"no topics found in {root / 'topics'}")
    return kb
