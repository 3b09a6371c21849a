"""Uzbek Latin <-> Cyrillic transliteration (a thin wrapper over the `alifbo` library).

Kenesh stores Uzbek text in Latin script; users who write Uzbek in Cyrillic are answered in
Cyrillic produced here. alifbo leaves URLs, e-mail addresses and numbers untouched.
"""

from __future__ import annotations

import alifbo


def latin_to_cyrillic(text: str) -> str:
    """Return Uzbek Latin text written in Uzbek Cyrillic."""
    return alifbo.to_cyrillic(text).text


def cyrillic_to_latin(text: str) -> str:
    """Return Uzbek Cyrillic text in the current (1995) Uzbek Latin alphabet, with ' for ʻ."""
    latin = alifbo.to_old_latin(alifbo.from_cyrillic(text).text).text
    return latin.replace("\u02bb", "'").replace("\u02bc", "'")
