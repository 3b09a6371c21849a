"""bot/knowledge/parity.py: a change to the Russian text makes every translation out of date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from bot.knowledge.lint import lint
from bot.knowledge.parity import confirm

TODAY = dt.date(2026, 6, 1)


def parity_problems(root: Path) -> list:
    return [
        str(p)
        for p in lint(root, today=TODAY, min_examples=2)
        if "fingerprint" in p.message or "older Russian text" in p.message
    ]


def test_the_fixture_is_in_parity(valid_kb: Path) -> None:
    assert parity_problems(valid_kb) == []


def test_editing_the_russian_text_puts_every_translation_out_of_date(valid_kb: Path) -> None:
    path = valid_kb / "topics" / "alpha_topic.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            data["text"]["ru"]["short"], data["text"]["ru"]["short"] + " Новое предложение."
        ),
        encoding="utf-8",
    )
    problems = parity_problems(valid_kb)
    assert len(problems) == 3 and all("alpha_topic.yaml" in p and "older Russian text" in p for p in problems)
    assert {p.split("text.")[1][:2] for p in problems} == {"ky", "uz", "tg"}

    assert confirm(path, ["ky"]) == ["ky"]
    assert len(parity_problems(valid_kb)) == 2
    assert confirm(path) == ["uz", "tg"]
    assert parity_problems(valid_kb) == [] and confirm(path) == []


def test_whitespace_changes_do_not_count(valid_kb: Path) -> None:
    path = valid_kb / "topics" / "alpha_topic.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    short = data["text"]["ru"]["short"]
    path.write_text(path.read_text(encoding="utf-8").replace(short, short.replace(" ", "  ", 1)), encoding="utf-8")
    assert parity_problems(valid_kb) == []


def without_fingerprints(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if "source_fingerprint" not in line), encoding="utf-8")


def test_a_translation_without_a_fingerprint_is_an_error(valid_kb: Path) -> None:
    without_fingerprints(valid_kb / "meta" / "greet.yaml")
    problems = parity_problems(valid_kb)
    assert len(problems) == 3 and all("greet.yaml" in p and "records no fingerprint" in p for p in problems)


def test_confirm_adds_only_the_fingerprint_lines(valid_kb: Path) -> None:
    path = valid_kb / "topics" / "beta_topic.yaml"
    complete = path.read_text(encoding="utf-8")
    without_fingerprints(path)
    assert confirm(path) == ["ky", "uz", "tg"]
    assert path.read_text(encoding="utf-8") == complete


def test_confirm_refuses_an_unknown_language(valid_kb: Path) -> None:
    import pytest

    with pytest.raises(ValueError):
        confirm(valid_kb / "topics" / "beta_topic.yaml", ["ru"])
