"""Translation parity: each translation records a fingerprint of the Russian text it was made from.

When the Russian text of an entry changes, every translation that still carries the old
fingerprint is out of date, and `kb lint` says so until a translator checks it and confirms it
with `python -m bot kb confirm <entry_id> [language …]`, which records the new fingerprint.
Confirming rewrites only the `source_fingerprint` lines; the rest of the file is left as it is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import yaml

from bot.knowledge.schema import MetaText, TopicText
from bot.language.codes import LANGUAGES

SOURCE_LANGUAGE = "ru"  # lawyers write and edit the Russian text; the others are translations of it
TRANSLATIONS = tuple(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)


def fingerprint(text: TopicText | MetaText) -> str:
    """12 hex digits that change whenever the Russian title, short answer or details change."""
    parts = [text.title, text.short, getattr(text, "details", "")]
    canonical = "\n".join(" ".join(part.split()) for part in parts)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def out_of_date(entry_text: dict) -> list[tuple]:
    """(language, recorded fingerprint or None) for every translation not made from today's Russian text."""
    current = fingerprint(entry_text[SOURCE_LANGUAGE])
    return [
        (lang, entry_text[lang].source_fingerprint)
        for lang in TRANSLATIONS
        if lang in entry_text and entry_text[lang].source_fingerprint != current
    ]


def translation_languages(languages: Iterable[str] | None = None) -> list[str]:
    """The languages asked for (default: every translation); ValueError names any that is not one."""
    wanted = list(languages or TRANSLATIONS)
    unknown = [lang for lang in wanted if lang not in TRANSLATIONS]
    if unknown:
        raise ValueError(f"{', '.join(unknown)}: not a translation language ({', '.join(TRANSLATIONS)})")
    return wanted


def confirm(path: Path, languages: Iterable[str] | None = None) -> list[str]:
    """Record the current Russian fingerprint in the translations of one entry file; return the languages changed.

    Edits only the `source_fingerprint` line of each language (adding it under `title:`), so a
    lawyer's file keeps its layout, quotes and comments.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    russian = data["text"][SOURCE_LANGUAGE]
    current = fingerprint(TopicText(**russian) if "details" in russian else MetaText(**russian))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = []
    for lang in translation_languages(languages):
        if data["text"][lang].get("source_fingerprint") != current:
            _set_line(lines, lang, f"    source_fingerprint: {current}\n")
            changed.append(lang)
    if changed:
        path.write_text("".join(lines), encoding="utf-8")
    return changed


def _set_line(lines: list[str], lang: str, new_line: str) -> None:
    """Replace or add the fingerprint line inside `text:` → `  <lang>:` (block style, one field a line)."""
    try:
        text_at = next(i for i, line in enumerate(lines) if line.rstrip() == "text:")
        lang_at = next(i for i in range(text_at + 1, len(lines)) if lines[i].rstrip() == f"  {lang}:")
    except StopIteration:
        raise ValueError(
            f"cannot find `text:` / `  {lang}:` written one field a line; write text.{lang} "
            "in block style to confirm it"
        ) from None
    end = next(
        (i for i in range(lang_at + 1, len(lines)) if lines[i].strip() and not lines[i].startswith("    ")), len(lines)
    )
    for i in range(lang_at + 1, end):
        if lines[i].startswith("    source_fingerprint:"):
            lines[i] = new_line
            return
    title_at = next(i for i in range(lang_at + 1, end) if lines[i].startswith("    title:"))
    lines.insert(title_at + 1, new_line)
