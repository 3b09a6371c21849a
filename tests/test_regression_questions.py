"""Tricky questions (tests/fixtures/regression_questions.yaml) go where they must, through the live model."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.model

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "regression_questions.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[case["text"][:40] for case in CASES])
def test_tricky_question(classifier, case: dict) -> None:
    assert classifier.classify(case["text"]).topic == case["topic"], case["why"]
