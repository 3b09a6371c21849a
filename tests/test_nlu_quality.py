"""Held-out NLU quality: each language must reach the minimum accuracy on the five first topics."""

from __future__ import annotations

import pytest

from bot.evaluation import GATED_TOPICS, MIN_TOPIC_ACCURACY, evaluate, format_report
from bot.knowledge.loader import load_knowledge
from bot.language.codes import LANGUAGES

pytestmark = pytest.mark.model


def test_held_out_accuracy_per_language(classifier, trained_settings) -> None:
    kb = load_knowledge(trained_settings.knowledge_dir)
    report = evaluate(classifier, kb)
    print(format_report(report, kb))
    for language in LANGUAGES:
        accuracy = report.accuracy(language, topics=GATED_TOPICS)
        assert accuracy is not None and accuracy >= MIN_TOPIC_ACCURACY, f"{language}: {accuracy:.1%}"
