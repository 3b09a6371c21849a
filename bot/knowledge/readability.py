"""Is a short answer plain enough for a reader with little schooling? Words, sentences, no citations.

Counting words and sentences by rule rather than with a readability library: the formulas such
libraries offer (Flesch and kin) are calibrated for English and Russian, not Kyrgyz, Uzbek or
Tajik; what the language review asked for is simply counts per language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.knowledge.render import CONTACT_TOKEN
from bot.problems import Problem

# (words per short answer, words per sentence). Kyrgyz and Uzbek join suffixes to words, so the
# same sentence has fewer words than in Russian; Tajik has more (izofa, auxiliary verbs).
LIMITS: dict[str, tuple[int, int]] = {"ru": (45, 15), "ky": (42, 14), "uz": (42, 14), "tg": (50, 17)}
# Abbreviations people know as words: the permit names on their own documents.
KNOWN_ABBREVIATIONS = {"ВНЖ", "РВП", "VNJ", "RVP", "SMS", "СМС"}

_WORD = re.compile(r"\d[\d\s.,:/–-]*\d|\d|[^\W\d_]+(?:['’ʻ-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_CITATION = re.compile(
    r"№|\bст\.\s*\d|\bстать\w*\s+\d|\bч\.\s*\d|\d+\s*-?\s*(?:ФЗ|FZ)\b|\d+[-–]?\s*(?:берене|modda|моддаи)|моддаи\s+\d",
    re.IGNORECASE,
)
_ABBREVIATION = re.compile(r"\b[A-ZА-ЯЁЎҚҒҲҶӢӮҢӨҮ]{2,}\b")


def words(text: str) -> list[str]:
    """The words of a text; a number such as "10 000" or "04.11.2025" is one word."""
    return _WORD.findall(CONTACT_TOKEN.sub(" contact ", text))


def sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text.strip()) if words(part)]


def short_answer_problems(file: str, lang: str, short: str) -> Iterable[Problem]:
    """Too many words, too long a sentence, an article or law number, an abbreviation."""
    where = f"text.{lang}.short"
    most_words, most_per_sentence = LIMITS[lang]
    count = len(words(short))
    if count > most_words:
        yield Problem(file, where, f"has {count} words; at most {most_words} for a short answer in {lang}")
    for sentence in sentences(short):
        length = len(words(sentence))
        if length > most_per_sentence:
            yield Problem(
                file, where, f"a sentence of {length} words (at most {most_per_sentence}): {sentence[:60]!r}…"
            )
    citation = _CITATION.search(short)
    if citation:
        yield Problem(file, where, f"cites {citation.group(0)!r}: article and law numbers go in details and sources")
    for abbreviation in sorted(set(_ABBREVIATION.findall(short)) - KNOWN_ABBREVIATIONS):
        yield Problem(file, where, f"abbreviation {abbreviation!r}: write the words out (details may explain it)")
