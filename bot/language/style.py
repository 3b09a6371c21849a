"""Which way of writing a question shows: the rows of `make eval`'s per-style table.

Worked out from the text itself, so the knowledge base needs no style tags. Rules, first match:
    fragment        three words or fewer ("повестка келди", "naemnik statya")
    latin           Kyrgyz, Russian or Tajik typed in Latin letters
    mixed russian   Kyrgyz, Uzbek or Tajik with a Russian word for the legal thing in it
    no special      Kyrgyz without ң ө ү, Tajik without ҳ ҷ ӣ ӯ қ ғ (only when long enough to need them)
    standard        everything else
Typos cannot be told apart this way; they fall into the other rows.
"""

from __future__ import annotations

import re

from bot.language.normalize import normalize

STYLES = ("standard", "no special", "latin", "mixed russian", "fragment")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]", re.I)
_SPECIAL = {"ky": "ңөү", "tg": "ҳҷӣӯқғ"}
# Stems of Russian words migrants keep for legal things, as skeletons (bot.language.normalize);
# a word counts when it starts with one, so "povestkaga" and "гражданствосу" count too. Loanwords
# every language uses anyway (армия, контракт, паспорт) are left out.
_RUSSIAN_STEMS = tuple(
    normalize(stem)
    for stem in (
        "повестк",
        "военкомат",
        "гражданств",
        "уклонени",
        "загранпаспорт",
        "госуслуг",
        "реестр",
        "наемник",
        "мобилизаци",
        "штраф",
        "статья",
        "статью",
        "уголовн",
        "вербовщик",
        "справк",
    )
)


def writing_style(text: str, language: str) -> str:
    """One of STYLES for a question written in `language` (ky, ru, uz, tg)."""
    words = text.split()
    if len(words) <= 3:
        return "fragment"
    cyrillic, latin = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    if language in ("ky", "ru", "tg") and latin > cyrillic:
        return "latin"
    if language != "ru" and any(normalize(word).startswith(_RUSSIAN_STEMS) for word in re.findall(r"[\w']+", text)):
        return "mixed russian"
    if (
        language in _SPECIAL
        and cyrillic > latin
        and len(words) >= 5
        and not set(text.lower()) & set(_SPECIAL[language])
    ):
        return "no special"
    return "standard"
