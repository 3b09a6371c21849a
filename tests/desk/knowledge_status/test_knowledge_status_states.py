"""desk/knowledge_status/states.py and snapshot.py: each entry's state, computed from files for a given day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from bot.knowledge.parity import confirm_entry
from desk.knowledge_status import snapshot, states
from desk.knowledge_status.states import Kind, Translation
from tests.desk.knowledge_status.fixture_kb import TODAY


def rows_of(root: Path, today: dt.date = TODAY, drafts: dict[str, int] | None = None):
    found = snapshot.read(root, today)
    return states.rows(found.kb, found.rules, found.problems, today, drafts)


def by_id(root: Path, today: dt.date = TODAY) -> dict[str, states.Row]:
    return {row.id: row for row in rows_of(root, today)[0]}


def translations(row: states.Row) -> dict[str, str]:
    return {state.language: state.state.value for state in row.translations}


def test_a_translation_is_stale_once_the_russian_changed_and_unconfirmed_without_a_fingerprint(knowledge_root) -> None:
    rows = by_id(knowledge_root)
    assert translations(rows["beta"]) == {"ky": "confirmed", "uz": "unconfirmed", "tg": "stale"}
    assert translations(rows["omega"]) == {"ky": "confirmed", "uz": "confirmed", "tg": "confirmed"}
    assert rows["beta"].stale_translations and not rows["omega"].stale_translations


def test_the_risk_rules_are_one_row_counting_their_texts_not_confirmed(knowledge_root) -> None:
    rules = by_id(knowledge_root)["risk_rules"]
    assert rules.kind is Kind.risk_rules
    assert [(s.language, s.state, s.not_confirmed) for s in rules.translations] == [
        ("ky", Translation.stale, 1),
        ("uz", Translation.confirmed, 0),
        ("tg", Translation.confirmed, 0),
    ]
    assert [state.source.id for state in rules.sources] == ["law"]  # omega/law, which a finding cites


def test_a_language_with_no_text_is_missing() -> None:
    assert states.translation_state({}, "tg", "0123456789ab") is Translation.missing


def test_kb_confirm_makes_the_translations_confirmed(knowledge_root) -> None:
    confirm_entry(knowledge_root / "topics" / "beta.yaml")
    assert translations(by_id(knowledge_root)["beta"]) == {"ky": "confirmed", "uz": "confirmed", "tg": "confirmed"}


def test_review_by_past_and_due_within_a_month(knowledge_root) -> None:
    rows = by_id(knowledge_root)
    assert rows["alpha"].review_past and not rows["alpha"].review_soon
    assert rows["delta"].review_soon and not rows["delta"].review_past
    assert not rows["omega"].review_due and not rows["greet"].review_due  # a meta answer has no review_by
    assert by_id(knowledge_root, dt.date(2026, 11, 20))["delta"].review_soon  # 30 days before 2026-12-20
    assert not by_id(knowledge_root, dt.date(2026, 11, 19))["delta"].review_due  # 31 days before: not yet


def test_a_source_is_old_after_its_max_age(knowledge_root) -> None:
    rows = by_id(knowledge_root)
    assert [state.source.id for state in rows["gamma"].old_sources] == ["law"]
    assert rows["omega"].old_sources == ()
    checked = dt.date(2026, 11, 20)  # omega's source
    last_day = checked + dt.timedelta(days=states.SOURCE_MAX_AGE_DAYS)
    assert by_id(knowledge_root, last_day)["omega"].old_sources == ()
    assert len(by_id(knowledge_root, last_day + dt.timedelta(days=1))["omega"].old_sources) == 1


def test_contacts_an_entry_shows_are_due_when_past_or_within_a_month(knowledge_root) -> None:
    rows = by_id(knowledge_root)
    assert [(item.contact.id, item.due, item.past) for item in rows["delta"].contacts_due] == [
        ("hotline", dt.date(2026, 10, 28), True)
    ]
    assert rows["omega"].contacts_due == ()
    found = snapshot.read(knowledge_root, TODAY)
    assert [item.contact.id for item in states.every_contact_due(found.kb.contacts, TODAY)] == ["hotline"]
    # "site" was verified 2026-11-01: shown until 2027-04-30, so due (not past) from 2027-03-31
    later = states.every_contact_due(found.kb.contacts, dt.date(2027, 3, 31))
    assert [(item.contact.id, item.past) for item in later] == [("hotline", True), ("site", False)]
    assert [item.contact.id for item in states.every_contact_due(found.kb.contacts, dt.date(2027, 3, 30))] == [
        "hotline"
    ]


def test_rows_are_sorted_by_what_is_due_first(knowledge_root) -> None:
    rows, _ = rows_of(knowledge_root)
    # gamma's source was due 2025-10-28, delta's contact 2026-10-28, alpha's review 2026-11-30; beta's and the
    # rules' translations are due today; omega's source next May; the meta answer has no date at all
    assert [row.id for row in rows] == ["gamma", "delta", "alpha", "beta", "risk_rules", "omega", "greet"]
    assert [row.next_due for row in rows][:5] == [
        dt.date(2025, 10, 28),
        dt.date(2026, 10, 28),
        dt.date(2026, 11, 30),
        TODAY,
        TODAY,
    ]


def test_kb_lint_messages_go_to_their_row_and_the_rest_apart(knowledge_root) -> None:
    rows, rest = rows_of(knowledge_root)
    found = {row.id: row for row in rows}
    assert [(p.field, p.severity) for p in found["beta"].problems] == [("text.uz", "error"), ("text.tg", "error")]
    assert [(p.field, p.severity) for p in found["alpha"].problems] == [("review_by", "warning")]
    assert [p.field for p in found["risk_rules"].problems] == ["findings.kg_note.text.ky"]
    assert found["omega"].problems == ()
    assert [(p.file, p.field) for p in rest] == [("contacts.yaml", "contacts.hotline")]


def test_a_file_that_does_not_load_has_no_row_and_its_problem_is_shown(knowledge_root) -> None:
    path = knowledge_root / "topics" / "omega.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["reviewed_by"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rows, rest = rows_of(knowledge_root)
    assert "omega" not in {row.id for row in rows}
    assert any(p.file.endswith("topics/omega.yaml") and p.field == "reviewed_by" for p in rest)


def test_filters_keep_the_rows_in_that_state(knowledge_root) -> None:
    rows, _ = rows_of(knowledge_root)
    kept = {name: [row.id for row in rows if keep(row)] for name, keep in states.FILTERS.items()}
    assert kept == {
        "translations": ["beta", "risk_rules"],
        "review": ["delta", "alpha"],
        "sources": ["gamma"],
        "contacts": ["delta"],
    }


def test_open_drafts_are_counted_per_entry(knowledge_root) -> None:
    rows, _ = rows_of(knowledge_root, drafts={"beta": 2, "risk_rules": 1})
    assert {row.id: row.open_drafts for row in rows if row.open_drafts} == {"beta": 2, "risk_rules": 1}
