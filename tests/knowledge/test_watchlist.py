"""knowledge/watchlist.yaml: lint remembers what to look at again; answers say a change is discussed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.knowledge import render
from bot.knowledge.lint import lint
from bot.knowledge.loader import read_knowledge
from bot.language.codes import SCRIPTS
from bot.settings import REPO_ROOT

TODAY = dt.date(2026, 6, 1)
SAYS = {
    "ru": "Обсуждается новый закон об этом.",
    "ky": "Бул тууралуу жаңы мыйзам талкууланууда.",
    "uz": "Bu haqda yangi qonun muhokama qilinmoqda.",
    "tg": "Дар ин бора қонуни нав баррасӣ мешавад.",
}


def watch(kb: Path, **item) -> None:
    entry = {
        "id": "a_bill",
        "what": "Законопроект о чём-то важном (первое чтение)",
        "topics": ["alpha_topic"],
        "look_again_on": "2026-07-01",
        "source": "https://example.org/bill",
        "checked_on": "2026-05-01",
        **item,
    }
    (kb / "watchlist.yaml").write_text(yaml.safe_dump({"items": [entry]}, allow_unicode=True), encoding="utf-8")


def test_an_item_is_silent_until_its_date_then_a_warning(valid_kb: Path) -> None:
    watch(valid_kb)
    assert lint(valid_kb, today=TODAY, min_examples=2) == []
    [problem] = lint(valid_kb, today=dt.date(2026, 7, 2), min_examples=2)
    assert problem.severity == "warning" and problem.field == "items.a_bill.look_again_on"
    assert "has passed" in problem.message and "alpha_topic" in problem.message


@pytest.mark.parametrize(
    ("item", "field", "expected"),
    [
        ({"topics": ["no_such_topic"]}, "items.a_bill.topics", "unknown topic id 'no_such_topic'"),
        ({"says": {"ru": "Обсуждается."}}, "items.0.says", "missing for language(s): ky, uz, tg"),
        ({"source": "not a url"}, "items.0.source", "URL"),
    ],
)
def test_a_broken_item_is_an_error(valid_kb: Path, item: dict, field: str, expected: str) -> None:
    watch(valid_kb, **item)
    [problem] = [p for p in lint(valid_kb, today=TODAY, min_examples=2) if p.severity == "error"]
    assert problem.field == field and expected in problem.message


@pytest.mark.parametrize("script", SCRIPTS)
def test_answers_of_the_items_topics_say_a_change_is_discussed(valid_kb: Path, script: str) -> None:
    watch(valid_kb, says=SAYS)
    kb, _ = read_knowledge(valid_kb)
    notice = render.in_script(script, SAYS[script.split("_")[0]])
    assert notice in render.topic_answer(kb, "alpha_topic", script, TODAY).text
    assert notice in render.topic_details(kb, "alpha_topic", script, TODAY).text
    assert notice not in render.topic_answer(kb, "beta_topic", script, TODAY).text


def test_the_real_watch_list_names_real_topics_and_tells_users() -> None:
    kb, problems = read_knowledge(REPO_ROOT / "knowledge")
    assert problems == [] or all("watchlist" not in p.file for p in problems)
    assert kb.watchlist.items and all(item.says for item in kb.watchlist.items)
    assert all(topic in kb.topics for item in kb.watchlist.items for topic in item.topics)
