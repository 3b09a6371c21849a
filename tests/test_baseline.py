"""bot/nlu/baseline.py and the comparison in bot/nlu/evaluation.py (no trained Rasa model needed).

The fast tests use tests/fixtures/kb_nlu (two real topics and out-of-scope, ten questions per
language each); only the check on the real knowledge base fits the baseline on all of it (`slow`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.language.codes import LANGUAGES
from bot.nlu.baseline import Baseline, fallback_thresholds
from bot.nlu.classify import Classification
from bot.nlu.dataset import examples
from bot.nlu.evaluation import OUT_OF_SCOPE, evaluate, format_comparison, format_styles
from bot.settings import Settings

SMALL_KB = Path(__file__).parent / "fixtures" / "kb_nlu"


@pytest.fixture(scope="module")
def kb():
    """Two topics (summons_received, evasion_liability) and out-of-scope questions."""
    return load_knowledge(SMALL_KB)


@pytest.fixture(scope="module")
def baseline(kb):
    return Baseline(Settings(), kb)


def test_thresholds_come_from_the_rasa_config(tmp_path) -> None:
    (tmp_path / "config.yml").write_text(
        "pipeline:\n  - name: NormalizingTokenizer\n"
        "  - name: FallbackClassifier\n    threshold: 0.42\n"
        "    ambiguity_threshold: 0.07\n"
    )
    assert fallback_thresholds(Settings(rasa_project_dir=tmp_path)) == (0.42, 0.07)


def test_the_small_knowledge_base_has_held_out_questions_in_every_language(kb) -> None:
    """What the tests below rely on: every language has held-out topic and out-of-scope questions."""
    held_out = {
        (e.intent in kb.topics, e.intent == OUT_OF_SCOPE, e.language)
        for e in examples(kb, held_out=True)
        if e.variant == "as written"
    }
    assert {(True, False, lang) for lang in LANGUAGES} | {(False, True, lang) for lang in LANGUAGES} <= held_out


def test_baseline_answers_plain_questions_and_declines_noise(kb, baseline) -> None:
    trained = {e.text for e in examples(kb, held_out=False)}
    questions = {
        "если я не пойду в военкомат меня посадят?": "evasion_liability",
        "мне пришла повестка что делать": "summons_received",
        "povestka keldi nima qilishim kerak": "summons_received",
    }
    assert not trained & set(questions)  # questions the baseline never saw
    for text, topic in questions.items():
        assert baseline.classify(text).topic == topic, text
    for noise in ("qqq zzz xxx", "!!!"):
        assert baseline.classify(noise).topic is None, noise


@pytest.mark.slow
def test_baseline_on_the_real_knowledge_base_answers_a_plain_question_and_declines_noise() -> None:
    """Fitted on all of knowledge/, as `make eval` fits it (one to two minutes)."""
    settings = Settings()
    baseline = Baseline(settings, load_knowledge(settings.knowledge_dir))
    assert baseline.classify("что будет если не пойти в военкомат по повестке").topic == "evasion_liability"
    assert baseline.classify("qqq zzz xxx").topic is None
    assert baseline.classify("!!!").topic is None


class AlwaysOneTopic:
    """A classifier that answers every question with the same topic, confidently."""

    def classify(self, text: str) -> Classification:
        return Classification("summons_received", "ru", 1.0, "summons_received", "summons_received")


class AlwaysDeclines:
    """A classifier that never gives a legal answer and offers both topics, in a fixed order."""

    def classify(self, text: str) -> Classification:
        return Classification(
            None, "ru", 0.3, "nlu_fallback", "evasion_liability", ("evasion_liability", "summons_received")
        )


def test_confident_wrong_and_declined_are_counted_per_language(kb) -> None:
    report = evaluate(AlwaysOneTopic(), kb)
    assert set(report.confident_wrong) == set(report.declined) == set(LANGUAGES)
    for language, (wrong, total) in report.confident_wrong.items():
        right = report.topics[(language, "as written")]["summons_received"][0]
        assert wrong == total - right and total > right > 0
    assert all(declined == 0 and total > 0 for declined, total in report.declined.values())

    declining = evaluate(AlwaysDeclines(), kb)
    assert all(wrong == 0 for wrong, _ in declining.confident_wrong.values())
    assert all(declined == total > 0 for declined, total in declining.declined.values())
    # Every "did you mean" offered the right topic among the two.
    assert all(offered == asked > 0 for offered, asked in declining.clarified.values())


def test_comparison_shows_both_pipelines_for_every_language(kb) -> None:
    answers, declines = evaluate(AlwaysOneTopic(), kb), evaluate(AlwaysDeclines(), kb)
    text = format_comparison(answers, declines)
    rows = {line[:10].strip(): line[10:] for line in text.splitlines()[3:]}
    assert list(rows) == list(LANGUAGES)
    for language, line in rows.items():
        # topic accuracy, confident-wrong, declined, answered right: "first / second" in 20 columns each
        cells = [line[i : i + 20].strip() for i in range(0, 80, 20)]
        assert cells[0] == f"{answers.accuracy(language):.1%} / {declines.accuracy(language):.1%}", line
        wrong, total = answers.confident_wrong[language]
        assert cells[1] == f"{wrong / total:.1%} / 0.0%", line
        assert cells[2] == "0.0% / 100.0%", line  # one never declines, the other always does
        assert cells[3].endswith(" / 0.0%"), line


def test_accuracy_is_reported_by_writing_style(kb) -> None:
    report = evaluate(AlwaysOneTopic(), kb)
    assert sum(total for _, total in report.styles.values()) == sum(t for _, t in report.confident_wrong.values())
    table = format_styles(report)
    for style in ("standard", "no special", "latin", "mixed russian", "fragment"):
        assert any(line.startswith(style) for line in table.splitlines())
