"""Translation parity: each translation records a fingerprint of the Russian text it was made from.

When the Russian text changes, every translation that still carries the old fingerprint is out of
date, and `kb lint` says so until a translator checks it and confirms it with
`python -m bot kb confirm <entry_id | risk_rules> [language …]`, which records the new fingerprint.

One mechanism serves the entries (topics, meta answers) and the risk rules' questions and findings:
`out_of_date` is the check both linters run, and `confirm` rewrites a file with ruamel.yaml's round
trip, so every line but the fingerprints stays byte-identical and comments stay. Only the
fingerprint differs: an entry's covers its title, short answer and details (the values stored in
the entries were made so), a risk text's covers every field it has.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bot.knowledge.schema import MetaText, TopicText
from bot.language.codes import LANGUAGES

SOURCE_LANGUAGE = "ru"  # lawyers write and edit the Russian text; the others are translations of it
TRANSLATIONS = tuple(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)
FIELD = "source_fingerprint"
# (mapping, sequence, offset) indents of the two ways the files write a list under a key:
# "key:\n  - item" (most files) and "key:\n- item". A file is rewritten in the one it is written in.
LAYOUTS = ((2, 4, 2), (2, 2, 0))

# What a file holds that is translated: (label, the `text` mapping {ru: …, ky: …}, current Russian fingerprint).
Texts = Callable[[Any], Iterable[tuple[str, Any, str]]]


def _digest(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def fingerprint(text: TopicText | MetaText) -> str:
    """12 hex digits that change whenever an entry's Russian title, short answer or details change."""
    parts = [text.title, text.short, getattr(text, "details", "")]
    return _digest("\n".join(" ".join(part.split()) for part in parts))


def fields_fingerprint(text: BaseModel) -> str:
    """12 hex digits over every field of a text but its fingerprint (white space does not count)."""
    data = text.dict(exclude={FIELD})
    parts = []
    for key in sorted(data):
        value = data[key]
        items = (
            sorted(value.items())
            if isinstance(value, dict)
            else list(enumerate(value))
            if isinstance(value, list)
            else [("", value)]
        )
        parts += [f"{key}.{name}={' '.join(str(item).split())}" for name, item in items]
    return _digest("\n".join(parts))


def out_of_date(texts: dict[str, Any], fingerprint_of: Callable[[Any], str] = fingerprint) -> list[tuple]:
    """(language, recorded fingerprint or None) for every translation not made from today's Russian text."""
    current = fingerprint_of(texts[SOURCE_LANGUAGE])
    return [
        (lang, texts[lang].source_fingerprint)
        for lang in TRANSLATIONS
        if lang in texts and texts[lang].source_fingerprint != current
    ]


def translation_languages(languages: Iterable[str] | None = None) -> list[str]:
    """The languages asked for (default: every translation); ValueError names any that is not one."""
    wanted = list(languages or TRANSLATIONS)
    unknown = [lang for lang in wanted if lang not in TRANSLATIONS]
    if unknown:
        raise ValueError(f"{', '.join(unknown)}: not a translation language ({', '.join(TRANSLATIONS)})")
    return wanted


def dump(yaml: Any, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def round_trip(path: Path, text: str) -> tuple[Any, Any]:
    """A ruamel YAML that writes `text` back unchanged, and the data it read; ValueError if none does."""
    from ruamel.yaml import YAML, YAMLError

    for mapping, sequence, offset in LAYOUTS:
        yaml: Any = YAML()  # ruamel declares preserve_quotes and width as None
        yaml.preserve_quotes, yaml.width = True, 4096
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        try:
            data = yaml.load(text)
        except YAMLError as error:
            raise ValueError(f"{path}: cannot read YAML: {error}") from None
        if dump(yaml, data) == text:
            return yaml, data
    raise ValueError(
        f"{path}: cannot rewrite it without changing other lines (indent lists under a key by 2 or 4 spaces, "
        "the same way throughout the file)"
    )


def confirm(path: Path, texts: Texts, languages: Iterable[str] | None = None) -> list[str]:
    """Record the current Russian fingerprint in the translations `texts` finds; return "<label><lang>" changed.

    A missing fingerprint is added right after the language's first field. Lines that do not
    change stay byte-identical, comments included.
    """
    wanted = translation_languages(languages)
    yaml, data = round_trip(path, path.read_text(encoding="utf-8"))
    changed = []
    for label, text, current in texts(data):
        for lang in wanted:
            block = text[lang]
            if block.get(FIELD) != current:
                if FIELD in block:
                    block[FIELD] = current
                else:
                    block.insert(1, FIELD, current)
                changed.append(f"{label}{lang}")
    if changed:
        path.write_text(dump(yaml, data), encoding="utf-8")
    return changed


def entry_texts(data: Any) -> Iterator[tuple[str, Any, str]]:
    """An entry file's one translated text (topic or meta answer), for `confirm`."""
    russian = data["text"][SOURCE_LANGUAGE]
    model = TopicText if "details" in russian else MetaText
    yield "", data["text"], fingerprint(model(**russian))


def confirm_entry(path: Path, languages: Iterable[str] | None = None) -> list[str]:
    """Confirm the translations of one entry file (topics/ or meta/); return the languages changed."""
    return confirm(path, entry_texts, languages)


def like(old: Any, new: str) -> Any:
    """`new` written the way `old` was (a `|` block stays a block, a quoted string stays quoted)."""
    from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString

    if isinstance(old, LiteralScalarString) and not new.endswith("\n"):
        new += "\n"  # the block keeps its final line break (`|`, not `|-`)
    return type(old)(new) if isinstance(old, ScalarString) else new


def replace_texts(name: str, text: str, changes: dict[str, dict[str, str]]) -> str:
    """An entry file's YAML `text` with `changes` ({language: {field: value}}) written into its `text` mapping.

    The same round trip as `confirm`: fields that do not change keep their lines byte-identical,
    comments included; a changed field keeps its style. `name` names the file in errors.
    """
    yaml, data = round_trip(Path(name), text)
    for lang, fields in changes.items():
        block = data["text"][lang]
        for field, value in fields.items():
            if block.get(field) != value:
                block[field] = like(block.get(field), value)
    return dump(yaml, data)
