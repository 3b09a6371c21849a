"""A topic's history page (each version with its author, reviewer and per-field diff) and rollback
(a new draft from an old version, reviewed like any other).

Every test works on a temporary git repository holding a copy of knowledge/ (conftest.py); versions
are published through the desk's services, or committed by hand as a developer would.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from bot.language.codes import NATIVE_NAMES
from desk.knowledge_editor import files, history, services
from desk.knowledge_editor.models import Draft, KnowledgeEvent
from desk.knowledge_editor.views import FIELD_LABELS
from tests.desk.knowledge_editor.conftest import TOPIC, git
from tests.desk.knowledge_editor.test_workflow import login, made_draft

pytestmark = pytest.mark.django_db
HISTORY = reverse("knowledge-history", args=[TOPIC])
ROLLBACK = reverse("knowledge-rollback", args=[TOPIC])
TYPED_HTML = "<img src=x onerror=alert(1)>"


def published(cast, changes: files.Texts) -> str:
    """lawyer_a's draft with `changes`, approved and published by lawyer_b through the services; the commit id."""
    author, reviewer = cast["lawyer_a"], cast["lawyer_b"]
    author.first_name, author.last_name = "Айгуль", "Асанова"
    author.save()
    reviewer.first_name, reviewer.last_name, reviewer.email = "Бахтиёр", "Каримов", "bakhtiyor@example.org"
    reviewer.save()
    revision = services.save(author, TOPIC, changes, 0)
    assert services.submit(author, revision.draft) == []
    services.review(reviewer, revision.draft, revision.number, "approve")
    return services.publish(reviewer, revision.draft)


def texts_now(knowledge_repo: Path) -> files.Texts:
    return files.read_texts((knowledge_repo / "topics" / f"{TOPIC}.yaml").read_text(encoding="utf-8"))


def edited(knowledge_repo: Path) -> files.Texts:
    """Two fields changed: a word replaced in the Russian short answer, HTML typed into the Kyrgyz details."""
    texts = texts_now(knowledge_repo)
    return {
        "ru": {"short": texts["ru"]["short"].replace("спросите юриста", "спросите адвоката")},
        "ky": {"details": f"{texts['ky']['details']} {TYPED_HTML}"},
    }


def sections(page: str) -> dict[str, str]:
    """{commit id: its section of the history page}, newest first."""
    found = re.findall(r'<section class="version" data-commit="([0-9a-f]{40})">(.*?)</section>', page, re.S)
    return dict(found)


def diffs(section: str) -> dict[str, str]:
    """{field label: its word diff}."""
    return dict(re.findall(r'<h3>(.*?)</h3>\s*<div class="diff">(.*?)</div>', section, re.S))


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def in_russian(message: str) -> str:
    """A desk message as the pages (Russian by default) say it."""
    with translation.override("ru"):
        return str(translation.gettext(message))


# ---- the page ---------------------------------------------------------------------------------


def test_the_history_shows_each_version_with_its_author_reviewer_and_the_changed_words(
    cast, client, knowledge_repo
) -> None:
    first = git(knowledge_repo, "rev-parse", "HEAD")
    commit = published(cast, edited(knowledge_repo))
    response = login(client, cast["translator"]).get(HISTORY)
    assert response.status_code == 200
    page = response.content.decode()
    assert list(sections(page)) == [commit, first]
    newest = sections(page)[commit]
    assert '<span class="author">Айгуль Асанова</span>' in newest
    assert '<span class="reviewer">Бахтиёр Каримов</span>' in newest  # from the commit's Reviewed-by trailer
    draft = Draft.objects.get()
    assert f'href="{reverse("knowledge-draft", args=[draft.pk])}"' in newest  # the desk's audit record
    with translation.override(response.headers["Content-Language"]):
        russian_short = f"{NATIVE_NAMES['ru']}: {FIELD_LABELS['short']}"
        kyrgyz_details = f"{NATIVE_NAMES['ky']}: {FIELD_LABELS['details']}"
    changed = diffs(newest)
    assert set(changed) == {russian_short, kyrgyz_details}
    assert re.findall(r"<del>(.*?)</del><ins>(.*?)</ins>", changed[russian_short]) == [("юриста", "адвоката")]
    assert re.findall(r"<ins>(.*?)</ins>", changed[kyrgyz_details]) == [html.escape(f" {TYPED_HTML}", quote=False)]
    assert TYPED_HTML not in page and "<img" not in page
    assert 'name="commit"' not in page  # a translator does not roll back
    assert "diff" not in sections(page)[first]  # the first version has nothing before it


def test_a_hand_made_commit_shows_its_changed_facts_and_no_reviewer(cast, client, knowledge_repo) -> None:
    path = knowledge_repo / "topics" / f"{TOPIC}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("as_of: 2026-12-06", "as_of: 2026-12-20", 1), encoding="utf-8")
    identity = ["-c", "user.name=Developer", "-c", "user.email=dev@example.invalid"]
    git(knowledge_repo, *identity, "commit", "--quiet", "-am", "as_of moved by hand")
    assert "as_of: 2026-12-20" in path.read_text(encoding="utf-8")  # the copy had the date this test changes
    newest = next(iter(sections(login(client, cast["lawyer_a"]).get(HISTORY).content.decode()).values()))
    assert "<li><code>as_of</code>: <del>2026-12-06</del> → <ins>2026-12-20</ins></li>" in newest
    assert newest.count("<li>") == 1 and not diffs(newest)
    assert '<span class="author">Developer</span>' in newest
    assert 'class="reviewer"' not in newest and 'class="published-draft"' not in newest


def test_a_change_to_a_source_shows_at_the_source_and_field(knowledge_repo) -> None:
    text = (knowledge_repo / "topics" / f"{TOPIC}.yaml").read_text(encoding="utf-8")
    changed = text.replace("checked_on: 2026-11-21", "checked_on: 2026-12-01", 1)
    assert changed != text
    assert [vars(change) for change in history.fact_changes(text, changed)] == [
        {"field": "sources.law_53fz_art1.checked_on", "old": "2026-11-21", "new": "2026-12-01"}
    ]


def test_older_versions_are_on_further_pages(cast, client, knowledge_repo, monkeypatch) -> None:
    monkeypatch.setattr(history, "PAGE", 2)
    path = knowledge_repo / "topics" / f"{TOPIC}.yaml"
    for day in ("10", "11", "12"):
        text = re.sub(r"^as_of: .*$", f"as_of: 2026-12-{day}", path.read_text(encoding="utf-8"), count=1, flags=re.M)
        path.write_text(text, encoding="utf-8")
        git(knowledge_repo, "-c", "user.name=Dev", "-c", "user.email=d@example.invalid", "commit", "-qam", day)
    every = git(knowledge_repo, "log", "--format=%H", "--", f"topics/{TOPIC}.yaml").split()
    login(client, cast["lawyer_a"])
    page = client.get(HISTORY).content.decode()
    assert list(sections(page)) == every[:2] and 'href="?skip=2"' in page
    assert re.findall(r'name="commit" value="([0-9a-f]{40})"', page) == every[1:2]  # not on the published one
    page = client.get(f"{HISTORY}?skip=2").content.decode()
    assert list(sections(page)) == every[2:4] and "?skip=4" not in page
    assert re.findall(r'name="commit" value="([0-9a-f]{40})"', page) == every[2:4]


# ---- rollback ---------------------------------------------------------------------------------


def test_rollback_starts_a_draft_with_the_old_texts_that_is_reviewed_like_any_other(
    cast, client, knowledge_repo
) -> None:
    first = git(knowledge_repo, "rev-parse", "HEAD")
    old = texts_now(knowledge_repo)
    published(cast, edited(knowledge_repo))
    page = login(client, cast["lawyer_a"]).get(HISTORY).content.decode()
    assert re.findall(r'name="commit" value="([0-9a-f]{40})"', page) == [first]
    response = client.post(ROLLBACK, {"commit": first})
    assert response.status_code == 302 and response.url == reverse("knowledge-edit", args=[TOPIC])
    draft = Draft.objects.get(status=Draft.Status.DRAFT)
    assert draft.latest().texts == old and draft.latest().author == cast["lawyer_a"]
    event = KnowledgeEvent.objects.get(action="knowledge.draft.rollback")
    assert (event.actor, event.draft, event.data["commit"]) == (cast["lawyer_a"], draft, first)
    assert sorted(event.data["fields"]) == ["ky.details", "ru.short"]
    assert services.submit(cast["lawyer_a"], draft) == []
    assert not services.can_approve(cast["lawyer_a"], draft)  # four eyes, as for any draft
    services.review(cast["lawyer_b"], draft, 1, "approve")
    services.publish(cast["lawyer_b"], draft)
    assert texts_now(knowledge_repo) == old
    assert git(knowledge_repo, "rev-list", "--count", "HEAD") == "3"


def test_rollback_is_refused_while_the_topic_has_an_open_draft(cast, client, knowledge_repo) -> None:
    first = git(knowledge_repo, "rev-parse", "HEAD")
    published(cast, edited(knowledge_repo))
    open_draft = made_draft(cast["lawyer_b"], knowledge_repo)
    login(client, cast["lawyer_a"])
    assert 'name="commit"' not in client.get(HISTORY).content.decode()  # no button: a note about the open draft
    response = client.post(ROLLBACK, {"commit": first})
    assert said(response) == [in_russian("This topic already has an open draft. Finish it or withdraw it first.")]
    assert list(Draft.objects.filter(status__in=Draft.OPEN)) == [open_draft]
    assert open_draft.revisions.count() == 1
    assert not KnowledgeEvent.objects.filter(action="knowledge.draft.rollback").exists()


def test_rollback_to_the_published_version_or_to_a_commit_not_in_the_history_is_refused(
    cast, client, knowledge_repo
) -> None:
    commit = published(cast, edited(knowledge_repo))
    login(client, cast["lawyer_a"])
    for stranger in (commit, "0" * 40, "HEAD~1", f"{commit}:../contacts.yaml"):
        client.post(ROLLBACK, {"commit": stranger})
    assert not Draft.objects.filter(status__in=Draft.OPEN).exists()


@pytest.mark.parametrize("who", ["translator", "staff"])
def test_only_lawyers_roll_back(cast, client, knowledge_repo, who) -> None:
    first = git(knowledge_repo, "rev-parse", "HEAD")
    published(cast, edited(knowledge_repo))
    login(client, cast[who])
    assert client.post(ROLLBACK, {"commit": first}).status_code == 403
    assert not Draft.objects.filter(status__in=Draft.OPEN).exists()


@pytest.mark.parametrize("who", ["staff", "outsider"])
def test_only_lawyers_and_translators_read_the_history(cast, client, knowledge_repo, who) -> None:
    assert login(client, cast[who]).get(HISTORY).status_code == 403


def test_a_rollback_without_the_csrf_token_is_refused(cast, csrf_client, knowledge_repo) -> None:
    first = git(knowledge_repo, "rev-parse", "HEAD")
    published(cast, edited(knowledge_repo))
    login(csrf_client, cast["lawyer_a"])
    assert csrf_client.get(HISTORY).status_code == 200
    assert csrf_client.post(ROLLBACK, {"commit": first}).status_code == 403
    assert not Draft.objects.filter(status__in=Draft.OPEN).exists()


def test_the_editor_and_the_draft_page_link_to_the_history(cast, client, knowledge_repo) -> None:
    draft = made_draft(cast["lawyer_b"], knowledge_repo)
    login(client, cast["lawyer_a"])
    assert f'href="{HISTORY}"' in client.get(reverse("knowledge-edit", args=[TOPIC])).content.decode()
    assert f'href="{HISTORY}"' in client.get(reverse("knowledge-draft", args=[draft.pk])).content.decode()
