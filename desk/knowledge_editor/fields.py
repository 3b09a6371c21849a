"""A topic's fields besides its texts (its facts: sources, dates, risk level, related topics) and its
example questions: read from the files, compared field by field, merged, and written back.

A draft keeps them as JSON (DraftRevision.facts and .examples): every value a string, dates as
"YYYY-MM-DD", an optional value the file does not have as "". To compare, every value gets a path
(`flatten`): "ru.short", "risk_level", "related", "sources" (the sources' ids in order),
"sources.<source id>.<field>", "examples.ky". `merge` applies what a draft changes onto the files as
they are now and names the paths both sides changed differently.

The writers use bot.knowledge.parity's ruamel round trip: lines that do not change stay
byte-identical, a changed value keeps its quoting, a list gets only the items that differ
inserted or removed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.loader import YAML_LOADER
from bot.knowledge.parity import dump, like, round_trip
from bot.knowledge.schema import ID_PATTERN, RiskLevel, SourceKind
from bot.language.codes import LANGUAGES

TOPIC_FIELDS = ("id", "risk_level", "as_of", "review_by", "reviewed_by", "related", "sources", "text")  # file order
SOURCE_FIELDS = (
    "id",
    "kind",
    "title",
    "note",
    "issuer",
    "number",
    "adopted",
    "url",
    "path",
    "checked_on",
)  # file order
REQUIRED_SOURCE_FIELDS = ("id", "kind", "title", "issuer", "number", "checked_on")
DATES = ("as_of", "review_by", "adopted", "checked_on")
PLAIN = ("id", "kind", "risk_level")  # written unquoted, as the files write them
SCALAR_FACTS = ("risk_level", "as_of", "review_by")
RISK_LEVELS = tuple(level.value for level in RiskLevel)
SOURCE_KINDS = tuple(kind.value for kind in SourceKind)
Facts = dict[
    str, Any
]  # {"risk_level": str, "as_of": str, "review_by": str, "related": [id], "sources": [{field: str}]}
Examples = dict[str, list[str]]  # {language: [question]}
Flat = dict[str, Any]
_SOURCE_ID = re.compile(ID_PATTERN)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def one_line(value: str) -> str:
    """A form's value as a source field holds it: one line, single spaces."""
    return " ".join(str(value).split())


def question_lines(value: str) -> list[str]:
    """A textarea of example questions, one a line, as a list (blank lines dropped)."""
    return [line.strip() for line in value.replace("\r\n", "\n").split("\n") if line.strip()]


def read_facts(topic_text: str) -> Facts:
    data = yaml.load(topic_text, Loader=YAML_LOADER)
    return {
        **{key: _text(data.get(key)) for key in SCALAR_FACTS},
        "related": [str(topic) for topic in data.get("related") or []],
        "sources": [
            {field: _text(source.get(field)) for field in SOURCE_FIELDS} for source in data.get("sources") or []
        ],
    }


def read_examples(examples_text: str) -> Examples:
    data = yaml.load(examples_text, Loader=YAML_LOADER) or {}
    examples = data.get("examples") or {}
    return {lang: [str(question) for question in examples.get(lang) or []] for lang in LANGUAGES}


def source_id_problem(facts: Facts) -> str:
    """Why the sources' ids cannot be told apart ("" if they can): each must be an id, and once."""
    ids = [source["id"] for source in facts["sources"]]
    bad = [source_id for source_id in ids if not _SOURCE_ID.match(source_id)]
    twice = sorted({source_id for source_id in ids if ids.count(source_id) > 1})
    return ", ".join(repr(source_id) for source_id in bad + twice)


# ---- comparing and merging --------------------------------------------------------------------


def flatten(texts: Mapping[str, Mapping[str, str]], facts: Facts, examples: Examples) -> Flat:
    flat: Flat = {f"{lang}.{field}": value for lang, fields in texts.items() for field, value in fields.items()}
    flat.update({key: facts[key] for key in SCALAR_FACTS})
    flat["related"] = list(facts["related"])
    flat["sources"] = [source["id"] for source in facts["sources"]]
    for source in facts["sources"]:
        flat.update({f"sources.{source['id']}.{field}": source[field] for field in SOURCE_FIELDS[1:]})
    flat.update({f"examples.{lang}": list(questions) for lang, questions in examples.items()})
    return flat


def changed_paths(before: Flat, after: Flat) -> list[str]:
    """The paths whose value differs (a path only one side has counts), in `after`'s order."""
    keys = [*after, *(key for key in before if key not in after)]
    return [key for key in keys if before.get(key) != after.get(key)]


def merge(base: Flat, draft: Flat, current: Flat) -> tuple[Flat, list[str]]:
    """The files as they are now with what the draft changes against `base`, and the conflicts:
    paths both changed to different values, and changes to a source the other side removed."""
    mine, theirs = changed_paths(base, draft), set(changed_paths(base, current))
    conflicts = [key for key in mine if key in theirs and draft.get(key) != current.get(key)]
    merged = dict(current)
    for key in mine:
        if key in draft:
            merged[key] = draft[key]
        else:
            merged.pop(key, None)
    kept = set(merged.get("sources", []))
    for key, side in [*((key, draft) for key in mine), *((key, current) for key in theirs)]:
        if key.startswith("sources.") and key.split(".")[1] not in kept and key in side and key not in conflicts:
            conflicts.append(key)
    return merged, conflicts


def unflatten(flat: Flat) -> tuple[dict[str, dict[str, str]], Facts, Examples]:
    texts: dict[str, dict[str, str]] = {}
    for key, value in flat.items():
        lang, _, field = key.partition(".")
        if lang in LANGUAGES and field:
            texts.setdefault(lang, {})[field] = value
    facts = {
        **{key: flat[key] for key in SCALAR_FACTS},
        "related": flat["related"],
        "sources": [
            {"id": source_id, **{field: flat[f"sources.{source_id}.{field}"] for field in SOURCE_FIELDS[1:]}}
            for source_id in flat["sources"]
        ],
    }
    examples = {lang: flat[f"examples.{lang}"] for lang in LANGUAGES if f"examples.{lang}" in flat}
    return texts, facts, examples


def labels(paths: Iterable[str], base: Facts, draft: Facts) -> list[str]:
    """The changed paths as people read them, sources by position: "sources.1.checked_on" (changed),
    "sources.3" (added), "sources.-<id>" (removed), "sources.order" (only moved)."""
    before = [source["id"] for source in base["sources"]]
    after = [source["id"] for source in draft["sources"]]
    out: list[str] = []
    for path in paths:
        if path == "sources":
            label = "sources.order" if sorted(before) == sorted(after) else ""
        elif path.startswith("sources."):
            _, source_id, field = path.split(".", 2)
            if source_id not in after:
                label = f"sources.-{source_id}"
            elif source_id not in before:
                label = f"sources.{after.index(source_id)}"
            else:
                label = f"sources.{after.index(source_id)}.{field}"
        else:
            label = path
        if label and label not in out:
            out.append(label)
    return out


# ---- writing ------------------------------------------------------------------------------------


def write_facts(name: str, topic_text: str, facts: Facts) -> str:
    """The topic file's YAML with `facts` in it; `name` names the file in errors."""
    yaml_, data = round_trip(Path(name), topic_text)
    for key in SCALAR_FACTS:
        _put(data, key, facts[key], TOPIC_FIELDS, required=True)
    if facts["related"] != [str(topic) for topic in data.get("related") or []]:
        if "related" not in data:
            data.insert(_position(data, "related", TOPIC_FIELDS), "related", _flow([]))
        _edit_list(data["related"], list(facts["related"]), str)
    by_id = {str(source.get("id")): source for source in data["sources"]}
    wanted = []
    for source in facts["sources"]:
        mapping = by_id.get(source["id"]) or _new_map()
        for field in SOURCE_FIELDS:
            _put(mapping, field, source[field], SOURCE_FIELDS, required=field in REQUIRED_SOURCE_FIELDS)
        wanted.append(mapping)
    _edit_list(data["sources"], wanted, lambda source: str(source.get("id")))
    return dump(yaml_, data)


def write_examples(name: str, examples_text: str, examples: Examples) -> str:
    """The examples file's YAML with these languages' questions (the others as they are)."""
    yaml_, data = round_trip(Path(name), examples_text)
    for lang, questions in examples.items():
        sequence = data["examples"][lang]
        style = sequence[0] if len(sequence) else None
        _edit_list(sequence, [like(style, q) if style is not None else q for q in questions], str)
    return dump(yaml_, data)


def _new_map() -> Any:
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap()


def _flow(items: list) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    sequence = CommentedSeq(items)
    sequence.fa.set_flow_style()
    return sequence


def _value(key: str, old: Any, new: str) -> Any:
    """`new` as YAML: a date if it is one (else quoted, for `kb lint` to refuse), in the old value's style."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if key in DATES:
        try:
            return dt.date.fromisoformat(new)
        except ValueError:
            return DoubleQuotedScalarString(new)
    if old is not None and not isinstance(old, dt.date):
        return like(old, new)
    return new if key in PLAIN else DoubleQuotedScalarString(new)


def _put(mapping: Any, key: str, value: str, order: Iterable[str], required: bool) -> None:
    """Set one field, in its place among the others; an empty optional field is removed."""
    if not value and not required:
        if key in mapping:
            del mapping[key]
        return
    if key in mapping:
        if _text(mapping[key]) != value:
            mapping[key] = _value(key, mapping[key], value)
        return
    mapping.insert(_position(mapping, key, order), key, _value(key, None, value))


def _position(mapping: Any, key: str, order: Iterable[str]) -> int:
    """Where a new key goes: after the keys that come before it in `order`."""
    order = list(order)
    return sum(1 for other in mapping if other in order and order.index(other) < order.index(key))


def _edit_list(sequence: Any, wanted: list, key: Callable[[Any], str]) -> None:
    """Make `sequence` hold `wanted` by inserting and removing only the items that differ."""
    old = [key(item) for item in sequence]
    new = [key(item) for item in wanted]
    for op, i1, i2, j1, j2 in reversed(SequenceMatcher(None, old, new, autojunk=False).get_opcodes()):
        if op == "equal":  # the same items (a source kept is its own mapping, edited in place)
            continue
        for index in range(i2 - 1, i1 - 1, -1):
            del sequence[index]
        for offset, item in enumerate(wanted[j1:j2]):
            sequence.insert(i1 + offset, item)
