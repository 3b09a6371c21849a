"""The risk rules' editor in headless Chromium: a lawyer makes a deadline negative and meets kb lint's
error at that cell, fixes it and changes a finding's Russian title; the page shows the draft's
diagram (an SVG image drawn from the draft, not from the published file). The knowledge is a
temporary git repository (tests/desk/knowledge_editor/conftest.py). Takes docs/img/desk-knowledge-rules.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.desk.browser.conftest import log_in, screenshot
from tests.desk.browser.test_knowledge_review_in_chromium import lawyers_as_migrated  # noqa: F401 (a fixture)
from tests.desk.knowledge_editor.conftest import _real_knowledge_untouched, knowledge_repo  # noqa: F401 (fixtures)

TITLE = "findings.ru_detained.text.ru.title"
NEW_TITLE = "Вас задержали: что делать"
DAYS = "findings.ru_summons_electronic.deadlines.restrictions.days"
LINT = 60_000  # ms: a save runs kb lint with the check of every combination of answers (about 10 s, more on CI)


def cell(name: str) -> str:
    return f"[name='{name}']"


def test_a_lawyer_edits_the_risk_rules_and_sees_the_drafts_diagram(
    page,
    knowledge_repo,  # noqa: F811
    lawyers_as_migrated,  # noqa: F811
) -> None:
    log_in(page, "lawyer_a")
    page.goto("/knowledge/editor/risk-rules/?lang=tg")
    days = page.locator(cell(DAYS)).input_value()
    page.fill(cell(DAYS), "-3")
    page.click("form.editor button[type=submit]")
    problem = page.locator(f"td[data-field='{DAYS}'] .problem")
    expect(problem).to_be_visible(timeout=LINT)

    page.fill(cell(DAYS), days)
    page.fill(cell(TITLE), NEW_TITLE)
    page.click("form.editor button[type=submit]")
    expect(page.locator(".revision-number")).to_have_text("2", timeout=LINT)
    expect(page.locator(f"td[data-field='{DAYS}'] .problem")).to_have_count(0)
    expect(page.locator(cell(TITLE))).to_have_value(NEW_TITLE)

    diagram = page.locator("figure.rules-diagram img")
    expect(diagram).to_be_visible()
    page.wait_for_function("() => document.querySelector('figure.rules-diagram img').naturalWidth > 0")
    svg = page.request.get(diagram.get_attribute("src"))
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert NEW_TITLE in svg.text()
    page.locator("h1").scroll_into_view_if_needed()
    screenshot(page, "desk-knowledge-rules", full_page=False)  # the whole page is long: every question and finding


@pytest.fixture(autouse=True)
def _enough_time_for_lint(page) -> None:
    page.set_default_timeout(LINT)
