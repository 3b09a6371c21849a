"""Held-out NLU quality: every language meets issue 4's targets (accuracy, confident-wrong, declined)."""

from __future__ import annotations

import pytest

from bot.knowledge.loader import load_knowledge
from bot.nlu.evaluation import evaluate, format_report

pytestmark = pytest.mark.model


def test_held_out_targets_per_language(classifier, trained_settings) -> None:
    kb = load_knowledge(trained_settings.knowledge_dir)
    report = evaluate(classifier, kb)
    print(format_report(report, kb))
    assert report.shortfalls() == []
