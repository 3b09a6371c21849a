"""Uzbek Latin <-> Cyrillic transliteration (a thin wrapper over the `alifbo` library).

Kenesh stores Uzbek text in Latin script; users who write Uzbek in Cyrillic are answered in
Cyrillic produced here. alifbo leaves URLs, e-mail addresses and numbers untouched.
"""

from __future__ import annotations

import re

import alifbo

# alifbo keeps URLs with a scheme; bare domains (mfa.gov.kg) and e-mail addresses need protecting.
_DOMAIN = re.compile(r"[\w.+-]*[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:kg|uz|tj|ru|org|com|net|int|info)\b", re.I)


# Russian loanwords keep their Russian spelling in Uzbek Cyrillic (alifbo's rules would write
# "воэнкомат"); a stem is replaced before conversion so that suffixes (-ga, -dan) still convert.
_LOANWORDS = {"voenkomat": "военкомат", "reestr": "реестр", "gosuslugi": "госуслуги", "rossiya": "россия"}
_LOANWORD = re.compile(r"\b(" + "|".join(_LOANWORDS) + r")'?", re.I)


def _russian_stem(match: re.Match) -> str:
    word = match.group(1)
    cyrillic = _LOANWORDS[word.lower()]
    return cyrillic.capitalize() if word[0].isupper() else cyrillic


def latin_to_cyrillic(text: str) -> str:
    """Return Uzbek Latin text written in Uzbek Cyrillic, leaving web addresses as they are."""
    protected = set(_DOMAIN.findall(text))
    return alifbo.to_cyrillic(_LOANWORD.sub(_russian_stem, text), protected_terms=protected).text


def cyrillic_to_latin(text: str) -> str:
    """Return Uzbek Cyrillic text in the current (1995) Uzbek Latin alphabet, with ' for ʻ."""
    latin = alifbo.to_old_latin(alifbo.from_cyrillic(text).text).text
    return latin.replace("\u02bb", "'").replace("\u02bc", "'")
