"""`python -m bot classify`: the contract used by evaluation tools outside the repo."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.settings import REPO_ROOT

pytestmark = pytest.mark.model


def test_classify_command_answers_every_line_in_order() -> None:
    lines = [
        {"id": 1, "text": "что грозит по статье 328 если не пойти в военкомат"},
        {"id": "b", "text": "как приготовить плов"},
        {"id": 3, "text": "кыргызстанда жалданмачылык үчүн канча жыл берет"},
    ]
    stdin = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + '\nnot json\n{"id": 5}\n'
    result = subprocess.run(
        [sys.executable, "-m", "bot", "classify"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, "b", 3, None, 5]
    assert out[0]["topic"] == "evasion_liability" and out[0]["language"] == "ru"
    assert out[1]["topic"] is None
    assert out[2]["topic"] == "mercenarism_kg" and out[2]["language"] == "ky"
    assert all(0.0 <= o["confidence"] <= 1.0 for o in out)
    assert "error" in out[3] and "error" in out[4]


def test_classifier_applies_the_live_fallback(classifier) -> None:
    result = classifier.classify("ккк ззз щщщ ффф")
    assert result.topic is None
