"""The knowledge page in headless Chromium: a lawyer opens it from the header, sees a copy of the real
knowledge base with four things to do (a source unread, a review past, a stale translation, a contact
due soon), most urgent first, filters it, follows a topic's link; a
screenshot docs/img/desk-knowledge-status.png is taken for docs/knowledge-base.md.

The page's date is the day the knowledge base was last reviewed (its latest `as_of`), and every
change below is made relative to it, so the test depends on neither the calendar nor the next review.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from playwright.sync_api import expect

from bot.settings import REPO_ROOT
from desk.knowledge_status import views
from tests.desk.browser.conftest import SCREENSHOTS, csp_violations, log_in

SCREENSHOT_CLIP = {"x": 0, "y": 0, "width": 1280, "height": 1250}  # the filters and the most urgent rows
STALE, REVIEW, OLD_SOURCE, CONTACT = (
    "evasion_liability",
    "military_registration",
    "leaving_russia",
    "hotlines_human_help",
)


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def day_of(root: Path) -> dt.date:
    """The day the knowledge base was last reviewed: its latest `as_of`."""
    return max(yaml.safe_load(path.read_text(encoding="utf-8"))["as_of"] for path in (root / "topics").glob("*.yaml"))


@pytest.fixture
def knowledge_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dt.date]:
    """The desk reads a copy of knowledge/ with four things to do; yields the page's date."""
    root = Path(shutil.copytree(REPO_ROOT / "knowledge", tmp_path / "knowledge"))
    topics = root / "topics"
    day = day_of(root)

    def days_ago(n: int) -> dt.date:
        return day - dt.timedelta(days=n)

    def russian_changed(data: dict) -> None:
        data["text"]["ru"]["short"] += " Сроки проверьте у юриста."

    def review_past(data: dict) -> None:
        data["as_of"], data["review_by"] = days_ago(60), days_ago(5)

    def source_old(data: dict) -> None:
        data["sources"][0]["checked_on"] = days_ago(400)

    def contact_due(data: dict) -> None:  # shown for 10 more days
        next(c for c in data["contacts"] if c["id"] == "mfa_kg")["last_verified_on"] = days_ago(170)

    _edit(topics / f"{STALE}.yaml", russian_changed)
    _edit(topics / f"{REVIEW}.yaml", review_past)
    _edit(topics / f"{OLD_SOURCE}.yaml", source_old)
    _edit(root / "contacts.yaml", contact_due)
    monkeypatch.setattr(views, "today", lambda: day)
    with override_settings(KENESH=dataclasses.replace(django_settings.KENESH, knowledge_dir=root)):
        yield day


@pytest.fixture
def lawyers_as_migrated(cast) -> None:
    """A transactional test flushed the grant of migration knowledge_status/0001: give it again."""
    permission = Permission.objects.get(codename="view_knowledge_status", content_type__app_label="knowledge_status")
    for name in ("lawyer", "translator", "admin"):
        Group.objects.get_or_create(name=name)[0].permissions.add(permission)


def test_a_lawyer_sees_what_needs_work_most_urgent_first(page, lawyers_as_migrated, knowledge_copy) -> None:
    violations = csp_violations(page)
    log_in(page, "lawyer_a")
    page.click("header.top nav a[href='/knowledge/status/']")
    expect(page.locator("h1")).to_have_text("База знаний: что требует работы")

    rows = page.locator("table.kb-status tbody tr[data-entry]")
    expect(rows.first).to_have_attribute("data-entry", OLD_SOURCE)  # a source unread for 400 days
    order = rows.evaluate_all("rows => rows.map(row => row.dataset.entry)")
    assert order.index(OLD_SOURCE) < order.index(REVIEW) < order.index(STALE) < order.index(CONTACT)
    stale = page.locator(f"tr[data-entry={STALE}]")
    for lang in ("ky", "uz", "tg"):
        expect(stale.locator(f"td.translation[data-lang={lang}]")).to_have_text("устарел")
    expect(page.locator(f"tr[data-entry={REVIEW}] td.review")).to_contain_text("просрочено")
    expect(page.locator(f"tr[data-entry={CONTACT}] td.contacts")).to_contain_text("mfa_kg")
    shown_until = (knowledge_copy + dt.timedelta(days=10)).isoformat()
    expect(page.locator("table.contacts tr[data-contact=mfa_kg].soon")).to_contain_text(shown_until)
    page.locator(f"tr[data-entry={OLD_SOURCE}] td.sources summary").click()
    expect(page.locator(f"tr[data-entry={OLD_SOURCE}] td.sources li").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "desk-knowledge-status.png"), clip=SCREENSHOT_CLIP, full_page=True)

    page.click("nav.kb-filters a[href='?show=translations']")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-entry", STALE)
    page.click("nav.kb-filters a[href='?show=review']")
    expect(page.locator(f"tr[data-entry={REVIEW}]")).to_be_visible()
    expect(page.locator(f"tr[data-entry={STALE}]")).to_have_count(0)

    page.click(f"tr[data-entry={REVIEW}] th a")
    expect(page).to_have_url(f"/lookup/topics/{REVIEW}/")
    assert violations == []
