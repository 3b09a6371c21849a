"""`python -m bot assess` (JSON in, JSON or the card out) and `python -m bot risk-diagram`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.risk.diagram import to_dot

ANSWERS = {"situation_now": "none", "home_country": "kg", "russian_citizen": "citizen", "location": "russia",
           "sex": "male", "age_band": "age_31_65", "military_registration": "registered", "summons": "electronic",
           "summons_date": "2026-11-20", "appearance_date": "2026-12-20", "contract": "none",
           "occupied_work": "none", "family": "none"}


def test_findings_come_out_as_json_with_sources_and_dated_deadlines(cli) -> None:
    result = cli(["assess", "--today", "2026-12-02"], stdin=json.dumps(ANSWERS))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["complete"] is True and data["risk"] == {"ru": "high", "kg": "medium"}
    electronic = next(f for f in data["findings"] if f["id"] == "ru_summons_electronic")
    assert {"id": "delivered", "date": "2026-11-27"} in electronic["deadlines"]
    assert all(s["url"].startswith("http") and s["checked_on"] for s in electronic["sources"])


def test_partial_answers_name_the_next_question(cli) -> None:
    data = json.loads(cli(["assess"], stdin='{"situation_now": "none", "home_country": "uz"}').stdout)
    assert data["complete"] is False and data["next_question"] == "russian_citizen"


@pytest.mark.parametrize("stdin, message", [("not json", "assess:"), ("[1, 2]", "expected a JSON object"),
                                            ('{"home_country": "kz"}', "home_country: expected one of")])
def test_bad_input_is_one_line_and_exit_status_2(cli, stdin: str, message: str) -> None:
    result = cli(["assess"], stdin=stdin)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_the_card_can_be_printed_as_plain_text(cli) -> None:
    result = cli(["assess", "--today", "2026-12-02", "--card", "tg"], stdin=json.dumps(ANSWERS))
    assert result.returncode == 0 and "Русия:" in result.stdout and "27 Ноябр 2026" in result.stdout


def test_the_diagram_shows_every_question_and_finding(rules) -> None:
    dot = to_dot(rules)
    assert dot.startswith("digraph risk_rules {")
    for item in (*rules.questions, *rules.findings):
        assert (f"q_{item.id} [" in dot) or (f"f_{item.id} [" in dot)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed (.ci/run installs it)")
def test_risk_diagram_renders_svg_and_png(cli, tmp_path: Path) -> None:
    result = cli(["risk-diagram", "--out", str(tmp_path)])
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "risk-rules.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert (tmp_path / "risk-rules.png").read_bytes()[:4] == b"\x89PNG"
