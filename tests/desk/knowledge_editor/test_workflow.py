"""Editing a topic's texts, four-eyes review and publishing as a git commit, through the desk's pages.

Every test works on a temporary git repository holding a copy of knowledge/ (conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from desk.knowledge_editor import files, services
from desk.knowledge_editor.models import Draft, DraftRevision, KnowledgeEvent, Review
from tests.desk.knowledge_editor.conftest import TOPIC, git

pytestmark = pytest.mark.django_db
# Plain enough for `kb lint` (short sentences, no article numbers), and not what the file says.
NEW_SHORT = (
    "Повестка касается только граждан России. Без гражданства России вас не призовут. "
    "Сохраните повестку и спросите юриста или консульство."
)
CITING_SHORT = "Повестку вручают по ст. 31 закона. Сохраните её и спросите юриста."  # lint: no article numbers here
EDIT = reverse("knowledge-edit", args=[TOPIC])
SUBMIT = reverse("knowledge-submit", args=[TOPIC])


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def save(client: Client, short: str, revision: int = 0, lang: str = "ky", status: int = 302):
    page = client.get(f"{EDIT}?lang={lang}").content.decode()
    fields = dict(re.findall(r'<textarea name="([a-z]{2}-[a-z]+)"[^>]*>([^<]*)</textarea>', page))
    assert set(fields) == {
        f"{language}-{field}" for language in ("ru", lang) for field in ("title", "short", "details")
    }
    response = client.post(EDIT, {**_unescaped(fields), "ru-short": short, "revision": revision, "lang": lang})
    assert response.status_code == status
    return response


def _unescaped(fields: dict[str, str]) -> dict[str, str]:
    import html

    return {name: html.unescape(value) for name, value in fields.items()}


def sent_draft(client: Client, short: str = NEW_SHORT) -> Draft:
    save(client, short)
    client.post(SUBMIT)
    draft = Draft.objects.get(topic_id=TOPIC)
    assert draft.status == Draft.Status.IN_REVIEW
    return draft


def made_draft(author, knowledge_repo: Path) -> Draft:
    """A draft under review, made straight in the database (for tests about who may touch it, not about lint)."""
    path = knowledge_repo / "topics" / f"{TOPIC}.yaml"
    texts = files.read_texts(path.read_text(encoding="utf-8"))
    texts["ru"]["short"] = NEW_SHORT
    draft = Draft.objects.create(
        topic_id=TOPIC, base_blob=files.blob_id(path.read_bytes()), author=author, status=Draft.Status.IN_REVIEW
    )
    DraftRevision.objects.create(draft=draft, number=1, texts=texts, author=author)
    return draft


def approve(client: Client, draft: Draft, revision: int = 1):
    return client.post(reverse("knowledge-review", args=[draft.pk]), {"revision": revision, "decision": "approve"})


def field_cell(page: str, name: str) -> str:
    """The editor's cell of one field (its textarea, badges and problems)."""
    return re.search(rf'<td class="field[^"]*" data-field="{name}">(.*?)</td>', page, re.S).group(1)


def test_saving_makes_a_revision_and_marks_the_translations_of_the_changed_field_stale(
    cast, client, knowledge_repo
) -> None:
    login(client, cast["lawyer_a"])
    save(client, NEW_SHORT)
    revision = DraftRevision.objects.get()
    assert (revision.number, revision.author, revision.texts["ru"]["short"]) == (1, cast["lawyer_a"], NEW_SHORT)
    page = client.get(f"{EDIT}?lang=tg").content.decode()
    assert "badge stale" in field_cell(page, "tg-short")
    assert "badge stale" not in field_cell(page, "tg-title")  # the Russian title did not change
    assert "ky, uz, tg" in page  # the translations a translator must confirm
    assert list(KnowledgeEvent.objects.values_list("action", "data")) == [
        ("knowledge.draft.save", {"revision": 1, "fields": ["ru.short"]})
    ]
    assert (knowledge_repo / "topics" / f"{TOPIC}.yaml").read_text(encoding="utf-8").count(NEW_SHORT) == 0


def test_a_lint_error_shows_at_its_field_and_the_draft_cannot_be_sent(cast, client, knowledge_repo) -> None:
    login(client, cast["lawyer_a"])
    save(client, CITING_SHORT)
    page = client.get(EDIT).content.decode()
    assert "cites &#x27;ст. 3" in field_cell(page, "ru-short")
    assert "problem" not in field_cell(page, "ru-details")
    assert re.search(r'<button type="submit" disabled>', page)
    response = client.post(SUBMIT)  # the disabled button is no guard: the server refuses too
    assert response.status_code == 302
    assert Draft.objects.get().status == Draft.Status.DRAFT
    assert not KnowledgeEvent.objects.filter(action="knowledge.draft.submit").exists()
    save(client, NEW_SHORT, revision=1)
    client.post(SUBMIT)
    assert Draft.objects.get().status == Draft.Status.IN_REVIEW


def test_the_author_sees_no_approve_button_and_their_approval_is_refused(cast, client, knowledge_repo) -> None:
    login(client, cast["lawyer_a"])
    draft = sent_draft(client)
    page = client.get(reverse("knowledge-draft", args=[draft.pk])).content.decode()
    assert 'value="approve"' not in page and 'value="return"' not in page
    assert approve(client, draft).status_code == 403
    assert not Review.objects.exists()
    assert Draft.objects.get().status == Draft.Status.IN_REVIEW


def test_a_lawyer_who_saved_any_revision_cannot_approve(cast, client, knowledge_repo) -> None:
    login(client, cast["lawyer_a"])
    save(client, CITING_SHORT)
    login(client, cast["lawyer_b"])
    save(client, NEW_SHORT, revision=1)  # lawyer_b fixes lawyer_a's draft: now a co-author
    client.post(SUBMIT)
    draft = Draft.objects.get()
    assert not services.can_approve(cast["lawyer_b"], draft)
    assert not services.can_approve(cast["lawyer_a"], draft)
    assert approve(client, draft, revision=2).status_code == 403


def test_a_second_lawyer_approves_the_revision_on_screen(cast, client, knowledge_repo) -> None:
    draft = sent_draft(login(client, cast["lawyer_a"]))
    login(client, cast["lawyer_b"])
    page = client.get(reverse("knowledge-draft", args=[draft.pk])).content.decode()
    assert 'value="approve"' in page
    assert '<input type="hidden" name="revision" value="1">' in page
    assert "<del>, включая двойных граждан</del>" in page  # the word diff of the Russian short answer
    assert approve(client, draft).status_code == 302
    review = Review.objects.get()
    assert (review.reviewer, review.revision_number, review.decision) == (cast["lawyer_b"], 1, "approve")
    assert KnowledgeEvent.objects.filter(
        action="knowledge.draft.approve", review=review, actor=cast["lawyer_b"]
    ).exists()


def test_an_approval_of_a_revision_that_is_no_longer_the_latest_is_refused(cast, knowledge_repo) -> None:
    author, reviewer = login(Client(), cast["lawyer_a"]), login(Client(), cast["lawyer_b"])
    draft = sent_draft(author)
    reviewer.get(reverse("knowledge-draft", args=[draft.pk]))  # the reviewer reads revision 1 ...
    save(author, NEW_SHORT + " Это бесплатно.", revision=1)  # ... the author saves revision 2 and sends it again
    author.post(SUBMIT)
    response = approve(reviewer, draft, revision=1)
    assert response.status_code == 302  # back to the page, which now shows revision 2
    assert not Review.objects.exists()
    page = reviewer.get(response.url).content.decode()
    assert "прочли версию 1: сначала прочтите версию 2" in page  # the desk speaks Russian by default
    assert '<input type="hidden" name="revision" value="2">' in page


def test_a_return_needs_a_comment_and_sends_the_draft_back(cast, client, knowledge_repo) -> None:
    draft = sent_draft(login(client, cast["lawyer_a"]))
    login(client, cast["lawyer_b"])
    url = reverse("knowledge-review", args=[draft.pk])
    client.post(url, {"revision": 1, "decision": "return", "comment": ""})
    assert Draft.objects.get().status == Draft.Status.IN_REVIEW
    client.post(url, {"revision": 1, "decision": "return", "comment": "Назовите срок явки."})
    assert Draft.objects.get().status == Draft.Status.CHANGES_REQUESTED
    login(client, cast["lawyer_a"])
    assert "Назовите срок явки." in client.get(EDIT).content.decode()


def test_a_save_from_an_editor_opened_on_an_older_revision_is_refused(cast, knowledge_repo) -> None:
    first, second = login(Client(), cast["lawyer_a"]), login(Client(), cast["lawyer_b"])
    save(first, NEW_SHORT)
    save(second, NEW_SHORT + " Это бесплатно.", revision=1)
    refused = save(first, CITING_SHORT, revision=1, status=409)  # opened on revision 1; revision 2 is someone else's
    assert list(DraftRevision.objects.values_list("number", flat=True)) == [1, 2]
    page = refused.content.decode()  # shown again with what was typed, the stale revision kept
    assert CITING_SHORT in field_cell(page, "ru-short") and "сохранение затёрло бы её" in page
    assert '<input type="hidden" name="revision" value="1">' in page


def test_a_topic_has_at_most_one_open_draft(cast, knowledge_repo) -> None:
    Draft.objects.create(topic_id=TOPIC, base_blob="0" * 40, author=cast["lawyer_a"])
    Draft.objects.create(topic_id=TOPIC, base_blob="0" * 40, author=cast["lawyer_a"], status=Draft.Status.PUBLISHED)
    with pytest.raises(IntegrityError):
        Draft.objects.create(topic_id=TOPIC, base_blob="0" * 40, author=cast["lawyer_b"])


def test_the_log_is_append_only(cast, client, knowledge_repo) -> None:
    save(login(client, cast["lawyer_a"]), NEW_SHORT)
    event = KnowledgeEvent.objects.get()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


# ---- publishing ----------------------------------------------------------------------------


def _approved(cast, knowledge_repo: Path) -> tuple[Client, Draft]:
    author = cast["lawyer_a"]
    author.first_name, author.last_name, author.email = "Айгуль", "Асанова", "aigul@example.org"
    author.save()
    reviewer = cast["lawyer_b"]
    reviewer.first_name, reviewer.last_name, reviewer.email = "Бахтиёр", "Каримов", "bakhtiyor@example.org"
    reviewer.save()
    draft = sent_draft(login(Client(), author))
    client = login(Client(), reviewer)
    approve(client, draft)
    return client, draft


def test_publishing_writes_only_the_changed_line_and_commits_it_with_author_and_reviewer(cast, knowledge_repo) -> None:
    path = knowledge_repo / "topics" / f"{TOPIC}.yaml"
    before = path.read_text(encoding="utf-8").splitlines(keepends=True)
    client, draft = _approved(cast, knowledge_repo)
    response = client.post(reverse("knowledge-publish", args=[draft.pk]))
    assert response.status_code == 302
    after = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(after) == len(before)
    changed = [index for index, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
    assert len(changed) == 1 and after[changed[0]] == f'    short: "{NEW_SHORT}"\n'
    repo = knowledge_repo.parent
    author, committer, subject, body = git(repo, "log", "-1", "--format=%an <%ae>%n%cn <%ce>%n%s%n%b").split("\n", 3)
    assert author == "Айгуль Асанова <aigul@example.org>"
    assert committer == "Бахтиёр Каримов <bakhtiyor@example.org>"  # the lawyer who published
    assert subject == f"knowledge: {TOPIC}: ru.short"
    assert "Reviewed-by: Бахтиёр Каримов <bakhtiyor@example.org>" in body
    assert git(repo, "show", "--numstat", "--format=", "HEAD") == f"1\t1\tknowledge/topics/{TOPIC}.yaml"
    assert git(repo, "status", "--porcelain") == ""
    draft.refresh_from_db()
    assert draft.status == Draft.Status.PUBLISHED
    event = KnowledgeEvent.objects.get(action="knowledge.publish")
    assert (event.actor, event.review, event.data["fields"]) == (cast["lawyer_b"], Review.objects.get(), ["ru.short"])
    assert event.data["commit"] == git(repo, "rev-parse", "HEAD")


def test_publishing_is_refused_when_the_topic_changed_since_the_draft_started(cast, knowledge_repo) -> None:
    client, draft = _approved(cast, knowledge_repo)
    path, repo = knowledge_repo / "topics" / f"{TOPIC}.yaml", knowledge_repo.parent
    russian = files.read_texts(path.read_text(encoding="utf-8"))["ru"]["short"]
    path.write_text(path.read_text(encoding="utf-8").replace(russian, russian + " Их решение."), encoding="utf-8")
    identity = ["-c", "user.name=Someone Else", "-c", "user.email=else@example.invalid"]
    git(repo, *identity, "commit", "--quiet", "-am", "someone else published first")  # the draft changes ru.short too
    theirs = path.read_bytes()
    response = client.post(reverse("knowledge-publish", args=[draft.pk]), follow=True)
    assert "Someone Else" in response.content.decode()  # the last change is named on the page
    assert path.read_bytes() == theirs
    assert git(repo, "log", "-1", "--format=%s") == "someone else published first"
    assert Draft.objects.get().status == Draft.Status.IN_REVIEW


def test_a_draft_is_published_only_once_approved(cast, client, knowledge_repo) -> None:
    draft = sent_draft(login(client, cast["lawyer_a"]))
    login(client, cast["lawyer_b"])
    client.post(reverse("knowledge-publish", args=[draft.pk]))
    assert Draft.objects.get().status == Draft.Status.IN_REVIEW
    assert git(knowledge_repo.parent, "rev-list", "--count", "HEAD") == "1"


# ---- who may do what --------------------------------------------------------------------------


def review_and_publish_posts(draft: Draft) -> list[str]:
    return [reverse("knowledge-review", args=[draft.pk]), reverse("knowledge-publish", args=[draft.pk])]


@pytest.mark.parametrize("who", ["staff", "outsider"])
def test_only_lawyers_and_translators_open_the_editor(cast, client, knowledge_repo, who) -> None:
    draft = made_draft(cast["lawyer_a"], knowledge_repo)
    login(client, cast[who])
    gets = [reverse("knowledge-drafts"), EDIT, reverse("knowledge-draft", args=[draft.pk])]
    posts = [EDIT, SUBMIT, *review_and_publish_posts(draft), reverse("knowledge-withdraw", args=[draft.pk])]
    assert [client.get(url).status_code for url in gets] == [403] * len(gets)
    assert [client.post(url, {"revision": 1, "decision": "approve"}).status_code for url in posts] == [403] * 5
    assert Draft.objects.get().status == Draft.Status.IN_REVIEW and not Review.objects.exists()
    assert reverse("knowledge-drafts") not in client.get(reverse("home"), follow=True).content.decode()


def test_a_translator_edits_a_translation_but_not_the_russian_and_neither_reviews_nor_publishes(
    cast, client, knowledge_repo
) -> None:
    login(client, cast["translator"])
    page = client.get(f"{EDIT}?lang=tg").content.decode()
    assert re.search(r'<textarea name="ru-short"[^>]* readonly>', page)
    assert not re.search(r'<textarea name="tg-short"[^>]* readonly>', page)
    texts = files.read_texts((knowledge_repo / "topics" / f"{TOPIC}.yaml").read_text(encoding="utf-8"))
    tajik = texts["tg"]["short"].replace("Онро нигоҳ доред", "Повесткаро нигоҳ доред")
    client.post(EDIT, {"ru-short": texts["ru"]["short"], "tg-short": tajik, "revision": 0, "lang": "tg"})
    revision = DraftRevision.objects.get()
    assert revision.texts["tg"]["short"] == tajik and revision.texts["ru"] == texts["ru"]
    client.post(EDIT, {"ru-short": NEW_SHORT, "revision": 1, "lang": "tg"})  # the Russian is the lawyers'
    assert DraftRevision.objects.count() == 1
    client.post(SUBMIT)
    draft = Draft.objects.get()
    assert draft.status == Draft.Status.IN_REVIEW
    assert [
        client.post(url, {"revision": 1, "decision": "approve"}).status_code for url in review_and_publish_posts(draft)
    ] == [403, 403]
    login(client, cast["lawyer_a"])  # a lawyer who wrote no revision approves the translator's draft
    assert services.can_approve(cast["lawyer_a"], draft)
    assert 'value="approve"' in client.get(reverse("knowledge-draft", args=[draft.pk])).content.decode()


def test_a_post_without_the_csrf_token_is_refused(cast, csrf_client, knowledge_repo) -> None:
    login(csrf_client, cast["lawyer_a"])
    assert csrf_client.get(EDIT).status_code == 200
    assert csrf_client.post(EDIT, {"ru-short": NEW_SHORT, "revision": 0}).status_code == 403
    assert not Draft.objects.exists()


def test_an_unknown_topic_is_not_found(cast, client, knowledge_repo) -> None:
    login(client, cast["lawyer_a"])
    assert client.get(reverse("knowledge-edit", args=["no_such_topic"])).status_code == 404
    assert client.get("/knowledge/editor/topics/..%2Fcontacts/").status_code == 404


def test_the_index_lists_every_topic_and_its_open_draft(cast, client, knowledge_repo) -> None:
    save(login(client, cast["lawyer_a"]), NEW_SHORT)
    page = client.get(reverse("knowledge-drafts")).content.decode()
    topics = sorted(path.stem for path in (knowledge_repo / "topics").glob("*.yaml"))
    assert all(reverse("knowledge-edit", args=[topic]) in page for topic in topics)
    assert reverse("knowledge-draft", args=[Draft.objects.get().pk]) in page


def test_a_draft_starts_from_the_git_blob_id_of_the_topic_file(cast, client, knowledge_repo) -> None:
    save(login(client, cast["lawyer_a"]), NEW_SHORT)
    expected = git(knowledge_repo, "hash-object", f"topics/{TOPIC}.yaml")
    assert (
        Draft.objects.get().base_blob
        == expected
        == git(knowledge_repo, "rev-parse", f"HEAD:knowledge/topics/{TOPIC}.yaml")
    )
