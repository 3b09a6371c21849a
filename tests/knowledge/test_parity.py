"""bot/knowledge/parity.py: a change to the Russian text makes every translation out of date; confirming
records the new fingerprint and changes nothing else in the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.knowledge.lint import lint
from bot.knowledge.parity import confirm_entry as confirm
from bot.knowledge.parity import fingerprint
from bot.knowledge.schema import TopicText
from bot.settings import REPO_ROOT

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
    with pytest.raises(ValueError):
        confirm(valid_kb / "topics" / "beta_topic.yaml", ["ru"])


def changed_lines(before: str, after: str) -> list[tuple[int, str, str]]:
    """(line number, old line, new line) for every line that differs; the files must have as many lines."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new)
    return [(number, a, b) for number, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]


def test_confirming_one_language_of_a_real_topic_changes_only_its_fingerprint_line(valid_kb: Path) -> None:
    path = valid_kb / "topics" / "evasion_liability.yaml"
    original = (REPO_ROOT / "knowledge" / "topics" / "evasion_liability.yaml").read_text(encoding="utf-8")
    russian = yaml.safe_load(original)["text"]["ru"]
    longer = russian["short"] + " Новое предложение."
    edited = original.replace("review_by:", "# a lawyer's comment stays\nreview_by:", 1).replace(
        russian["short"], longer, 1
    )
    path.write_text(edited, encoding="utf-8")

    assert confirm(path, ["tg"]) == ["tg"]

    [(number, old_line, new_line)] = changed_lines(edited, path.read_text(encoding="utf-8"))
    assert old_line.startswith("    source_fingerprint: ")
    assert new_line == f"    source_fingerprint: {fingerprint(TopicText(**{**russian, 'short': longer}))}\n"
    assert number > edited.splitlines().index("  tg:")  # tg's line, not ky's or uz's


def test_confirm_writes_into_a_language_written_on_one_line(valid_kb: Path) -> None:
    """Lawyers' files need not be block style: a flow mapping gets its fingerprint in place."""
    path = valid_kb / "meta" / "greet.yaml"
    block = '  ky:\n    title: "Салам"\n    source_fingerprint: f8f493e8f3b0\n    short: "Саламатсызбы!"\n'
    flow = path.read_text(encoding="utf-8").replace(block, '  ky: {title: "Салам", short: "Саламатсызбы!"}\n')
    path.write_text(flow, encoding="utf-8")
    assert parity_problems(valid_kb) != []

    assert confirm(path) == ["ky"]

    [(_, _, new_line)] = changed_lines(flow, path.read_text(encoding="utf-8"))
    assert new_line == '  ky: {title: "Салам", source_fingerprint: f8f493e8f3b0, short: "Саламатсызбы!"}\n'
    assert parity_problems(valid_kb) == []


def test_confirm_refuses_a_file_it_cannot_write_back_unchanged(valid_kb: Path) -> None:
    """Lists indented two ways in one file: any rewrite would move lines that did not change."""
    path = valid_kb / "topics" / "alpha_topic.yaml"
    mixed = path.read_text(encoding="utf-8").replace("    source_fingerprint: eca8a1f95ab4\n", "", 1)
    mixed += "extra:\n- x\n"
    path.write_text(mixed, encoding="utf-8")
    with pytest.raises(ValueError, match="cannot rewrite it without changing other lines"):
        confirm(path)
    assert path.read_text(encoding="utf-8") == mixed


def test_replacing_texts_changes_only_their_lines_and_keeps_comments_and_styles() -> None:
    from bot.knowledge.parity import replace_texts

    text = (
        "id: alpha_topic\n"
        "# lawyers' note: keep this comment\n"
        "text:\n"
        "  ru:\n"
        '    title: "Заголовок"\n'
        '    short: "Старый ответ."\n'
        "    details: |\n"
        "      Первая строка.\n"
        "      Вторая строка.\n"
        "  ky:\n"
        '    title: "Аталышы"\n'
    )
    new = replace_texts("topics/alpha_topic.yaml", text, {"ru": {"short": "Новый ответ.", "details": "Одна строка."}})
    assert new == text.replace("Старый ответ.", "Новый ответ.").replace(
        "      Первая строка.\n      Вторая строка.\n", "      Одна строка.\n"
    )
