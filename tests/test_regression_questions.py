"""Tricky questions (tests/fixtures/regression_questions.yaml) go where they must, through the live model."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.model

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "regression_questions.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[case["text"][:40] for case in CASES])
def test_tricky_question(classifier, case: dict) -> None:
    """A topic (or a list of equally right ones): answered with it, or "did you mean" with it offered
    first; never another topic's answer.
    null: no legal answer at all (declined, or "did you mean")."""
    result = classifier.classify(case["text"])
    if case["topic"] is None:
        assert result.topic is None, case["why"]
    else:
        allowed = case["topic"] if isinstance(case["topic"], list) else [case["topic"]]
        offered_first = result.topic is None and result.offered[:1] and result.offered[0] in allowed
        assert result.topic in allowed or offered_first, case["why"]


def test_no_tricky_question_is_a_training_example() -> None:
    """The set measures questions the model never saw."""
    from bot.knowledge.loader import load_knowledge
    from bot.language.normalize import example_key
    from bot.nlu.dataset import examples
    from bot.settings import REPO_ROOT

    trained = {example_key(e.text) for e in examples(load_knowledge(REPO_ROOT / "knowledge"), held_out=False)}
    assert [case["text"] for case in CASES if example_key(case["text"]) in trained] == []
