"""`python -m bot assess` (JSON in, JSON or the card out) and `python -m bot risk-diagram`.

The tests run the command line (bot.cli.main) in this process, where the knowledge base is read
once, not once per call (seconds each); the `slow` variant of the first runs `python -m bot assess`.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.risk.diagram import to_dot


@pytest.fixture
def assess(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """assess(args, stdin) -> CompletedProcess of `python -m bot assess *args`, run in this process."""
    from bot import cli, logs

    monkeypatch.setattr(logs, "setup_logging", lambda settings: None)  # keep pytest's own logging set-up

    def run(args, stdin=""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        status = cli.main(["assess", *args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["assess", *args], status, out, err)

    return run


@pytest.mark.parametrize(
    "fresh_process",
    [pytest.param(False, id="in-process"), pytest.param(True, id="python -m bot", marks=pytest.mark.slow)],
)
def test_findings_come_out_as_json_with_sources_and_dated_deadlines(assess, cli, summoned, fresh_process: bool) -> None:
    args, stdin = ["--today", "2026-12-02"], json.dumps(summoned)
    result = cli(["assess", *args], stdin=stdin) if fresh_process else assess(args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["complete"] is True and data["risk"] == {"ru": "high", "kg": "low"}
    electronic = next(f for f in data["findings"] if f["id"] == "ru_summons_electronic")
    assert {"id": "delivered", "date": "2026-11-27"} in electronic["deadlines"]
    assert all(s["url"].startswith("http") and s["checked_on"] for s in electronic["sources"])


def test_partial_answers_name_the_next_question(assess) -> None:
    data = json.loads(assess([], stdin='{"situation_now": "none", "home_country": "uz"}').stdout)
    assert data["complete"] is False and data["next_question"] == "russian_citizen"


@pytest.mark.parametrize(
    "stdin, message",
    [
        ("not json", "assess:"),
        ("[1, 2]", "expected a JSON object"),
        ('{"home_country": "kz"}', "home_country: expected one of"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(assess, stdin: str, message: str) -> None:
    result = assess([], stdin=stdin)
    assert result.returncode == 2 and message in result.stderr and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_the_card_can_be_printed_as_plain_text(assess, summoned) -> None:
    result = assess(["--today", "2026-12-02", "--card", "tg"], stdin=json.dumps(summoned))
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
