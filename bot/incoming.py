"""Clean one incoming user message before it reaches the model (or a person), for every front end."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TAGS = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Incoming:
    text: str  # what is sent to the model ("" when there is nothing to read)
    truncated: bool = False  # the message was longer than the limit and was cut

    @property
    def has_words(self) -> bool:
        return any(char.isalnum() for char in self.text)


def _cut(text: str, max_chars: int) -> Incoming:
    if len(text) > max_chars:
        cut = text[:max_chars]
        return Incoming(cut.rsplit(" ", 1)[0] if " " in cut else cut, truncated=True)
    return Incoming(text)


def _visible(raw: str) -> str:
    return "".join(char for char in raw if unicodedata.category(char)[0] != "C" or char in "\n\t")


def as_typed(raw: str, max_chars: int) -> Incoming:
    """For a person (a case at the desk): the text as typed, lines and all, without control and
    invisible characters, cut to `max_chars`. The desk escapes it when it shows it."""
    return _cut(_visible(raw).strip(), max_chars)


def clean(raw: str, max_chars: int) -> Incoming:
    """For the model: drop control and invisible characters and markup tags, fold white space, cut to `max_chars`.

    What a person typed never starts with "/", Rasa's mark of an intent payload: a zero-width
    character before "/restart" must not reach Rasa as its built-in intent. Commands come to the
    bot as Telegram commands, and buttons as payloads the bot itself issued, never through here."""
    return _cut(_SPACES.sub(" ", _TAGS.sub(" ", _visible(raw))).strip().lstrip("/ "), max_chars)
