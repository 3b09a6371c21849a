"""The examples the model learns from (knowledge/examples/), and the held-out fifth it is evaluated on.

One example in five is held out of training, chosen by a hash of the example itself, so the
split is stable when examples are added and evaluation never sees a training question.
Uzbek examples are also given to the model in the other script (Latin <-> Cyrillic).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.knowledge.loader import KnowledgeBase
from bot.language import translit
from bot.language.normalize import example_key

HELD_OUT_PERCENT = 20
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class Example:
    intent: str
    language: str
    text: str
    variant: str = "as written"  # or "transliterated"


def in_fifth(intent: str, text: str, salt: str = "") -> bool:
    """True for a stable fifth of the examples, chosen by a hash of the example's key.

    The key folds letters, scripts and punctuation, so a question that two languages share, its
    other script (Uzbek), or the same words with other punctuation always fall on the same side.
    """
    if _CYRILLIC.search(text):  # the key only: Uzbek written in both scripts falls on one side
        text = translit.cyrillic_to_latin(text)
    digest = hashlib.sha256(f"{salt}{intent}|{example_key(text)}".encode()).digest()
    return digest[0] * 100 // 256 < HELD_OUT_PERCENT


def is_held_out(intent: str, text: str) -> bool:
    """True for the fifth of examples kept out of training for evaluation (`make eval`)."""
    return in_fifth(intent, text)


def _with_other_script(example: Example) -> list[Example]:
    if example.language != "uz":
        return [example]
    if _CYRILLIC.search(example.text):
        other = translit.cyrillic_to_latin(example.text)
    else:
        other = translit.latin_to_cyrillic(example.text)
    return [example, Example(example.intent, example.language, other, "transliterated")]


def examples(kb: KnowledgeBase, held_out: bool) -> Iterator[Example]:
    """Yield the training (held_out=False) or evaluation (held_out=True) examples."""
    for entry_id, by_language in kb.examples.items():
        for language, questions in by_language.items():
            for text in questions:
                if is_held_out(entry_id, text) == held_out:
                    yield from _with_other_script(Example(entry_id, language, text))
