"""desk/knowledge_editor/rules_file.py: the risk rules' texts and deadlines as form cells, written back byte for
byte, linted at each cell (the exhaustive check included), drawn as a diagram from a draft.

The knowledge folder is a temporary copy (conftest.py `knowledge_repo`).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from bot.settings import REPO_ROOT
from desk.knowledge_editor import rules_file
from desk.knowledge_editor.files import FieldProblem

REAL = (REPO_ROOT / "knowledge" / "risk_rules.yaml").read_text(encoding="utf-8")
DETAINED = "findings.ru_detained.text"
ELECTRONIC = "findings.ru_summons_electronic"


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_the_real_file_read_and_written_back_unchanged_is_the_same_bytes() -> None:
    values = rules_file.read(REAL)
    assert f"{DETAINED}.ru.title" in values and f"{ELECTRONIC}.deadlines.delivered.days" in values
    assert not any(".ask_if" in name or ".when" in name for name in values)  # conditions are not cells
    assert rules_file.apply(REAL, values).encode("utf-8") == REAL.encode("utf-8")


def test_one_changed_title_changes_exactly_its_line_and_is_reported_as_a_russian_change() -> None:
    old = rules_file.read(REAL)[f"{DETAINED}.ru.title"]
    edited = {f"{DETAINED}.ru.title": "Вас задержали: что делать"}
    assert changed_lines(REAL, rules_file.apply(REAL, edited)) == [
        (f'        title: "{old}"', '        title: "Вас задержали: что делать"')
    ]
    assert rules_file.russian_changes(REAL, edited) == [f"{DETAINED}.ru.title"]


def test_a_translation_or_a_deadline_changed_is_no_russian_change() -> None:
    values = rules_file.read(REAL)
    edited = {
        f"{DETAINED}.ky.title": values[f"{DETAINED}.ky.title"] + "!",
        f"{ELECTRONIC}.deadlines.delivered.days": "8",
        f"{DETAINED}.ru.says": values[f"{DETAINED}.ru.says"],  # posted unchanged
    }
    assert rules_file.changed_fields(REAL, edited) == [f"{DETAINED}.ky.title", f"{ELECTRONIC}.deadlines.delivered.days"]
    assert rules_file.russian_changes(REAL, edited) == []


def test_a_deadline_step_and_aliases_keep_their_layout_when_changed() -> None:
    values = rules_file.read(REAL)
    steps = values[f"{DETAINED}.ru.steps"].split("\n")
    aliases = values["questions.situation_now.text.ru.aliases.none"]
    edited = {
        f"{ELECTRONIC}.deadlines.delivered.days": "8",
        f"{DETAINED}.ru.steps": "\n".join([*steps[:-1], "Запишите время."]),
        "questions.situation_now.text.ru.aliases.none": aliases + ", нету",
    }
    lines = changed_lines(REAL, rules_file.apply(REAL, edited))
    assert len(lines) == 3
    assert lines[0][1].endswith(", none: [" + ", ".join(f'"{word}"' for word in [*aliases.split(", "), "нету"]) + "]}")
    assert lines[1] == (f'          - "{steps[-1]}"', '          - "Запишите время."')
    assert lines[2][1] == lines[2][0].replace("days: 7,", "days: 8,") and "days: 7," in lines[2][0]


def test_a_step_added_is_a_new_line_in_the_list_and_a_step_emptied_is_removed() -> None:
    steps = rules_file.read(REAL)[f"{DETAINED}.ru.steps"].split("\n")
    longer = rules_file.apply(REAL, {f"{DETAINED}.ru.steps": "\n".join([*steps, "Позвоните на горячую линию."])})
    assert len(longer.splitlines()) == len(REAL.splitlines()) + 1
    assert f'          - "{steps[-1]}"\n          - "Позвоните на горячую линию."\n' in longer
    shorter = rules_file.apply(REAL, {f"{DETAINED}.ru.steps": "\n".join(["", *steps[1:]])})
    assert rules_file.read(shorter)[f"{DETAINED}.ru.steps"] == "\n".join(steps[1:])


def test_a_name_the_file_does_not_have_is_refused() -> None:
    with pytest.raises(KeyError, match="findings.ru_detained.when"):
        rules_file.apply(REAL, {"findings.ru_detained.when": "{}"})


def test_lint_puts_a_negative_deadline_and_an_emptied_text_at_their_cells(knowledge_repo: Path) -> None:
    text = (knowledge_repo / "risk_rules.yaml").read_text(encoding="utf-8")
    draft = rules_file.apply(text, {f"{ELECTRONIC}.deadlines.restrictions.days": "-3", f"{DETAINED}.tg.says": ""})
    problems = [p for p in rules_file.lint(draft) if p.blocks]
    assert {p.field for p in problems} == {f"{ELECTRONIC}.deadlines.restrictions.days", f"{DETAINED}.tg.says"}


def test_lint_runs_the_exhaustive_check_and_marks_translations_of_a_changed_russian_text_stale(
    knowledge_repo: Path,
) -> None:
    text = (knowledge_repo / "risk_rules.yaml").read_text(encoding="utf-8")
    problems = rules_file.lint(rules_file.apply(text, {f"{DETAINED}.ru.title": "Вас задержали: что делать"}))
    assert not [p for p in problems if p.blocks]
    stale = {p.field for p in problems if p.stale}
    assert stale == {f"findings.ru_detained.text.{lang}" for lang in ("ky", "uz", "tg")}


def test_lint_places_an_unreachable_finding_at_the_finding(knowledge_repo: Path) -> None:
    text = (knowledge_repo / "risk_rules.yaml").read_text(encoding="utf-8")
    # the finding of the urgent case now asks for an answer no interview gives together with it
    draft = text.replace(
        "    when: {situation_now: [detained]}\n",
        "    when: {situation_now: [detained], location: [russia]}\n",
        1,
    )
    assert draft != text
    problems = [p for p in rules_file.lint(draft) if p.blocks]
    assert ("findings.ru_detained", "no combination of answers leads to it") in {(p.field, p.message) for p in problems}


def test_the_diagram_is_drawn_from_the_draft_text() -> None:
    draft = rules_file.apply(REAL, {f"{DETAINED}.ru.title": "Задержание: права"})
    svg = rules_file.diagram_svg(draft).decode("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "Задержание: права" in svg and "Вас задержали: ваши права" not in svg
    with pytest.raises(ValueError, match="not valid rules"):
        rules_file.diagram_svg(rules_file.apply(REAL, {f"{DETAINED}.ru.title": ""}))


def test_the_form_posts_what_parse_and_apply_write_back_and_shows_each_problem_under_its_input() -> None:
    problem = FieldProblem(f"{ELECTRONIC}.deadlines.restrictions.days", "ensure this value is greater than 0", "error")
    questions, findings = rules_file.form(REAL, {f"{DETAINED}.ru.title": "<i>x</i>"}, [problem], "uz")
    page = render_to_string(
        "knowledge_editor/_rules_form.html",
        {"questions": questions, "findings": findings, "russian_name": "ru", "translation_name": "uz"},
    )
    posted = {name: value for name, value in re.findall(r'<input type="\w+" name="([^"]+)"[^>]*value="([^"]*)"', page)}
    posted |= dict(re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', page))
    posted = {name: html.unescape(value) for name, value in posted.items()}
    assert {name.split(".text.")[1][:2] for name in posted if ".text." in name} == {"ru", "uz"}
    assert "&lt;i&gt;x&lt;/i&gt;" in page and "<i>x</i>" not in page
    assert "when: {situation_now: [detained]}" in page  # a condition is shown, not posted
    posted[f"{DETAINED}.ru.title"] = rules_file.read(REAL)[f"{DETAINED}.ru.title"]
    assert rules_file.apply(REAL, rules_file.parse(posted, REAL)) == REAL
    cell = re.search(
        rf'<td class="field has-problems" data-field="{ELECTRONIC}.deadlines.restrictions.days">.*?</td>', page, re.S
    )
    assert cell and "ensure this value is greater than 0" in cell.group(0)
