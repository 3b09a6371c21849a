"""bot/knowledge/lint.py: the real knowledge base is clean; each kind of error is caught."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot.knowledge.lint import lint
from bot.settings import REPO_ROOT

TODAY = dt.date(2026, 6, 1)


def test_real_knowledge_base_has_no_errors() -> None:
    """Errors only: a review date or a contact's verification date that passes is a warning for the
    lawyers (`make kb-lint` lists them), and the calendar must never fail CI."""
    problems = lint(REPO_ROOT / "knowledge")
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_real_knowledge_base_had_no_warnings_when_last_reviewed() -> None:
    """On the day of the newest `as_of`, nothing in the knowledge base was due (a fixed date, so this cannot age)."""
    from bot.knowledge.loader import load_knowledge

    kb = load_knowledge(REPO_ROOT / "knowledge")
    reviewed = max(topic.as_of for topic in kb.topics.values())
    assert [str(p) for p in lint(REPO_ROOT / "knowledge", today=reviewed)] == []


def test_valid_fixture_is_clean(valid_kb: Path) -> None:
    assert lint(valid_kb, today=TODAY, min_examples=2) == []


def _edit(path: Path, change: Callable[[dict], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


BROKEN = {
    "a language is missing": (lambda d: d["text"].pop("tg"), "text", "missing for language(s): tg"),
    "a language text is empty": (lambda d: d["text"]["ky"].update(short=""), "text.ky.short", "at least"),
    "the short answer is too long": (lambda d: d["text"]["ru"].update(short="а" * 601), "text.ru.short", "at most 600"),
    "a source has no url": (lambda d: d["sources"][0].pop("url"), "sources.0", "official `url`"),
    "a source has no checked_on": (
        lambda d: d["sources"][0].pop("checked_on"),
        "sources.0.checked_on",
        "field required",
    ),
    "an unknown field": (lambda d: d.update(reviewd_by="x"), "reviewd_by", "extra fields not permitted"),
    "a related id does not exist": (
        lambda d: d.update(related=["no_such_topic"]),
        "related",
        "unknown topic id 'no_such_topic'",
    ),
    "review_by is in the past": (lambda d: d.update(review_by=dt.date(2026, 2, 1)), "review_by", "in the past"),
    "the id differs from the file name": (lambda d: d.update(id="gamma_topic"), "id", "differs from the file name"),
    "the examples are in the topic's file": (
        lambda d: d.update(examples={"ru": ["вопрос альфа три"]}),
        "examples",
        "extra fields not permitted",
    ),
}


@pytest.mark.parametrize("change, field, message", BROKEN.values(), ids=BROKEN.keys())
def test_each_error_is_caught_with_file_and_field(valid_kb: Path, change, field: str, message: str) -> None:
    _edit(valid_kb / "topics" / "alpha_topic.yaml", change)
    problems = [str(p) for p in lint(valid_kb, today=TODAY, min_examples=2)]
    assert any("alpha_topic.yaml" in p and field in p and message in p for p in problems), problems


BROKEN_EXAMPLES = {
    "an example repeats in one language": (
        lambda d: d["examples"]["ru"].append("вопрос альфа один"),
        "examples",
        "repeats",
    ),
    "an example is shared with another topic": (
        lambda d: d["examples"]["uz"].append("beta savol bir"),
        "examples.uz",
        "is also an example of 'alpha_topic' (examples/topics/alpha_topic.yaml)",
    ),
    "a language is missing": (lambda d: d["examples"].pop("tg"), "examples", "missing for language(s): tg"),
    "an empty question": (lambda d: d["examples"]["ky"].append(" "), "examples", "empty question"),
    "an unknown field": (lambda d: d.update(id="alpha_topic"), "id", "extra fields not permitted"),
}


@pytest.mark.parametrize("change, field, message", BROKEN_EXAMPLES.values(), ids=BROKEN_EXAMPLES.keys())
def test_each_error_in_the_examples_is_caught_in_their_file(valid_kb: Path, change, field: str, message: str) -> None:
    _edit(valid_kb / "examples" / "topics" / "alpha_topic.yaml", change)
    problems = [str(p) for p in lint(valid_kb, today=TODAY, min_examples=2)]
    assert any("examples/topics/alpha_topic.yaml" in p and field in p and message in p for p in problems), problems


def test_too_few_examples_is_an_error(valid_kb: Path) -> None:
    problems = [str(p) for p in lint(valid_kb, today=TODAY, min_examples=3)]
    assert any("examples/topics/alpha_topic.yaml: examples.ky" in p and "at least 3" in p for p in problems), problems


def test_an_entry_without_its_examples_file_is_an_error(valid_kb: Path) -> None:
    (valid_kb / "examples" / "meta" / "greet.yaml").unlink()
    problems = [str(p) for p in lint(valid_kb, today=TODAY, min_examples=2)]
    assert problems == [
        "error: knowledge/meta/greet.yaml: its example questions are missing: "
        "write them in knowledge/examples/meta/greet.yaml"
    ]


def test_an_examples_file_without_its_entry_is_an_error(valid_kb: Path) -> None:
    """A topic renamed or removed must not leave its questions training the model under an unknown intent."""
    (valid_kb / "topics" / "beta_topic.yaml").rename(valid_kb / "topics" / "gamma_topic.yaml")
    problems = [str(p) for p in lint(valid_kb, today=TODAY, min_examples=2)]
    assert "error: knowledge/topics/gamma_topic.yaml: its example questions are missing: " in "".join(problems)
    assert any(
        p.startswith("error: knowledge/examples/topics/beta_topic.yaml: ")
        and "no entry topics/beta_topic.yaml has these example questions" in p
        for p in problems
    ), problems


def test_unreadable_yaml_is_reported(valid_kb: Path) -> None:
    (valid_kb / "topics" / "alpha_topic.yaml").write_text("id: [unclosed", encoding="utf-8")
    problems = [str(p) for p in lint(valid_kb, today=TODAY, min_examples=2)]
    assert any("alpha_topic.yaml" in p and "cannot read YAML" in p for p in problems)


def test_a_past_review_date_is_a_warning_not_an_error(valid_kb: Path) -> None:
    _edit(valid_kb / "topics" / "alpha_topic.yaml", lambda d: d.update(review_by=dt.date(2026, 2, 1)))
    problems = [p for p in lint(valid_kb, today=TODAY, min_examples=2) if p.field == "review_by"]
    assert [p.severity for p in problems] == ["warning"]
