"""Uzbek Latin <-> Cyrillic transliteration (a wrapper over the `alifbo` library).

Kenesh stores Uzbek text in Latin script; users who write Uzbek in Cyrillic are answered in
Cyrillic produced here. What alifbo cannot know is handled before it runs:

- Kept as written: URLs, bare domains (mfa.gov.kg), e-mail addresses, {placeholders} and
  {contact:…} tokens, /commands, Roman numerals (I guruh, VII-son) and the names listed under
  `keep` in uz_cyrillic_words.yaml (The Moscow Times, Forbes, Telegram).
- Replaced by their Cyrillic spelling: the Russian abbreviations, loanwords, names and month
  names listed under `words` in uz_cyrillic_words.yaml (KoAP -> КоАП, vypiska -> выписка,
  yanvar -> январь). Uzbek Cyrillic keeps the Russian spelling of these loans; alifbo would write
  "вйписка", "январ" or leave "KoAP" in Latin.
- The soft sign: "январь", "рубль" alone, but "январдан", "рублга" before a suffix. ь is written
  at the end of Russian loans, and "Oxirida ushbu belgi bo'lgan so'zlarga qo'shimcha
  qo'shilganda, yozilmaydi: apreldan, gantelda" (uz.wikipedia.org, article «Ь»). Uzbek Cyrillic
  press writes the suffixed forms so: "2025 йил 1 апрелдан эътиборан", "15 ноябрда", "30 январда"
  (xabardor.uz), "29 февралдан" (hudud24.uz). Some papers drop ь in the bare form too
  ("12 декабр"); the bare form here keeps it, as the rule says.
- «ng'» is n + gʻ (qo'ng'iroq -> қўнғироқ): alifbo's `ng_as_digraph` is switched off, otherwise
  it reads "ng" as one letter and leaves the apostrophe behind (қўнгʻироқ).
- «ts» is ц in Russian loans (politsiya -> полиция) but t + s where an Uzbek suffix starting
  with s follows a t (hujjatsiz -> ҳужжатсиз, etsangiz -> этсангиз, o'tsa -> ўтса, ketsin ->
  кетсин); alifbo would write ҳужжациз.
- «shch» is ш + ч (ishchi -> ишчи), not щ (alifbo: ищи).

`transliterate` returns the text with the problems found: alifbo's warnings that a word was not
converted (a foreign word, a letter with no Cyrillic), Latin letters left in the output, and
spellings that look like a garbled Russian loan (э inside a word, й after a consonant).
alifbo's routine notes (e read as е or э, ya read as я) are kept in `warnings` but are no
problem. `latin_to_cyrillic` is the text alone; tests/language/test_translit.py runs every
Uzbek text users see through `transliterate` and fails on any problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import alifbo
import yaml

WORDS_FILE = Path(__file__).with_name("uz_cyrillic_words.yaml")

# alifbo's notes on a choice it made as the Uzbek rules say: not a problem.
ROUTINE_WARNINGS = frozenset(
    {
        "latin.e.ambiguous",
        "latin.ye.positional",
        "latin.ya.ambiguous",
        "latin.yo.ambiguous",
        "latin.yu.ambiguous",
        "latin.tse.ambiguous",
        "latin.tutuq.ambiguous",
    }
)

_APOSTROPHES = "'ʻʼ‘’`"
_URL = r"(?:https?://|www\.)[^\s`«»]+"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# A bare domain (alifbo keeps only URLs with a scheme), with its path if any.
_DOMAIN = (
    r"(?i:[\w.+-]*[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:kg|uz|tj|ru|org|com|net|int|info)\b"
    r"(?:/[^\s«»()<>\"',;]*[^\s«»()<>\"',;.:!?])?)"
)
_PLACEHOLDER = r"\{[a-z_]*(?::[a-z0-9_]+)?\}"
_COMMAND = r"(?<![\w/])/[a-z_]+\b"
# I to XXXIX, alone (not an initial "I." nor part of "IIV"); "VII-son" keeps "VII".
_ROMAN = rf"(?<![\w.{_APOSTROPHES}])(?=[IVX])X{{0,3}}(?:IX|IV|V?I{{0,3}})(?![\w.])"
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(rf"[\w{_APOSTROPHES}.-]*\w")
# After a t, the Uzbek suffixes that start with s: -sa (-sam, -sangiz), -siz, -sin, -simon, -soz.
_T_BEFORE_SUFFIX = re.compile(rf"(?<=[A-Za-z{_APOSTROPHES}])([tT])(?=(?i:s(?:a|iz|in(?:lar)?\b|imon|oz)))")
# «shch» is ш + ч (ishchi -> ишчи); alifbo reads it as щ (ищи).
_SH_BEFORE_CH = re.compile(r"([sS])[hH](?=[cC][hH])")
# Spellings no Uzbek word has: they mark a Russian loan alifbo spelled letter by letter.
_ODD_SPELLING = re.compile(r"(?i)(?<=[абвгдеёжзийклмнопрстуфхцчшщыьюяўқғҳ])э|[бвгджзклмнпрстфхцчшщқғҳ]й")


@dataclass(frozen=True)
class Problem:
    """A word that did not come out as correct Uzbek Cyrillic."""

    word: str
    rule: str  # alifbo's rule (latin.foreign, latin.unmapped) or latin.left, cyrillic.odd
    message: str


@dataclass(frozen=True)
class Transliteration:
    text: str
    problems: tuple[Problem, ...] = ()
    # Every note alifbo made, routine ones too; offsets point into the piece alifbo was given.
    warnings: tuple[alifbo.Warning, ...] = ()


@dataclass(frozen=True)
class _Words:
    kept: re.Pattern  # spans left as written
    listed: re.Pattern  # keys of `words`
    cyrillic: dict[str, str]  # key (lower-cased unless matched as written) -> Cyrillic
    spelled_right: frozenset[str]


def _matched_as_written(key: str) -> bool:
    """KoAP, MFC, Asia-Plus: a capital after the first letter."""
    return any(character.isupper() for character in key[1:])


@cache
def _words(path: Path = WORDS_FILE) -> _Words:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    words: dict[str, str] = data.get("words") or {}
    keep: list[str] = data.get("keep") or []
    odd = [
        f"{key!r}: {value!r}" for key, value in words.items() if not (isinstance(key, str) and isinstance(value, str))
    ]
    odd += [repr(name) for name in keep if not isinstance(name, str)]
    if odd:  # YAML reads `no:` or `on:` as a boolean: quote such keys
        raise ValueError(f"{path.name}: not text (quote it): {', '.join(odd)}")
    cyrillic = {(key if _matched_as_written(key) else key.lower()): value for key, value in words.items()}
    alternatives = [
        re.escape(key) if _matched_as_written(key) else f"(?i:{re.escape(key)})"
        for key in sorted(words, key=len, reverse=True)
    ]
    names = "|".join(re.escape(name) for name in sorted(keep, key=len, reverse=True))
    kept = [_URL, _EMAIL, _DOMAIN, _PLACEHOLDER, _COMMAND, _ROMAN] + ([rf"(?<!\w)(?:{names})"] if names else [])
    return _Words(
        kept=re.compile("|".join(f"(?:{pattern})" for pattern in kept)),
        listed=re.compile(rf"(?<![\w{_APOSTROPHES}])({'|'.join(alternatives)})([{_APOSTROPHES}](?=[^\W\d_]))?")
        if words
        else re.compile(r"(?!)"),
        cyrillic=cyrillic,
        spelled_right=frozenset(word.lower() for word in data.get("spelled_right") or []),
    )


def _listed_word(match: re.Match, words: _Words) -> str:
    written = match.group(1)
    as_written = _matched_as_written(written) and written in words.cyrillic
    value = words.cyrillic[written if as_written else written.lower()]
    if value.endswith("ь") and match.string[match.end() : match.end() + 1].isalpha():
        value = value[:-1]  # a suffix follows: январдан, рублга
    if as_written:
        return value
    if len(written) > 1 and written.isupper():
        return value.upper()
    return value[:1].upper() + value[1:] if written[:1].isupper() else value


def _word_at(text: str, index: int, length: int) -> str:
    start, end = index, index + max(length, 1)
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in _APOSTROPHES + "-"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] in _APOSTROPHES + "-"):
        end += 1
    return text[start:end]


def _convert(segment: str, words: _Words) -> tuple[str, list[Problem], list[alifbo.Warning]]:
    prepared = words.listed.sub(lambda match: _listed_word(match, words), segment)
    prepared = _SH_BEFORE_CH.sub(lambda match: "ш" if match.group(1) == "s" else "Ш", prepared)
    prepared = _T_BEFORE_SUFFIX.sub(lambda match: "т" if match.group(1) == "t" else "Т", prepared)
    result = alifbo.to_cyrillic(prepared, ng_as_digraph=False, protect_spans=False)
    problems = [
        Problem(_word_at(prepared, warning.index, warning.length), warning.rule, warning.message)
        for warning in result.warnings
        if warning.rule not in ROUTINE_WARNINGS
    ]
    for match in _WORD.finditer(result.text):
        word = match.group()
        if _LATIN_LETTER.search(word) and not any(p.word in word or word in p.word for p in problems):
            problems.append(Problem(word, "latin.left", f"{word} is still in Latin letters"))
        elif _ODD_SPELLING.search(word) and word.lower() not in words.spelled_right:
            problems.append(Problem(word, "cyrillic.odd", f"{word} looks like a Russian loan spelled letter by letter"))
    return result.text, problems, list(result.warnings)


def transliterate(text: str) -> Transliteration:
    """Uzbek Latin text in Uzbek Cyrillic, with the words that did not convert cleanly."""
    words = _words()
    output: list[str] = []
    problems: list[Problem] = []
    warnings: list[alifbo.Warning] = []
    cursor = 0
    for match in [*words.kept.finditer(text), None]:
        start = match.start() if match else len(text)
        if start > cursor:
            converted, found, noted = _convert(text[cursor:start], words)
            output.append(converted)
            problems += found
            warnings += noted
        if match:
            output.append(match.group())
            cursor = match.end()
    return Transliteration("".join(output), tuple(problems), tuple(warnings))


def latin_to_cyrillic(text: str) -> str:
    """Return Uzbek Latin text written in Uzbek Cyrillic, leaving web addresses as they are."""
    return transliterate(text).text


def cyrillic_to_latin(text: str) -> str:
    """Return Uzbek Cyrillic text in the current (1995) Uzbek Latin alphabet, with ' for ʻ."""
    latin = alifbo.to_old_latin(alifbo.from_cyrillic(text).text).text
    return latin.replace("\u02bb", "'").replace("\u02bc", "'")
