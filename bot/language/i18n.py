"""Gettext catalogs from locales/ -> one translator per language (no global current locale).

Uzbek Cyrillic has no catalog of its own: it is the Uzbek (Latin) text transliterated.
A catalog is read from its compiled .mo when present, else compiled in memory from the .po,
so a fresh checkout works before `pybabel compile` has run.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from bot.language import translit
from bot.language.codes import base_language
from bot.settings import REPO_ROOT

LOCALES_DIR = REPO_ROOT / "locales"
DOMAIN = "messages"
# Kept as they are when Uzbek text is written in Cyrillic: {placeholders} and /commands.
_PLACEHOLDER = re.compile(r"(\{[a-z_]*\}|(?<![\w/])/[a-z_]+\b)")


@cache
def translations(language: str, locales_dir: Path = LOCALES_DIR) -> NullTranslations:
    """Return the gettext translations for a base language (ky, ru, uz, tg)."""
    folder = locales_dir / language / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.exists() and po.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if po.exists():
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return Translations(buffer, domain=DOMAIN)
    return NullTranslations()


def gettext_for(script: str) -> Callable[[str], str]:
    """Return `_` for a script variant (ky, ru, uz, uz_Cyrl, tg)."""
    translate = translations(base_language(script)).gettext
    if script == "uz_Cyrl":
        return lambda message: _cyrillic_keeping_placeholders(translate(message))
    return translate


def _cyrillic_keeping_placeholders(text: str) -> str:
    parts = _PLACEHOLDER.split(text)
    return "".join(part if _PLACEHOLDER.fullmatch(part) else translit.latin_to_cyrillic(part) for part in parts)


def in_script(script: str, text: str) -> str:
    """Write knowledge-base text (stored per base language) in the script variant asked for."""
    return translit.latin_to_cyrillic(text) if script == "uz_Cyrl" else text


def format_day(day: dt.date, script: str) -> str:
    """Format a date the way the user's locale writes it (Babel/CLDR). Uzbek Cyrillic is the Uzbek
    Latin date transliterated, so it matches the answers' text (CLDR writes "ноябр", they "ноябрь")."""
    if script == "uz_Cyrl":
        return in_script(script, format_date(day, format="long", locale="uz_Latn"))
    return format_date(day, format="long", locale={"uz": "uz_Latn"}.get(script, script))
