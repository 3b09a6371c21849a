"""Four-eyes editing in headless Chromium: lawyer A edits the Russian short answer of a topic, sees
kb lint's error at the field, fixes it and sends the draft; A gets no Approve button; lawyer B
approves and publishes; the topic file and a git commit changed. The knowledge is a temporary git
repository holding a copy of knowledge/ (never the real one). Takes docs/img/desk-knowledge-editor.png
and docs/img/desk-knowledge-review.png for docs/knowledge-base.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.desk.browser.conftest import browser_page, log_in, screenshot
from tests.desk.knowledge_editor.conftest import (  # noqa: F401 (fixtures)
    TOPIC,
    _real_knowledge_untouched,
    git,
    knowledge_repo,
)

CITING_SHORT = "Повестку вручают по ст. 31 закона. Сохраните её и спросите юриста."
NEW_SHORT = (
    "Повестка касается только граждан России. Без гражданства России вас не призовут. "
    "Сохраните повестку и спросите юриста или консульство."
)


@pytest.fixture
def lawyers_as_migrated(cast) -> None:
    """The lawyer group edits and reviews, as migration knowledge_editor/0002 made it: a transactional
    test's flush empties the tables, and the groups the cast makes again come back without permissions."""
    from django.contrib.auth.models import Group, Permission

    permissions = Permission.objects.filter(
        content_type__app_label="knowledge_editor", codename__in=("edit_topic", "review_draft")
    )
    Group.objects.get(name="lawyer").permissions.add(*permissions)
    for username, first, last in (("lawyer_a", "Айгуль", "Асанова"), ("lawyer_b", "Бахтиёр", "Каримов")):
        cast[username].first_name, cast[username].last_name = first, last
        cast[username].email = f"{username}@example.org"
        cast[username].save()


def edit_with_a_lint_error_then_send(page) -> str:
    """Lawyer A (logged in on `page`) edits the Russian short answer, meets kb lint's error at the field,
    fixes it and sends the draft; A gets no Approve button. The draft page's address."""
    page.click("header.top nav a[href='/knowledge/editor/']")
    page.click(f"a[href='/knowledge/editor/topics/{TOPIC}/']")
    page.fill("#id_ru-short", CITING_SHORT)
    page.click("form.editor button[type=submit]")
    expect(page.locator("td[data-field='ru-short'] .problem")).to_contain_text("ст. 3")
    expect(page.locator("td[data-field='ky-short'] .badge.stale")).to_be_visible()
    expect(page.locator("form.submit button")).to_be_disabled()
    page.locator("h1").scroll_into_view_if_needed()
    screenshot(page, "desk-knowledge-editor", full_page=False)  # the whole page holds every example question

    page.fill("#id_ru-short", NEW_SHORT)
    page.click("form.editor button[type=submit]")
    expect(page.locator("td[data-field='ru-short'] .problem")).to_have_count(0)
    expect(page.locator(".revision-number")).to_have_text("2")
    page.click("form.submit button")
    expect(page).to_have_url(re.compile(r"/knowledge/editor/drafts/\d+/$"))
    expect(page.locator("p.not-yours")).to_be_visible()
    expect(page.locator("button[value=approve]")).to_have_count(0)
    return page.url


def approve_and_publish(chromium_browser, live_server, draft_url: str, knowledge: Path) -> None:
    """Lawyer B, in a browser context of their own, approves the revision on screen and publishes it."""
    with browser_page(chromium_browser, live_server, "lawyer_b") as reviewer:
        reviewer.goto(draft_url)
        expect(reviewer.locator("form.review input[name=revision]")).to_have_value("2")
        expect(reviewer.locator(".diff del").first).to_contain_text("включая двойных граждан")
        screenshot(reviewer, "desk-knowledge-review")
        reviewer.click("button[value=approve]")
        reviewer.click("form.publish button")
        expect(reviewer.locator("ul.messages")).to_contain_text(
            git(knowledge.parent, "rev-parse", "--short=10", "HEAD")
        )


def test_one_lawyer_edits_another_approves_and_publishes(
    page,
    chromium_browser,
    live_server,
    knowledge_repo,  # noqa: F811 (the fixture imported above)
    lawyers_as_migrated,
) -> None:
    path = knowledge_repo / "topics" / f"{TOPIC}.yaml"
    before = path.read_text(encoding="utf-8")
    log_in(page, "lawyer_a")
    draft_url = edit_with_a_lint_error_then_send(page)
    approve_and_publish(chromium_browser, live_server, draft_url, knowledge_repo)

    after = path.read_text(encoding="utf-8")
    assert NEW_SHORT in after and NEW_SHORT not in before
    assert [line for line in after.splitlines() if line not in before.splitlines()] == [f'    short: "{NEW_SHORT}"']
    log = git(knowledge_repo.parent, "log", "-1", "--format=%an|%s|%b")
    assert log.startswith(f"Айгуль Асанова|knowledge: {TOPIC}: ru.short|")
    assert "Reviewed-by: Бахтиёр Каримов <lawyer_b@example.org>" in log
