"""The scenario table (tests/fixtures/risk_scenarios.yaml): situations and the findings a lawyer expects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.risk.engine import assess, validate
from bot.risk.report import as_json
from bot.risk.rules import RiskRules

TABLE = yaml.safe_load((Path(__file__).parents[1] / "fixtures" / "risk_scenarios.yaml").read_text(encoding="utf-8"))
SCENARIOS = TABLE["scenarios"]


def test_the_table_has_at_least_thirty_situations() -> None:
    assert len(SCENARIOS) >= 30


@pytest.mark.parametrize("case", SCENARIOS, ids=[case["name"] for case in SCENARIOS])
def test_scenario(rules: RiskRules, kb, case: dict) -> None:
    today = case.get("today", dt.date(2026, 12, 2))
    answers = validate(rules, {k: str(v) for k, v in case["answers"].items()})
    assessment = assess(rules, answers, today)
    assert sorted(f.id for f in assessment.findings) == sorted(case["findings"])
    if "deadlines" in case:
        got = {f"{d.finding}.{d.id}": d.date.isoformat() for d in assessment.deadlines}
        assert got == case["deadlines"]
    if "risk" in case:
        assert {j: level.value for j, level in assessment.levels.items()} == case["risk"]
    if "urgent" in case:
        assert assessment.urgent is case["urgent"]
    if "ignored" in case:
        assert as_json(kb, rules, assessment, answers)["ignored"] == sorted(case["ignored"])
