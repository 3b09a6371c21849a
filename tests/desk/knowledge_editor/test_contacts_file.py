"""desk/knowledge_editor/contacts_file.py: contacts.yaml as form cells, written back byte for byte, linted at each cell.

The knowledge folder is a temporary copy (conftest.py `knowledge_repo`).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from bot.settings import REPO_ROOT
from desk.knowledge_editor import contacts_file
from desk.knowledge_editor.files import FieldProblem

TODAY = dt.date(2026, 12, 6)  # all three contacts were verified 15 days before
REAL = (REPO_ROOT / "knowledge" / "contacts.yaml").read_text(encoding="utf-8")


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_the_real_file_read_and_written_back_unchanged_is_the_same_bytes() -> None:
    values = contacts_file.read(REAL)
    assert values["contacts.mfa_kg.kind"] == "website" and set(values["contacts.mfa_kg.last_verified_on"]) <= set(
        "0123456789-"
    )
    assert contacts_file.apply(REAL, values).encode("utf-8") == REAL.encode("utf-8")


def test_one_changed_value_changes_exactly_its_line() -> None:
    old = contacts_file.read(REAL)["contacts.mfa_uz.organisation.tg"]
    after = contacts_file.apply(REAL, {"contacts.mfa_uz.organisation.tg": old + " (ред.)"})
    assert changed_lines(REAL, after) == [(f'      tg: "{old}"', f'      tg: "{old} (ред.)"')]


def test_a_date_stays_a_date_and_a_form_posts_windows_line_ends_and_spaces_as_the_file_keeps_them() -> None:
    old = contacts_file.read(REAL)
    edited = contacts_file.parse(
        {"contacts.mfa_tj.last_verified_on": "2027-01-31 ", "contacts.mfa_tj.value": "mfa.tj/ru\r\n", "id": "x"}, REAL
    )
    assert edited == {"contacts.mfa_tj.last_verified_on": "2027-01-31", "contacts.mfa_tj.value": "mfa.tj/ru"}
    assert changed_lines(REAL, contacts_file.apply(REAL, edited)) == [
        (f'    value: "{old["contacts.mfa_tj.value"]}"', '    value: "mfa.tj/ru"'),
        (f"    last_verified_on: {old['contacts.mfa_tj.last_verified_on']}", "    last_verified_on: 2027-01-31"),
    ]


def test_a_name_the_file_does_not_have_is_refused() -> None:
    with pytest.raises(KeyError, match="contacts.nobody.value"):
        contacts_file.apply(REAL, {"contacts.nobody.value": "x"})


def test_lint_puts_a_schema_error_at_its_cell(knowledge_repo: Path) -> None:
    text = (knowledge_repo / "contacts.yaml").read_text(encoding="utf-8")
    assert contacts_file.lint(text, today=TODAY) == []
    problems = contacts_file.lint(contacts_file.apply(text, {"contacts.mfa_kg.source": "not a web address"}), TODAY)
    assert [(p.field, p.severity) for p in problems] == [("contacts.mfa_kg.source", "error")]


def test_lint_puts_a_contact_verified_too_long_ago_at_its_date(knowledge_repo: Path) -> None:
    text = (knowledge_repo / "contacts.yaml").read_text(encoding="utf-8")
    problems = contacts_file.lint(contacts_file.apply(text, {"contacts.mfa_uz.last_verified_on": "2026-05-01"}), TODAY)
    assert [(p.field, p.severity) for p in problems] == [("contacts.mfa_uz.last_verified_on", "warning")]
    assert "not shown to users" in problems[0].message


def test_the_form_posts_what_parse_and_apply_write_back_and_shows_each_problem_under_its_input() -> None:
    problem = FieldProblem("contacts.mfa_kg.source", "invalid or missing URL scheme", "error")
    items = contacts_file.form(REAL, {"contacts.mfa_kg.value": "<b>mfa</b>"}, [problem], "tg")
    page = render_to_string(
        "knowledge_editor/_contacts_form.html", {"items": items, "russian_name": "ru", "translation_name": "tg"}
    )
    posted = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="\w+" name="([^"]+)"[^>]*value="([^"]*)"', page)
    }
    posted |= dict(re.findall(r'<select name="([^"]+)"[^>]*>.*?<option value="(\w+)" selected>', page, re.S))
    assert "contacts.mfa_kg.organisation.tg" in posted and "contacts.mfa_kg.organisation.ky" not in posted
    assert "&lt;b&gt;mfa&lt;/b&gt;" in page and "<b>mfa</b>" not in page
    posted["contacts.mfa_kg.value"] = "mfa.gov.kg"
    assert contacts_file.apply(REAL, contacts_file.parse(posted, REAL)) == REAL
    cell = re.search(r'<td class="field has-problems" data-field="contacts.mfa_kg.source">.*?</td>', page, re.S)
    assert cell and 'class="problem error"' in cell.group(0) and "invalid or missing URL scheme" in cell.group(0)
