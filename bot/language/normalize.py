"""The one text normaliser, shared by NLU training, inference and language detection.

It folds the many ways migrants type the same word into one Latin "skeleton": lower case,
Cyrillic (Russian, Kyrgyz, Tajik, Uzbek) and Latin typing mapped to the same letters, special
letters folded to their plain twins (ң→n, ҳ→h, ғ→g), apostrophes dropped (o'z → oz), stretched
letters shortened. No library folds these four languages into one form, so it is written here;
Uzbek Latin<->Cyrillic for users is done properly by bot.language.translit.
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "j",
    "з": "z",
    "и": "i",
    "ӣ": "i",
    "і": "i",
    "й": "y",
    "к": "k",
    "қ": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "n",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ү": "u",
    "ӯ": "u",
    "ў": "o",
    "ф": "f",
    "х": "h",
    "ҳ": "h",
    "ц": "ts",
    "ч": "ch",
    "ҷ": "j",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
# Latin letters from other alphabets (new Uzbek Latin, Turkish-style typing) and Latin digraphs
# that spell one sound differently across languages.
_LATIN = {"ğ": "g", "ş": "sh", "ç": "ch", "ö": "o", "ü": "u", "ı": "y", "ñ": "n", "ә": "a"}
_DIGRAPHS = (("zh", "j"), ("kh", "h"), ("x", "h"), ("q", "k"), ("w", "v"), ("yo", "e"))
_APOSTROPHES = re.compile(r"['‘’ʼʻ`´]")
_STRETCHED = re.compile(r"(\D)\1{2,}")
_SPACES = re.compile(r"\s+")


def fold_apostrophes(text: str) -> str:
    """Write every apostrophe variant as ASCII ' (Uzbek o' and g' are typed five ways)."""
    return _APOSTROPHES.sub("'", text)


def _strip_marks(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)) or char


def normalize(text: str) -> str:
    """Return the skeleton of `text` that the model and the language detector see."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _APOSTROPHES.sub("", text)
    out = []
    for char in text:
        if char in _CYRILLIC:
            out.append(_CYRILLIC[char])
        elif char in _LATIN:
            out.append(_LATIN[char])
        elif "a" <= char <= "z" or not char.isalpha():
            out.append(char)
        else:
            out.append(_strip_marks(char))
    text = "".join(out)
    for digraph, letter in _DIGRAPHS:
        text = text.replace(digraph, letter)
    text = _STRETCHED.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


_WORDS = re.compile(r"\w+")


def example_key(text: str) -> str:
    """What makes two example questions the same: the normalised words, punctuation ignored."""
    return " ".join(_WORDS.findall(normalize(text)))
