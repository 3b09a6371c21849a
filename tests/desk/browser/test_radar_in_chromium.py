"""The radar in headless Chromium: a lawyer opens it, the charts are drawn (Chart.js, under the CSP),
a hidden cell reads "<5", and docs/img/desk-radar.png is taken for docs/desk.md."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from desk.radar.models import WeeklyCount
from tests.desk.browser.conftest import SCREENSHOTS, csp_violations, log_in

LAST = date(2026, 11, 23)  # fixed weeks (the page is asked for them): the test never depends on today
SCREENSHOT_CLIP = {"x": 0, "y": 0, "width": 1280, "height": 2300}  # the charts, trends and the table's start
WEEKS = [LAST - timedelta(weeks=n) for n in range(5, -1, -1)]
# Per week: (topic, script, outcome) → count. Tajik speakers meet "did you mean" and "no answer" far more.
PATTERN = {
    ("summons_received", "ru", "answered"): 40,
    ("summons_received", "ru", "clarified"): 4,
    ("summons_received", "tg", "answered"): 14,
    ("summons_received", "tg", "clarified"): 9,
    ("", "tg", "declined"): 11,
    ("", "ru", "declined"): 3,
    ("mercenarism_tj", "tg", "answered"): 6,
    ("mercenarism_tj", "tg", "declined"): 2,
    ("entry_ban_deportation", "uz", "answered"): 12,
    ("entry_ban_deportation", "uz_Cyrl", "clarified"): 5,
    ("military_registration", "ky", "answered"): 8,
    ("", "ky", "handed_over"): 1,
    ("", "tg", "risk_check_finished"): 6,
}


@pytest.fixture
def seeded(cast) -> None:
    # A transactional test flushed the migration's grant: give it again, as migration 0002 does.
    permission = Permission.objects.get(codename="view_weeklycount")
    for name in ("lawyer", "admin"):
        Group.objects.get_or_create(name=name)[0].permissions.add(permission)
    for n, week in enumerate(WEEKS):
        for (topic, script, outcome), count in PATTERN.items():
            WeeklyCount.objects.create(week=week, topic=topic, script=script, outcome=outcome, count=count + n % 3)
    # A new question rising in the last week.
    WeeklyCount.objects.create(week=WEEKS[-2], topic="police_pressure", script="tg", outcome="declined", count=2)
    WeeklyCount.objects.create(week=WEEKS[-1], topic="police_pressure", script="tg", outcome="declined", count=13)


def painted_pixels(page, canvas_id: str) -> int:
    return page.evaluate(
        """(id) => {
            const canvas = document.getElementById(id);
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
            return painted;
        }""",
        canvas_id,
    )


def test_a_lawyer_sees_where_the_bot_fails_tajik_speakers(page, seeded) -> None:
    violations = csp_violations(page)
    log_in(page, "lawyer_a")
    page.click("header.top nav a[href='/radar/']")
    page.fill("input[name=from]", "2026-W43")
    page.fill("input[name=to]", "2026-W48")
    page.click("form.radar-filters button[type=submit]")
    expect(page).to_have_url("/radar/?from=2026-W43&to=2026-W48&lang=&outcome=")

    tajik = page.locator("table.radar.languages tr[data-script=tg]")
    expect(tajik.locator("td.share")).to_have_text("54–57 %")  # 152–173 not answered, 132 answered
    expect(page.locator("table.radar.languages tr[data-script=ru] td.share")).to_have_text(
        "13–19 %"
    )  # 38–56 not answered, 246 answered
    expect(page.locator("table.radar.trends tr[data-topic=police_pressure] .badge.rising")).to_be_visible()
    expect(page.locator("table.radar.counts td.hidden").first).to_have_text("<5")
    for canvas in ("chart-languages", "chart-weeks"):
        expect(page.locator(f"#{canvas}")).to_be_visible()
        assert page.evaluate(f"Chart.getChart(document.getElementById('{canvas}')) !== undefined")
        assert painted_pixels(page, canvas) > 2000, canvas
    assert violations == []
    expect(page.locator("table.radar.trends .badge.rising")).to_have_count(1)  # the others grew a little, or not at all
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "desk-radar.png"), full_page=True, clip=SCREENSHOT_CLIP)
