"""Editing a topic's facts (sources, dates, risk level, related topics) and example questions in the
desk's editor, and publishing them field by field.

The pages are posted as a browser would post them: every input the editor renders, with the
changes a test makes (`FormReader`). Every test works on a temporary git repository (conftest.py).
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.urls import reverse

from bot.nlu.training import hash_file, inputs_hash
from desk.knowledge_editor import fields, files
from desk.knowledge_editor.models import Draft, DraftRevision, KnowledgeEvent, Review
from tests.desk.knowledge_editor.conftest import TOPIC, git
from tests.desk.knowledge_editor.test_workflow import approve, login

pytestmark = pytest.mark.django_db
EDIT = reverse("knowledge-edit", args=[TOPIC])
SUBMIT = reverse("knowledge-submit", args=[TOPIC])
TOPIC_FILE = f"topics/{TOPIC}.yaml"
EXAMPLES_FILE = f"examples/topics/{TOPIC}.yaml"
NEW_QUESTION = "повестка келди, аскерге барышым керекпи?"


class FormReader(HTMLParser):
    """The values the editor's save form posts: enabled inputs, checked boxes, selected options, textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._form = 0  # inside the save form (the first form with class "editor")
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "form":
            self._form += 1 if attr.get("class") == "editor" else 0
            return
        if tag == "option" and self._select and "selected" in attr:
            self.values.setdefault(self._select, []).append(attr.get("value") or "")
        if not self._form or "disabled" in attr or not attr.get("name"):
            return
        name = attr["name"] or ""
        if tag == "input" and (attr.get("type") != "checkbox" or "checked" in attr):
            self.values.setdefault(name, []).append(attr.get("value") or "")
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form:
            self._form = 0
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea][0] += data


def form(client: Client, lang: str = "ky") -> dict[str, list[str]]:
    reader = FormReader()
    reader.feed(client.get(f"{EDIT}?lang={lang}").content.decode())
    return reader.values


def post(client: Client, values: dict[str, list[str]], status: int = 302) -> None:
    assert client.post(EDIT, values).status_code == status  # 409: refused, the page shown again


def topic_text(knowledge_repo: Path) -> str:
    return (knowledge_repo / TOPIC_FILE).read_text(encoding="utf-8")


def source_row(values: dict[str, list[str]], source_id: str) -> int:
    return next(
        int(name.split("-")[1]) for name, value in values.items() if name.endswith("-id") and value == [source_id]
    )


# ---- the YAML writer, on the real files ----------------------------------------------------------


def test_writing_unchanged_facts_and_examples_gives_the_files_back_byte_for_byte(knowledge_repo) -> None:
    from bot.settings import REPO_ROOT

    topic = (REPO_ROOT / "knowledge" / TOPIC_FILE).read_text(encoding="utf-8")
    examples = (REPO_ROOT / "knowledge" / EXAMPLES_FILE).read_text(encoding="utf-8")
    assert fields.write_facts(TOPIC_FILE, topic, fields.read_facts(topic)) == topic
    assert fields.write_examples(EXAMPLES_FILE, examples, fields.read_examples(examples)) == examples


def test_a_changed_date_and_an_added_note_change_only_their_lines(knowledge_repo) -> None:
    from bot.settings import REPO_ROOT

    before = (REPO_ROOT / "knowledge" / TOPIC_FILE).read_text(encoding="utf-8")
    facts = fields.read_facts(before)
    assert facts["sources"][9]["note"] == ""  # report_klerk_sevendays_2025 has no note
    facts["sources"][1]["checked_on"] = "2026-12-01"
    facts["sources"][9]["note"] = "перечитано"
    facts["risk_level"] = "medium"
    after = fields.write_facts(TOPIC_FILE, before, facts).splitlines(keepends=True)
    old = before.splitlines(keepends=True)
    assert len(after) == len(old) + 1
    note_at = after.index('    note: "перечитано"\n')
    assert after[note_at - 2 : note_at] == old[note_at - 2 : note_at]  # right after id, kind, title
    assert after[note_at - 1].startswith("    title: ")
    rest = after[:note_at] + after[note_at + 1 :]
    changed = [(o, n) for o, n in zip(old, rest, strict=True) if o != n]
    assert changed == [
        ("risk_level: high\n", "risk_level: medium\n"),
        ("    checked_on: 2026-11-21\n", "    checked_on: 2026-12-01\n"),
    ]


def test_an_added_and_a_removed_question_change_only_their_lines(knowledge_repo) -> None:
    from bot.settings import REPO_ROOT

    before = (REPO_ROOT / "knowledge" / EXAMPLES_FILE).read_text(encoding="utf-8")
    questions = fields.read_examples(before)["ky"]
    after = fields.write_examples(EXAMPLES_FILE, before, {"ky": [*questions[1:], NEW_QUESTION]})
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert [line for line in old if line not in new] == [f'    - "{questions[0]}"\n']
    assert [line for line in new if line not in old] == [f'    - "{NEW_QUESTION}"\n']


# ---- saving ------------------------------------------------------------------------------------


def test_saving_each_kind_of_field(cast, client, knowledge_repo) -> None:
    login(client, cast["lawyer_a"])
    values = form(client)
    assert values["facts"] == ["1"] and values["risk_level"] == ["high"]
    first, second = source_row(values, "law_53fz_art1"), source_row(values, "law_53fz_art7")
    values["risk_level"] = ["medium"]
    values["as_of"], values["review_by"] = ["2026-12-10"], ["2027-03-10"]
    values["related"] = ["evasion_liability", "consular_help"]  # one removed, one added
    values[f"source-{second}-url"] = ["https://example.org/53-fz/7"]
    values[f"source-{second}-note"] = ["перечитано, ст. 7"]
    values[f"source-{second}-position"], values[f"source-{first}-position"] = ["1"], ["2"]  # swapped
    values["source-5-remove"] = ["1"]  # report_consultant_summons_2023
    new = int(values["sources"][0]) - 1  # the empty row for a new source
    for field, value in {
        "id": "official_mvd_2026",
        "kind": "official",
        "title": "Разъяснение МВД",
        "issuer": "МВД России",
        "number": "01.12.2026",
        "url": "https://example.org/mvd",
        "checked_on": "2026-12-02",
    }.items():
        values[f"source-{new}-{field}"] = [value]
    values["examples-ky"] = [values["examples-ky"][0] + "\n" + NEW_QUESTION]
    post(client, values)

    revision = DraftRevision.objects.get()
    facts = revision.facts
    assert (facts["risk_level"], facts["as_of"], facts["review_by"]) == ("medium", "2026-12-10", "2027-03-10")
    assert facts["related"] == ["evasion_liability", "consular_help"]
    ids = [source["id"] for source in facts["sources"]]
    assert ids[:2] == ["law_53fz_art7", "law_53fz_art1"] and ids[-1] == "official_mvd_2026"
    assert "report_consultant_summons_2023" not in ids and len(ids) == 17
    assert facts["sources"][0]["url"] == "https://example.org/53-fz/7"
    assert facts["sources"][0]["note"] == "перечитано, ст. 7"
    assert revision.examples["ky"][-1] == NEW_QUESTION
    assert revision.examples["ru"] == fields.read_examples((knowledge_repo / EXAMPLES_FILE).read_text())["ru"]
    assert KnowledgeEvent.objects.get().data["fields"] == [
        "risk_level",
        "as_of",
        "review_by",
        "related",
        "sources.0.note",
        "sources.0.url",
        "sources.16",
        "examples.ky",
        "sources.-report_consultant_summons_2023",
    ]
    page = client.get(f"{EDIT}?lang=ky").content.decode()  # the editor shows the draft's values
    assert 'value="https://example.org/53-fz/7"' in page and NEW_QUESTION in page
    assert '<option value="medium" selected>' in page
    assert topic_text(knowledge_repo) == git(knowledge_repo, "show", f"HEAD:knowledge/{TOPIC_FILE}") + "\n"
    diff = client.get(reverse("knowledge-draft", args=[revision.draft_id])).content.decode()
    assert "<del>− summons_restrictions_exit</del><br><ins>+ consular_help</ins>" in diff
    assert "<del>https://dogovor-urist.ru/" in diff and "<ins>https://example.org/53-fz/7</ins>" in diff
    assert "Источник report_consultant_summons_2023" in diff and "<del>удалён</del>" in diff
    assert "Адрес (URL): <ins>https://example.org/mvd</ins>" in diff


def test_a_lint_error_shows_at_the_source_url_and_the_draft_cannot_be_sent(cast, client, knowledge_repo) -> None:
    login(client, cast["lawyer_a"])
    values = form(client)
    values["source-2-url"] = ["not a web address"]
    post(client, values)
    page = client.get(EDIT).content.decode()
    cell = re.search(r'<div class="field has-problems" data-field="sources.2.url">(.*?)</div>', page, re.S)
    assert cell and 'class="problem error"' in cell.group(1)
    assert '<div class="field" data-field="sources.1.url">' in page  # the other sources' URLs are fine
    assert re.search(r'<button type="submit" disabled>', page)
    client.post(SUBMIT)
    assert Draft.objects.get().status == Draft.Status.DRAFT


def test_a_translator_changes_the_example_questions_of_a_translation_but_no_fact(cast, client, knowledge_repo) -> None:
    login(client, cast["translator"])
    values = form(client, "tg")
    assert "facts" not in values and "risk_level" not in values  # shown disabled: not posted
    refused = {**values, "facts": ["1"], "risk_level": ["low"], "sources": ["0"], "related": []}
    post(client, refused, 409)  # a hand-made POST: services refuse it, whatever the page shows
    assert not DraftRevision.objects.exists()
    post(client, {**values, "examples-ru": [values["examples-ru"][0] + "\nновый вопрос"]}, 409)
    assert not DraftRevision.objects.exists()
    post(client, {**values, "examples-tg": [values["examples-tg"][0] + "\nповестка омад, чӣ кунам?"]})
    revision = DraftRevision.objects.get()
    assert revision.examples["tg"][-1] == "повестка омад, чӣ кунам?"
    assert revision.facts == fields.read_facts(topic_text(knowledge_repo))


# ---- publishing ----------------------------------------------------------------------------------


def _approved_draft(cast, knowledge_repo: Path, change) -> tuple[Client, Draft]:
    """A draft lawyer_a saved with `change(values)` applied to the editor's form, sent, and approved by lawyer_b."""
    author = login(Client(), cast["lawyer_a"])
    values = form(author)
    change(values)
    post(author, values)
    author.post(SUBMIT)
    draft = Draft.objects.get()
    assert draft.status == Draft.Status.IN_REVIEW, DraftRevision.objects.get().problems
    reviewer = login(Client(), cast["lawyer_b"])
    approve(reviewer, draft)
    return reviewer, draft


def _risk_date_and_question(values: dict[str, list[str]]) -> None:
    values["risk_level"] = ["medium"]
    values["source-1-checked_on"] = ["2026-12-01"]
    values["examples-ky"] = [values["examples-ky"][0] + "\n" + NEW_QUESTION]


def changed_lines(repo: Path, *paths: str) -> list[str]:
    diff = git(repo, "diff", "--unified=0", "HEAD~1", "HEAD", "--", *paths).splitlines()
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_publishing_commits_the_topic_and_its_examples_together(cast, knowledge_repo) -> None:
    reviewer, draft = _approved_draft(cast, knowledge_repo, _risk_date_and_question)
    page = reviewer.get(reverse("knowledge-draft", args=[draft.pk])).content.decode()
    assert "<del>high</del> → <ins>medium</ins>" in page
    assert "<del>2026-11-21</del> → <ins>2026-12-01</ins>" in page
    assert f"<ins>+ {NEW_QUESTION}</ins>" in page
    assert reviewer.post(reverse("knowledge-publish", args=[draft.pk])).status_code == 302
    repo = knowledge_repo.parent
    assert git(repo, "log", "-1", "--format=%s") == f"knowledge: {TOPIC}: risk_level, sources.1.checked_on, examples.ky"
    assert sorted(git(repo, "show", "--name-only", "--format=", "HEAD").splitlines()) == [
        f"knowledge/{EXAMPLES_FILE}",
        f"knowledge/{TOPIC_FILE}",
    ]
    assert changed_lines(repo, f"knowledge/{TOPIC_FILE}") == [
        "-risk_level: high",
        "+risk_level: medium",
        "-    checked_on: 2026-11-21",
        "+    checked_on: 2026-12-01",
    ]
    assert changed_lines(repo, f"knowledge/{EXAMPLES_FILE}") == [f'+    - "{NEW_QUESTION}"']
    assert git(repo, "status", "--porcelain") == ""


def _commit(knowledge_repo: Path, old: str, new: str, message: str) -> None:
    path = knowledge_repo / TOPIC_FILE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    identity = ["-c", "user.name=Someone Else", "-c", "user.email=else@example.invalid"]
    git(knowledge_repo.parent, *identity, "commit", "--quiet", "-am", message)


def test_a_translation_confirmed_meanwhile_does_not_block_the_publish_and_stays(cast, knowledge_repo) -> None:
    reviewer, draft = _approved_draft(cast, knowledge_repo, _risk_date_and_question)
    ky = re.search(r"  ky:\n    title: .*\n    source_fingerprint: \w+\n", topic_text(knowledge_repo)).group(0)
    _commit(knowledge_repo, ky, ky[:-13] + "0123456789ab\n", "kb confirm ky")  # a translator's commit
    reviewer.post(reverse("knowledge-publish", args=[draft.pk]))
    assert Draft.objects.get().status == Draft.Status.PUBLISHED
    text = topic_text(knowledge_repo)
    assert "source_fingerprint: 0123456789ab" in text and "risk_level: medium" in text
    assert changed_lines(knowledge_repo.parent, f"knowledge/{TOPIC_FILE}") == [
        "-risk_level: high",
        "+risk_level: medium",
        "-    checked_on: 2026-11-21",
        "+    checked_on: 2026-12-01",
    ]


def test_a_field_the_draft_changes_changed_meanwhile_blocks_the_publish(cast, knowledge_repo) -> None:
    reviewer, draft = _approved_draft(cast, knowledge_repo, _risk_date_and_question)
    _commit(knowledge_repo, "risk_level: high\n", "risk_level: low\n", "someone lowered the risk")
    before = topic_text(knowledge_repo)
    page = reviewer.post(reverse("knowledge-publish", args=[draft.pk]), follow=True).content.decode()
    assert "risk_level" in page and "Someone Else" in page
    assert Draft.objects.get().status == Draft.Status.IN_REVIEW
    assert topic_text(knowledge_repo) == before
    assert git(knowledge_repo.parent, "log", "-1", "--format=%s") == "someone lowered the risk"


def test_the_pages_say_the_model_must_be_retrained_after_new_questions_are_published(
    cast, knowledge_repo, tmp_path
) -> None:
    model = tmp_path / "kenesh.tar.gz"
    kenesh = dataclasses.replace(django_settings.KENESH, model_path=model, knowledge_dir=knowledge_repo)
    with override_settings(KENESH=kenesh):
        train(kenesh)  # the model knows the questions as they are now
        notice = "Модель нужно переобучить"
        reviewer, draft = _approved_draft(cast, knowledge_repo, _risk_date_and_question)
        assert notice not in reviewer.get(EDIT).content.decode()
        reviewer.post(reverse("knowledge-publish", args=[draft.pk]))
        assert notice in reviewer.get(reverse("knowledge-draft", args=[draft.pk])).content.decode()
        assert notice in reviewer.get(EDIT).content.decode()
        train(kenesh)  # a retraining on the published questions
        assert notice not in reviewer.get(EDIT).content.decode()


def train(settings) -> None:
    """What a retraining leaves beside the model: the files, and the hash of the inputs it learned from."""
    settings.model_path.write_bytes(b"a model")
    settings.language_model_path.write_bytes(b"a language identifier")
    hash_file(settings).write_text(inputs_hash(knowledge=settings.knowledge_dir) + "\n")


def test_a_draft_from_before_base_files_is_still_refused_when_its_topic_file_changed(cast, knowledge_repo) -> None:
    path = knowledge_repo / TOPIC_FILE
    texts = files.read_texts(path.read_text(encoding="utf-8"))
    texts["ru"]["title"] = "Пришла повестка: что делать"
    draft = Draft.objects.create(
        topic_id=TOPIC, base_blob=files.blob_id(path.read_bytes()), author=cast["lawyer_a"], status="in_review"
    )
    DraftRevision.objects.create(draft=draft, number=1, texts=texts, author=cast["lawyer_a"])  # facts, examples: null
    Review.objects.create(draft=draft, revision_number=1, reviewer=cast["lawyer_b"], decision="approve")
    _commit(knowledge_repo, "risk_level: high\n", "risk_level: medium\n", "an unrelated change")
    reviewer = login(Client(), cast["lawyer_b"])
    reviewer.post(reverse("knowledge-publish", args=[draft.pk]))
    assert Draft.objects.get().status == Draft.Status.IN_REVIEW  # its base is the blob: any change blocks it
    git(knowledge_repo.parent, "reset", "--quiet", "--hard", "HEAD~1")
    reviewer.post(reverse("knowledge-publish", args=[draft.pk]))
    assert Draft.objects.get().status == Draft.Status.PUBLISHED
    assert git(knowledge_repo.parent, "log", "-1", "--format=%s") == f"knowledge: {TOPIC}: ru.title"
