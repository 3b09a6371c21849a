"""Do the translations use the glossary's words (knowledge/glossary.yaml)?

A term is required in a translation when the Russian text of the same field contains one of its
Russian stems; an `avoid` variant is wrong wherever it appears in that language. Matching is at
the start of a word and ignores case, except for Russian stems in capitals (УК, СМИ), which are
abbreviations and must match as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from bot.knowledge.schema import Glossary

RussianText = str
Translation = str


@lru_cache(maxsize=512)
def _pattern(stem: str) -> re.Pattern:
    flags = 0 if stem.isupper() else re.IGNORECASE
    return re.compile(r"(?<![\w'])" + re.escape(stem), flags)


def contains(text: str, stem: str) -> bool:
    return bool(_pattern(stem).search(text))


def term_problems(glossary: Glossary, lang: str, russian: RussianText, translation: Translation) -> Iterator[str]:
    """What is wrong with one translated field against the glossary (one message per problem)."""
    for term in glossary.terms:
        forms = term.forms(lang)
        if forms is None:
            continue
        for variant in forms.avoid:
            if contains(translation, variant):
                wanted = f"; use {forms.use!r}" if forms.use else ""
                yield f"uses {variant!r} for {term.id!r}{wanted} (knowledge/glossary.yaml)"
        required = forms.use and any(contains(russian, stem) for stem in term.ru)
        if required and not contains(translation, forms.use or ""):
            yield f"the Russian speaks of {term.id!r} but the text lacks {forms.use!r} (knowledge/glossary.yaml)"
