"""One search box → topics: the model's top intents, plus a text search over the answers.

A question is cleaned as the bot cleans a message (bot.incoming), its language guessed as the bot
guesses it (bot.language.detect, with the trained identifier), and sent to the running Rasa
server's /model/parse, whose tokenizer normalises it as in training (bot.language.normalize).
Words the model never saw in a training question (a rare term, a name, a number of an article)
are looked up in the answers themselves, folded by the same normaliser: exactly, by their stem,
then allowing a typo or two (difflib). Without Rasa every word is looked up that way.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from bot.incoming import clean
from bot.knowledge.loader import KnowledgeBase
from bot.language.codes import DEFAULT_LANGUAGE
from bot.language.detect import detect
from bot.language.normalize import normalize
from desk.lookup import rasa
from desk.lookup.knowledge import knowledge, language_identifier

MIN_CONFIDENCE = 0.05  # model intents below this are noise
MODEL_TOPICS = 5
MAX_RESULTS = 8
MIN_WORD = 4  # shorter words (prepositions, "мне", "nima") are not looked up in the answers
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    topic_id: str
    confidence: float | None = None  # the model's, when it named this topic
    words: tuple[str, ...] = ()  # answer words that matched words the model never saw


@dataclass(frozen=True)
class Result:
    language: str  # the caller's script, as detected (ky, ru, uz, uz_Cyrl, tg)
    hits: tuple[Hit, ...] = ()
    model_answered: bool = True
    unseen_words: tuple[str, ...] = field(default=())


def _words(text: str) -> list[str]:
    return _WORDS.findall(normalize(text))


class AnswerIndex:
    """The answers' words (every language, folded) → topics; and the words of every training question."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.seen: set[str] = set()
        for by_language in kb.examples.values():
            for questions in by_language.values():
                for question in questions:
                    self.seen.update(_words(question))
        topics_by_word: dict[str, set[str]] = defaultdict(set)
        for topic in kb.topics.values():
            texts = [f"{t.title} {t.short} {t.details}" for t in topic.text.values()]
            texts += [f"{s.title} {s.number} {s.issuer}" for s in topic.sources]
            for text in texts:
                for word in _words(text):
                    if len(word) >= MIN_WORD - 1:
                        topics_by_word[word].add(topic.id)
        self.topics_by_word = dict(topics_by_word)
        self.sorted_words = sorted(self.topics_by_word)
        self.by_initial: dict[str, list[str]] = defaultdict(list)
        for word in self.sorted_words:
            self.by_initial[word[:1]].append(word)

    def matches(self, word: str) -> list[str]:
        """Answer words that `word` stands for: itself, words sharing its stem, then close spellings."""
        if word in self.topics_by_word:
            return [word]
        stem = word[: max(MIN_WORD, len(word) - 2)]
        start = bisect.bisect_left(self.sorted_words, stem)
        found = []
        for candidate in self.sorted_words[start : start + 50]:
            if not candidate.startswith(stem):
                break
            found.append(candidate)
        return found or difflib.get_close_matches(word, self.by_initial.get(word[:1], []), n=3, cutoff=0.8)

    def search(self, words: list[str]) -> dict[str, list[str]]:
        """Topic → the answer words that matched, for these (folded) words."""
        hits: dict[str, list[str]] = defaultdict(list)
        for word in dict.fromkeys(words):
            topics_here: set[str] = set()
            for match in self.matches(word):
                topics_here |= self.topics_by_word[match]
            for topic_id in topics_here:
                hits[topic_id].append(word)
        return hits


_index: tuple[KnowledgeBase, AnswerIndex] | None = None  # the last index built, and what from


def answer_index(kb: KnowledgeBase | None = None) -> AnswerIndex:
    """The text index of `kb` (the knowledge served now): built again after a published change."""
    global _index
    kb = kb or knowledge()
    if _index is None or _index[0] is not kb:
        _index = (kb, AnswerIndex(kb))
    return _index[1]


def caller_language(text: str) -> str:
    """The script to show answers in, as the bot would answer this message (English → Russian)."""
    detection = detect(text, language_identifier())
    return DEFAULT_LANGUAGE if detection.language == "en" else detection.serve_script


def search(question: str) -> Result:
    """The topics a question is about, best first."""
    text = clean(question, settings.KENESH.max_message_chars).text
    if not any(char.isalnum() for char in text):
        return Result(DEFAULT_LANGUAGE, model_answered=True)
    kb = knowledge()
    index = answer_index(kb)
    language = caller_language(text)
    ranking = rasa.intent_ranking(text)
    words = [word for word in _words(text) if len(word) >= MIN_WORD]
    unseen = [word for word in words if word not in index.seen] if ranking is not None else words
    by_text = index.search(unseen)
    hits: list[Hit] = []
    for intent, confidence in ranking or []:
        if intent in kb.topics and confidence >= MIN_CONFIDENCE and len(hits) < MODEL_TOPICS:
            hits.append(Hit(intent, round(confidence, 3), tuple(by_text.pop(intent, ()))))
    for topic_id, matched in sorted(by_text.items(), key=lambda item: (-len(item[1]), item[0])):
        hits.append(Hit(topic_id, None, tuple(matched)))
    return Result(language, tuple(hits[:MAX_RESULTS]), ranking is not None, tuple(unseen))
