"""bot/baseline.py and the comparison in bot/evaluation.py (no trained Rasa model needed)."""

from __future__ import annotations

import pytest

from bot.baseline import Baseline, fallback_thresholds
from bot.classify import Classification
from bot.evaluation import evaluate, format_comparison
from bot.knowledge.loader import load_knowledge
from bot.settings import Settings


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(Settings().knowledge_dir)


@pytest.fixture(scope="module")
def baseline(kb):
    return Baseline(Settings(), kb)


def test_thresholds_come_from_the_rasa_config(tmp_path) -> None:
    (tmp_path / "config.yml").write_text("pipeline:\n  - name: NormalizingTokenizer\n"
                                         "  - name: FallbackClassifier\n    threshold: 0.42\n"
                                         "    ambiguity_threshold: 0.07\n")
    assert fallback_thresholds(Settings(rasa_project_dir=tmp_path)) == (0.42, 0.07)


def test_baseline_answers_a_plain_question_and_declines_noise(baseline) -> None:
    assert baseline.classify("что будет если не пойти в военкомат по повестке").topic == "evasion_liability"
    assert baseline.classify("qqq zzz xxx").topic is None
    assert baseline.classify("!!!").topic is None


class AlwaysOneTopic:
    """A classifier that answers every question with the same topic, confidently."""

    def classify(self, text: str) -> Classification:
        return Classification("summons_received", "ru", 1.0, "summons_received", "summons_received")


def test_confident_wrong_and_declined_are_counted_per_language(kb) -> None:
    report = evaluate(AlwaysOneTopic(), kb)
    for language, (wrong, total) in report.confident_wrong.items():
        right = report.topics[(language, "as written")]["summons_received"][0]
        assert wrong == total - right and total > 0
    assert all(declined == 0 for declined, _ in report.declined.values())


def test_comparison_shows_both_pipelines_for_every_language(kb, baseline) -> None:
    text = format_comparison(evaluate(AlwaysOneTopic(), kb), evaluate(baseline, kb))
    for language in ("ky", "ru", "uz", "tg"):
        assert any(line.startswith(language) and line.count("/") == 4 for line in text.splitlines())


def test_accuracy_is_reported_by_writing_style(kb) -> None:
    from bot.evaluation import format_styles

    report = evaluate(AlwaysOneTopic(), kb)
    assert sum(total for _, total in report.styles.values()) == sum(t for _, t in report.confident_wrong.values())
    table = format_styles(report)
    for style in ("standard", "no special", "latin", "mixed russian", "fragment"):
        assert any(line.startswith(style) for line in table.splitlines())
