"""The translators' queue: stale translations with what changed in the Russian, and `kb confirm` done in the page.

Every test works on a temporary git repository holding a copy of knowledge/ (conftest.py), where
every translation is confirmed; a test changes a Russian text with a commit, as a publish does.
The desk speaks Russian unless asked for English, so the messages asserted are Russian.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from bot.knowledge.parity import fingerprint
from bot.knowledge.schema import TopicText
from desk.knowledge_editor import files
from desk.knowledge_editor.models import Draft, DraftRevision, KnowledgeEvent
from tests.desk.knowledge_editor.conftest import TOPIC, git

pytestmark = pytest.mark.django_db
QUEUE = reverse("knowledge-translations")
CONFIRM = reverse("knowledge-translations-confirm")
TOPIC_FILE = f"topics/{TOPIC}.yaml"


def commit(knowledge: Path, relative: str, old: str, new: str, date: str = "2026-11-01T12:00:00+00:00") -> None:
    """Replace `old` by `new` once in a file and commit it as a lawyer would publish it, on `date`."""
    path = knowledge / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    identity = ["-c", "user.name=Lawyer", "-c", "user.email=lawyer@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(
        ["git", "-C", str(knowledge), *identity, "commit", "--quiet", "-am", f"change {relative}"], check=True, env=env
    )


def sections(page: str) -> dict[tuple[str, str, str], str]:
    """{(entry, item, language): the queue's section of that translation}."""
    found = re.findall(
        r'<section class="stale-translation" data-entry="([^"]*)" data-item="([^"]*)" data-lang="([^"]*)">'
        r"(.*?)</section>",
        page,
        re.S,
    )
    return {(entry, item, lang): body for entry, item, lang, body in found}


def hidden(section: str) -> dict[str, str]:
    """The confirm form's fields, the CSRF token included."""
    return dict(re.findall(r'<input type="hidden" name="([a-z]+)" value="([^"]*)">', section))


def as_user(client: Client, user) -> Client:
    client.force_login(user)
    return client


def head(knowledge: Path) -> str:
    return git(knowledge, "rev-parse", "HEAD")


@pytest.fixture
def changed_short(knowledge_repo: Path) -> Path:
    """The topic's Russian short answer says "лишь" where it said "только", committed."""
    commit(
        knowledge_repo, TOPIC_FILE, "Повестка касается только граждан России", "Повестка касается лишь граждан России"
    )
    return knowledge_repo


def test_the_queue_shows_each_stale_translation_with_the_changed_words(cast, client, changed_short) -> None:
    page = as_user(client, cast["translator"]).get(QUEUE).content.decode()
    rows = sections(page)
    assert set(rows) == {(TOPIC, "", "ky"), (TOPIC, "", "uz"), (TOPIC, "", "tg")}
    tajik = rows[(TOPIC, "", "tg")]
    assert "<del>только</del><ins>лишь</ins>" in tajik
    assert tajik.count('<th scope="row">') == 1  # the short answer; the title and details did not change
    short_tg = yaml.safe_load((changed_short / TOPIC_FILE).read_text(encoding="utf-8"))["text"]["tg"]["short"]
    assert short_tg.split(".")[0] in tajik  # the translation of the field, beside the change
    assert f'href="{reverse("knowledge-edit", args=[TOPIC])}?lang=tg"' in tajik
    assert "2026-11-01" in tajik  # stale since the commit that changed the Russian


def test_the_language_filter_shows_one_language(cast, client, changed_short) -> None:
    page = as_user(client, cast["translator"]).get(f"{QUEUE}?lang=uz").content.decode()
    assert set(sections(page)) == {(TOPIC, "", "uz")}


def test_confirming_records_the_fingerprint_in_one_commit_by_the_translator(cast, client, changed_short) -> None:
    as_user(client, cast["translator"])
    before = (changed_short / TOPIC_FILE).read_text(encoding="utf-8").splitlines()
    form = hidden(sections(client.get(QUEUE).content.decode())[(TOPIC, "", "tg")])
    response = client.post(CONFIRM, form)
    assert response.status_code == 302
    after = (changed_short / TOPIC_FILE).read_text(encoding="utf-8").splitlines()
    changed = [i for i, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
    assert len(changed) == 1
    russian = yaml.safe_load("\n".join(after))["text"]["ru"]
    assert after[changed[0]] == f"    source_fingerprint: {fingerprint(TopicText(**russian))}"
    language_above = [line for line in after[: changed[0]] if re.fullmatch(r"  [a-z]{2}:", line)][-1]
    assert language_above == "  tg:"
    assert git(changed_short, "show", "--format=%an <%ae>|%s", "--numstat", "HEAD").split("\n\n") == [
        "translator <translator@kenesh-desk.invalid>|"
        f"knowledge: {TOPIC}: tg translation confirmed for the current Russian text",
        f"1\t1\tknowledge/{TOPIC_FILE}",
    ]
    event = KnowledgeEvent.objects.get()
    assert (event.action, event.actor, event.topic_id) == ("knowledge.translation.confirm", cast["translator"], TOPIC)
    assert event.data == {"language": "tg", "file": TOPIC_FILE, "commit": head(changed_short)}
    assert set(sections(client.get(QUEUE).content.decode())) == {(TOPIC, "", "ky"), (TOPIC, "", "uz")}


def test_a_confirmation_from_a_page_older_than_the_file_is_refused(cast, client, changed_short) -> None:
    as_user(client, cast["translator"])
    form = hidden(sections(client.get(QUEUE).content.decode())[(TOPIC, "", "tg")])
    commit(changed_short, TOPIC_FILE, "лишь граждан России", "лишь граждан Российской Федерации")
    last = head(changed_short)
    response = client.post(CONFIRM, form, follow=True)
    assert "Файл изменился после того, как вы открыли очередь" in response.content.decode()
    assert head(changed_short) == last
    assert not KnowledgeEvent.objects.exists()
    assert not git(changed_short, "status", "--porcelain")


def test_confirming_waits_while_the_topic_has_an_open_draft(cast, client, changed_short) -> None:
    path = changed_short / TOPIC_FILE
    texts = files.read_texts(path.read_text(encoding="utf-8"))
    texts["ru"]["title"] = "Пришла повестка: что делать"
    draft = Draft.objects.create(topic_id=TOPIC, base_blob=files.blob_id(path.read_bytes()), author=cast["lawyer_a"])
    DraftRevision.objects.create(draft=draft, number=1, texts=texts, author=cast["lawyer_a"])
    as_user(client, cast["translator"])
    page = client.get(f"{QUEUE}?lang=tg").content.decode()
    waiting = re.search(r'<section class="waiting">(.*?)</section>', page, re.S).group(1)
    assert f'href="{reverse("knowledge-edit", args=[TOPIC])}?lang=tg"' in waiting
    assert 'data-lang="ky"' not in waiting  # the filter holds here too
    last = head(changed_short)
    response = client.post(CONFIRM, hidden(sections(page)[(TOPIC, "", "tg")]), follow=True)
    assert "У темы есть открытый черновик" in response.content.decode()
    assert head(changed_short) == last  # confirming would make the draft unpublishable (its base file changed)


def test_a_translation_made_from_a_text_not_in_the_history_says_so(cast, client, knowledge_repo) -> None:
    recorded = yaml.safe_load((knowledge_repo / "meta/thanks.yaml").read_text(encoding="utf-8"))["text"]["uz"]
    old = f"Minnatdorchilik\n    source_fingerprint: {recorded['source_fingerprint']}"
    commit(knowledge_repo, "meta/thanks.yaml", old, "Minnatdorchilik\n    source_fingerprint: 000000000000")
    rows = sections(as_user(client, cast["translator"]).get(QUEUE).content.decode())
    assert set(rows) == {("thanks", "", "uz")}
    assert "сделан с русского текста, которого нет в истории" in rows[("thanks", "", "uz")]
    assert "<del>" not in rows[("thanks", "", "uz")]


def test_the_queue_puts_high_risk_topics_first_then_the_longest_stale(cast, client, knowledge_repo) -> None:
    consular = ("или забран, консульство", "или забран, посольство")
    commit(knowledge_repo, "topics/consular_help.yaml", *consular, date="2026-10-01T12:00:00+00:00")
    commit(knowledge_repo, "meta/thanks.yaml", "Пожалуйста!", "Не за что!", date="2026-10-15T12:00:00+00:00")
    commit(knowledge_repo, TOPIC_FILE, "касается только", "касается лишь", date="2026-11-20T12:00:00+00:00")
    page = as_user(client, cast["translator"]).get(f"{QUEUE}?lang=tg").content.decode()
    assert [entry for entry, _, _ in sections(page)] == [TOPIC, "consular_help", "thanks"]
    meta = sections(page)[("thanks", "", "tg")]
    assert "<del>Пожалуйста</del><ins>Не за что</ins>" in meta
    assert "/knowledge/editor/" not in meta  # meta answers have no editor


def test_a_risk_question_is_confirmed_alone(cast, client, knowledge_repo) -> None:
    commit(knowledge_repo, "risk_rules.yaml", "Прямо сейчас вас задержала", "Сейчас вас задержала")
    as_user(client, cast["translator"])
    rows = sections(client.get(f"{QUEUE}?lang=ky").content.decode())
    assert set(rows) == {("risk_rules", "situation_now", "ky")}
    assert "<del>Прямо сейчас</del><ins>Сейчас</ins>" in rows[("risk_rules", "situation_now", "ky")]
    assert f'href="{reverse("knowledge-edit-rules")}?lang=ky"' in rows[("risk_rules", "situation_now", "ky")]
    client.post(CONFIRM, hidden(rows[("risk_rules", "situation_now", "ky")]))
    assert git(knowledge_repo, "show", "--format=%s", "--numstat", "HEAD").split("\n\n") == [
        "knowledge: risk_rules: situation_now: ky translation confirmed for the current Russian text",
        "1\t1\tknowledge/risk_rules.yaml",
    ]
    assert set(sections(client.get(QUEUE).content.decode())) == {
        ("risk_rules", "situation_now", "uz"),
        ("risk_rules", "situation_now", "tg"),
    }


def test_text_typed_as_html_is_escaped_in_the_queue(cast, client, knowledge_repo) -> None:
    commit(knowledge_repo, "meta/thanks.yaml", "Пожалуйста!", "<script>alert(1)</script> Пожалуйста!")
    page = as_user(client, cast["translator"]).get(QUEUE).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("role", ["staff", "outsider"])
def test_only_translators_and_lawyers_see_and_confirm(cast, client, changed_short, role) -> None:
    as_user(client, cast["lawyer_a"])
    form = hidden(sections(client.get(QUEUE).content.decode())[(TOPIC, "", "tg")])  # lawyers see the queue too
    as_user(client, cast[role])
    assert client.get(QUEUE).status_code == 403
    assert client.post(CONFIRM, form).status_code == 403
    assert not KnowledgeEvent.objects.exists()


def test_confirming_needs_the_csrf_token(cast, csrf_client, changed_short) -> None:
    as_user(csrf_client, cast["translator"])
    form = hidden(sections(csrf_client.get(QUEUE).content.decode())[(TOPIC, "", "tg")])
    without_token = {name: value for name, value in form.items() if name != "csrfmiddlewaretoken"}
    assert csrf_client.post(CONFIRM, without_token).status_code == 403
    assert not KnowledgeEvent.objects.exists()
    assert csrf_client.post(CONFIRM, form).status_code == 302  # the page's own form carries the token
    assert KnowledgeEvent.objects.count() == 1
