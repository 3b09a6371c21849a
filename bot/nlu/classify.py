"""`python -m bot classify`: JSON lines {"id", "text"} in, {"id", "topic", "language", "confidence"} out.

The topic is what the live assistant would answer with: the model's intent when it is a
knowledge-base topic, or null where the assistant would fall back ("did you mean") or decline.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from bot.incoming import clean
from bot.knowledge.loader import load_knowledge
from bot.knowledge.render import offered_topics
from bot.language.detect import detect, load_identifier
from bot.nlu.model import FALLBACK_INTENT, LoadedModel
from bot.settings import Settings


@dataclass(frozen=True)
class Classification:
    topic: str | None
    language: str
    confidence: float
    intent: str  # the raw intent, including meta intents and nlu_fallback
    best: str = FALLBACK_INTENT  # the model's first choice before any threshold (for evaluation)
    offered: tuple[str, ...] = ()  # the two best topics, as "did you mean" offers them


class Classifier:
    """Turns texts into topics with the live model and thresholds."""

    def __init__(self, settings: Settings, model: LoadedModel | None = None) -> None:
        self.settings = settings
        self.topics = set(load_knowledge(settings.knowledge_dir).topics)
        self.model = model or LoadedModel(settings)
        self.language_model = load_identifier(settings.language_model_path)

    def classify(self, text: str) -> Classification:
        incoming = clean(text, self.settings.max_message_chars)
        language = detect(incoming.text, self.language_model).language
        if not incoming.has_words:
            return Classification(None, language, 0.0, FALLBACK_INTENT)
        parsed = self.model.parse(incoming.text)
        intent = (parsed.get("intent") or {}).get("name") or FALLBACK_INTENT
        ranking = [r for r in parsed.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
        confidence = float(ranking[0]["confidence"]) if ranking else 0.0
        topic = intent if intent in self.topics else None
        best = ranking[0]["name"] if ranking else FALLBACK_INTENT
        offered = offered_topics((r["name"] for r in ranking), self.topics)
        return Classification(topic, language, round(confidence, 4), intent, best, offered)


def _error(request_id: Any, message: str) -> dict[str, Any]:
    return {"id": request_id, "topic": None, "language": None, "confidence": 0.0, "error": message}


def _answer(classifier: Classifier, line: str) -> dict[str, Any]:
    try:
        request = json.loads(line)
    except ValueError as error:
        return _error(None, f"not a JSON line: {error}")
    if not isinstance(request, dict) or not isinstance(request.get("text"), str):
        request_id = request.get("id") if isinstance(request, dict) else None
        return _error(request_id, 'expected {"id": ..., "text": "..."}')
    result = classifier.classify(request["text"])
    return {
        "id": request.get("id"),
        "topic": result.topic,
        "language": result.language,
        "confidence": result.confidence,
    }


def classify_stream(
    settings: Settings, lines: Iterable[str], out: TextIO = sys.stdout, classifier: Classifier | None = None
) -> None:
    """Answer every non-empty input line with one output line, in order."""
    classifier = classifier or Classifier(settings)
    for line in lines:
        if line.strip():
            out.write(json.dumps(_answer(classifier, line), ensure_ascii=False) + "\n")
            out.flush()
