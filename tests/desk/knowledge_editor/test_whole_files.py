"""Drafts of the contacts and the risk rules through the same workflow as a topic's: save (kb lint at each
cell), send, four-eyes review, publish as one git commit of the changed cells; the rules' diagram.

Every test works on a temporary git repository holding a copy of knowledge/ (conftest.py). A rules
save or send runs the exhaustive check (seconds), so the tests about publishing make their approved
rules draft straight in the database.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from desk.knowledge_editor import contacts_file, rules_file
from desk.knowledge_editor.models import Draft, DraftRevision, KnowledgeEvent, Review
from tests.desk.knowledge_editor.conftest import git
from tests.desk.knowledge_editor.test_workflow import approve, login

pytestmark = pytest.mark.django_db
CONTACTS = reverse("knowledge-edit-contacts")
RULES = reverse("knowledge-edit-rules")
DIAGRAM = reverse("knowledge-rules-diagram")
ORGANISATION = "contacts.mfa_kg.organisation.ru"
NEW_ORGANISATION = "Министерство иностранных дел Кыргызской Республики (консульская служба)"
TITLE = "findings.ru_detained.text.ru.title"
NEW_TITLE = "Вас задержали: что делать"
DAYS = "findings.ru_summons_electronic.deadlines.restrictions.days"


def form_values(page: str) -> dict[str, str]:
    """What the editor's form posts as it is on the page (inputs, textareas, selects)."""
    values = dict(re.findall(r'<input type="\w+" name="([^"]+)"[^>]*value="([^"]*)"', page))
    values |= dict(re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', page))
    values |= dict(re.findall(r'<select name="([^"]+)"[^>]*>.*?<option value="(\w+)" selected>', page, re.S))
    values.pop("csrfmiddlewaretoken", None)
    return {name: html.unescape(value) for name, value in values.items()}


def save(client: Client, url: str, changes: dict[str, str], lang: str = "ky"):
    """Open the editor, change some cells, post the whole form."""
    page = client.get(f"{url}?lang={lang}")
    assert page.status_code == 200
    return client.post(url, {**form_values(page.content.decode()), **changes})


def cell(page: str, name: str) -> str:
    return re.search(rf'<td class="field[^"]*" data-field="{re.escape(name)}">(.*?)</td>', page, re.S).group(1)


def submit_url(entry: str) -> str:
    return reverse("knowledge-submit-contacts" if entry == "contacts" else "knowledge-submit-rules")


def changed_lines(repo: Path, relative: str) -> list[str]:
    """The lines the last commit removed and added in a file of the knowledge folder."""
    diff = git(repo, "show", "--format=", "--unified=0", "HEAD", "--", f"knowledge/{relative}")
    return [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def commit_other_change(knowledge_repo: Path, relative: str, old: str, new: str) -> None:
    path = knowledge_repo / relative
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    identity = ["-c", "user.name=Someone Else", "-c", "user.email=else@example.invalid"]
    git(knowledge_repo.parent, *identity, "commit", "--quiet", "-am", "someone else published first")


def name_people(cast) -> None:
    for who, first, last, email in (
        ("lawyer_a", "Айгуль", "Асанова", "aigul@example.org"),
        ("lawyer_b", "Бахтиёр", "Каримов", "bakhtiyor@example.org"),
    ):
        cast[who].first_name, cast[who].last_name, cast[who].email = first, last, email
        cast[who].save()


# ---- contacts -----------------------------------------------------------------------------------


def test_a_contacts_draft_with_a_lint_error_shows_it_at_the_cell_and_is_not_sent_until_fixed(
    cast, client, knowledge_repo
) -> None:
    login(client, cast["lawyer_a"])
    response = save(client, CONTACTS, {ORGANISATION: NEW_ORGANISATION, "contacts.mfa_kg.source": "not a web address"})
    assert response.status_code == 302
    page = client.get(CONTACTS).content.decode()
    assert 'class="problem error"' in cell(page, "contacts.mfa_kg.source")
    assert "problem" not in cell(page, ORGANISATION)
    assert re.search(r'<button type="submit" disabled>', page)
    client.post(submit_url("contacts"))  # the disabled button is no guard: the server refuses too
    draft = Draft.objects.get()
    assert (draft.topic_id, draft.status) == ("contacts", Draft.Status.DRAFT)
    source = contacts_file.read((knowledge_repo / "contacts.yaml").read_text(encoding="utf-8"))[
        "contacts.mfa_kg.source"
    ]
    save(client, CONTACTS, {"contacts.mfa_kg.source": source})
    assert DraftRevision.objects.get(number=2).edited == {ORGANISATION: NEW_ORGANISATION}
    client.post(submit_url("contacts"))
    assert Draft.objects.get().status == Draft.Status.IN_REVIEW
    assert list(KnowledgeEvent.objects.values_list("action", "data__fields")) == [
        ("knowledge.draft.save", ["contacts.mfa_kg.organisation.ru", "contacts.mfa_kg.source"]),
        ("knowledge.draft.save", ["contacts.mfa_kg.organisation.ru"]),
        ("knowledge.draft.submit", None),
    ]


def sent_contacts_draft(client: Client, changes: dict[str, str]) -> Draft:
    assert save(client, CONTACTS, changes).status_code == 302
    client.post(submit_url("contacts"))
    draft = Draft.objects.get(topic_id="contacts", status=Draft.Status.IN_REVIEW)
    return draft


def test_a_contacts_draft_is_approved_by_another_lawyer_and_published_as_one_commit_of_its_line(
    cast, knowledge_repo
) -> None:
    name_people(cast)
    author, reviewer = login(Client(), cast["lawyer_a"]), login(Client(), cast["lawyer_b"])
    draft = sent_contacts_draft(author, {ORGANISATION: NEW_ORGANISATION})
    assert 'value="approve"' not in author.get(reverse("knowledge-draft", args=[draft.pk])).content.decode()
    assert approve(author, draft).status_code == 403
    page = reviewer.get(reverse("knowledge-draft", args=[draft.pk])).content.decode()
    assert ORGANISATION in page and "<ins> (консульская служба)</ins>" in page  # the cell and its word diff
    assert approve(reviewer, draft).status_code == 302
    assert reviewer.post(reverse("knowledge-publish", args=[draft.pk])).status_code == 302
    repo = knowledge_repo.parent
    assert changed_lines(repo, "contacts.yaml") == [
        '-      ru: "Министерство иностранных дел Кыргызской Республики"',
        f'+      ru: "{NEW_ORGANISATION}"',
    ]
    assert git(repo, "show", "--numstat", "--format=", "HEAD") == "1\t1\tknowledge/contacts.yaml"
    author_line, subject, body = git(repo, "log", "-1", "--format=%an <%ae>%n%s%n%b").split("\n", 2)
    assert author_line == "Айгуль Асанова <aigul@example.org>"
    assert subject == f"knowledge: contacts: {ORGANISATION}"
    assert "Reviewed-by: Бахтиёр Каримов <bakhtiyor@example.org>" in body
    assert Draft.objects.get().status == Draft.Status.PUBLISHED
    assert KnowledgeEvent.objects.get(action="knowledge.publish").data["fields"] == [ORGANISATION]


def test_a_translator_changes_a_contacts_translation_but_not_the_russian_nor_the_details(
    cast, client, knowledge_repo
) -> None:
    login(client, cast["translator"])
    refused = save(
        client, CONTACTS, {ORGANISATION: NEW_ORGANISATION, "contacts.mfa_kg.organisation.tg": "Вазорат"}, lang="tg"
    )
    assert refused.status_code == 409  # shown again with what was typed, not redirected
    page = refused.content.decode()
    assert f'value="{NEW_ORGANISATION}"' in cell(page, ORGANISATION) and 'value="Вазорат"' in page
    assert "переводы; русский текст меняет юрист" in page  # the refusal, in the desk's Russian
    assert save(client, CONTACTS, {"contacts.mfa_kg.value": "mfa.kg"}, lang="tg").status_code == 409
    assert not Draft.objects.exists()
    assert save(client, CONTACTS, {"contacts.mfa_kg.organisation.tg": "Вазорат"}, lang="tg").status_code == 302
    assert DraftRevision.objects.get().edited == {"contacts.mfa_kg.organisation.tg": "Вазорат"}


def test_a_contacts_draft_is_not_published_over_a_change_to_its_cell_but_is_over_another_contact(
    cast, knowledge_repo
) -> None:
    author, reviewer = login(Client(), cast["lawyer_a"]), login(Client(), cast["lawyer_b"])
    draft = sent_contacts_draft(author, {ORGANISATION: NEW_ORGANISATION})
    approve(reviewer, draft)
    commit_other_change(knowledge_repo, "contacts.yaml", 'value: "mfa.uz"', 'value: "www.mfa.uz"')
    reviewer.post(reverse("knowledge-publish", args=[draft.pk]))  # another contact changed: published
    text = (knowledge_repo / "contacts.yaml").read_text(encoding="utf-8")
    assert NEW_ORGANISATION in text and 'value: "www.mfa.uz"' in text
    assert Draft.objects.get().status == Draft.Status.PUBLISHED

    second = sent_contacts_draft(author, {ORGANISATION: NEW_ORGANISATION + " 2"})
    approve(reviewer, second, revision=1)
    commit_other_change(knowledge_repo, "contacts.yaml", NEW_ORGANISATION, "МИД Кыргызской Республики")
    theirs = (knowledge_repo / "contacts.yaml").read_bytes()
    page = reviewer.post(reverse("knowledge-publish", args=[second.pk]), follow=True).content.decode()
    assert "Someone Else" in page and ORGANISATION in page  # who changed what is named
    assert (knowledge_repo / "contacts.yaml").read_bytes() == theirs
    assert Draft.objects.get(pk=second.pk).status == Draft.Status.IN_REVIEW


# ---- risk rules -----------------------------------------------------------------------------------


def test_a_rules_draft_goes_from_a_lint_error_at_its_cell_to_a_published_commit_of_one_line(
    cast, knowledge_repo
) -> None:
    name_people(cast)
    author, reviewer = login(Client(), cast["lawyer_a"]), login(Client(), cast["lawyer_b"])
    assert save(author, RULES, {TITLE: NEW_TITLE, DAYS: "-3"}).status_code == 302
    page = author.get(RULES).content.decode()
    assert 'class="problem error"' in cell(page, DAYS) and "problem" not in cell(page, TITLE)
    author.post(submit_url("risk_rules"))
    assert Draft.objects.get().status == Draft.Status.DRAFT
    assert save(author, RULES, {DAYS: "21"}).status_code == 302
    revision = DraftRevision.objects.get(number=2)
    assert revision.edited == {TITLE: NEW_TITLE}
    page = author.get(RULES).content.decode()
    assert f'<img src="{DIAGRAM}?revision={revision.pk}"' in page and "<svg" not in page
    author.post(submit_url("risk_rules"))
    draft = Draft.objects.get()
    assert draft.status == Draft.Status.IN_REVIEW
    assert approve(author, draft, revision=2).status_code == 403
    draft_page = reviewer.get(reverse("knowledge-draft", args=[draft.pk])).content.decode()
    assert TITLE in draft_page and "<ins>делать</ins>" in draft_page
    assert "Кыргызча, O" in draft_page  # the translations the new Russian title makes stale are named
    assert f"{DIAGRAM}?revision={revision.pk}" in draft_page
    approve(reviewer, draft, revision=2)
    reviewer.post(reverse("knowledge-publish", args=[draft.pk]))
    repo = knowledge_repo.parent
    assert changed_lines(repo, "risk_rules.yaml") == [
        '-        title: "Вас задержали: ваши права"',
        f'+        title: "{NEW_TITLE}"',
    ]
    assert git(repo, "show", "--numstat", "--format=", "HEAD") == "1\t1\tknowledge/risk_rules.yaml"
    author_line, subject, body = git(repo, "log", "-1", "--format=%an <%ae>%n%s%n%b").split("\n", 2)
    assert (author_line, subject) == ("Айгуль Асанова <aigul@example.org>", f"knowledge: risk_rules: {TITLE}")
    assert "Reviewed-by: Бахтиёр Каримов <bakhtiyor@example.org>" in body


def approved_rules_draft(cast, knowledge_repo: Path, edited: dict[str, str]) -> Draft:
    """A rules draft approved by lawyer_b, made straight in the database (the pages take seconds a step)."""
    text = (knowledge_repo / "risk_rules.yaml").read_text(encoding="utf-8")
    draft = Draft.objects.create(
        topic_id="risk_rules",
        base_blob=git(knowledge_repo, "hash-object", "risk_rules.yaml"),
        base_files={"risk_rules.yaml": text},
        author=cast["lawyer_a"],
        status=Draft.Status.IN_REVIEW,
    )
    DraftRevision.objects.create(draft=draft, number=1, texts={}, edited=edited, author=cast["lawyer_a"])
    Review.objects.create(draft=draft, revision_number=1, reviewer=cast["lawyer_b"], decision="approve")
    return draft


def test_a_rules_draft_is_not_published_over_a_change_to_its_cell_but_is_over_another_one(
    cast, client, knowledge_repo
) -> None:
    login(client, cast["lawyer_b"])
    blocked = approved_rules_draft(cast, knowledge_repo, {TITLE: NEW_TITLE})
    commit_other_change(knowledge_repo, "risk_rules.yaml", "Вас задержали: ваши права", "Задержание")
    assert client.get(reverse("knowledge-draft", args=[blocked.pk])).content.decode().count(TITLE) >= 2
    client.post(reverse("knowledge-publish", args=[blocked.pk]))
    assert Draft.objects.get().status == Draft.Status.IN_REVIEW
    assert git(knowledge_repo.parent, "log", "-1", "--format=%s") == "someone else published first"
    client.post(reverse("knowledge-withdraw", args=[blocked.pk]))

    draft = approved_rules_draft(cast, knowledge_repo, {DAYS: "20"})
    commit_other_change(knowledge_repo, "risk_rules.yaml", "Задержание", "Вас задержали")
    client.post(reverse("knowledge-publish", args=[draft.pk]))
    text = (knowledge_repo / "risk_rules.yaml").read_text(encoding="utf-8")
    assert rules_file.read(text)[DAYS] == "20" and rules_file.read(text)[TITLE] == "Вас задержали"
    assert git(knowledge_repo.parent, "log", "-1", "--format=%s") == f"knowledge: risk_rules: {DAYS}"


def test_the_diagram_is_an_svg_of_the_drafts_rules_or_of_the_published_ones(cast, client, knowledge_repo) -> None:
    login(client, cast["translator"])
    revision = approved_rules_draft(cast, knowledge_repo, {TITLE: NEW_TITLE}).latest()
    drawn = client.get(f"{DIAGRAM}?revision={revision.pk}")
    assert drawn.status_code == 200 and drawn["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in drawn["Content-Security-Policy"]
    svg = drawn.content.decode()
    assert "<svg" in svg and NEW_TITLE in svg and "Вас задержали: ваши права" not in svg
    published = client.get(DIAGRAM).content.decode()
    assert "Вас задержали: ваши права" in published and NEW_TITLE not in published
    assert client.get(f"{DIAGRAM}?revision=999999").status_code == 404


def test_a_translator_may_not_change_a_rules_russian_text_nor_its_days(cast, client, knowledge_repo) -> None:
    login(client, cast["translator"])
    assert save(client, RULES, {TITLE: NEW_TITLE}, lang="uz").status_code == 409
    refused = save(client, RULES, {DAYS: "20"}, lang="uz")
    assert refused.status_code == 409 and 'value="20"' in cell(refused.content.decode(), DAYS)
    assert "Переводчики не меняют дни срока" in refused.content.decode()
    assert not Draft.objects.exists()


# ---- who may do what --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff", "outsider"])
def test_only_lawyers_and_translators_open_the_file_editors_and_the_diagram(cast, client, knowledge_repo, who) -> None:
    login(client, cast[who])
    gets = [CONTACTS, RULES, DIAGRAM]
    posts = [CONTACTS, RULES, submit_url("contacts"), submit_url("risk_rules")]
    assert [client.get(url).status_code for url in gets] == [403] * 3
    assert [client.post(url, {ORGANISATION: "x", "revision": 0}).status_code for url in posts] == [403] * 4
    assert not Draft.objects.exists()


def test_the_file_editors_refuse_a_post_without_the_csrf_token_and_are_on_the_index(
    cast, csrf_client, knowledge_repo
) -> None:
    login(csrf_client, cast["lawyer_a"])
    index = csrf_client.get(reverse("knowledge-drafts")).content.decode()
    assert CONTACTS in index and RULES in index
    assert csrf_client.post(CONTACTS, {ORGANISATION: NEW_ORGANISATION, "revision": 0}).status_code == 403
    assert csrf_client.post(submit_url("risk_rules")).status_code == 403
    assert not Draft.objects.exists()
