"""The topic page: the caller's language beside Russian, sources with notes, dates, contacts, copy text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.urls import reverse

from bot.knowledge.render import topic_answer
from bot.risk.live import serving
from bot.settings import REPO_ROOT
from desk.lookup import views
from desk.lookup.knowledge import knowledge
from desk.lookup.topics import topic_page

pytestmark = pytest.mark.django_db


def page_of(client: Client, topic_id: str, lang: str | None = None) -> str:
    url = reverse("lookup-topic", args=[topic_id]) + (f"?lang={lang}" if lang else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_tajik_and_russian_side_by_side_with_the_bots_text_to_copy(as_staff: Client) -> None:
    kb = knowledge()
    page = page_of(as_staff, "mercenarism_tj", "tg")
    topic = kb.topic("mercenarism_tj")
    assert 'data-script="tg"' in page and 'data-script="ru"' in page
    assert page.index('data-script="tg"') < page.index('data-script="ru"')
    assert topic.text["tg"].title in page and topic.text["ru"].title in page
    plain_tg = topic_answer(kb, "mercenarism_tj", "tg").text
    assert plain_tg.split("\n")[0] in page
    assert 'class="copy" data-copy="plain-tg"' in page and 'data-copy="plain-ru"' in page


def test_russian_alone_is_one_column(as_staff: Client) -> None:
    page = page_of(as_staff, "summons_received", "ru")
    assert page.count('class="column"') == 1


def test_every_language_of_the_picker_opens(as_staff: Client) -> None:
    for lang in ("ky", "ru", "uz", "uz_Cyrl", "tg"):
        assert f'data-script="{lang}"' in page_of(as_staff, "summons_received", lang)


def test_uzbek_cyrillic_is_transliterated() -> None:
    page = topic_page(knowledge(), "summons_received", "uz_Cyrl")
    assert page.columns[0].title != knowledge().topic("summons_received").text["uz"].title
    assert not any("a" <= char <= "z" for char in page.columns[0].title.lower())


def test_an_unknown_language_falls_back_to_russian_and_an_unknown_topic_is_404(as_staff: Client) -> None:
    assert page_of(as_staff, "summons_received", "xx").count('class="column"') == 1
    assert as_staff.get(reverse("lookup-topic", args=["no_such_topic"])).status_code == 404


def test_every_source_with_its_link_date_and_the_note_for_staff(as_staff: Client, monkeypatch) -> None:
    kb = knowledge()
    topic = kb.topic("summons_received")
    noted = topic.copy(
        update={"sources": [topic.sources[0].copy(update={"note": "Read in <b>Консультант</b>, ред. 2026"})]}
    )
    monkeypatch.setattr(views, "knowledge", lambda: dataclasses.replace(kb, topics={**kb.topics, topic.id: noted}))
    page = page_of(as_staff, "summons_received", "ky")
    source = noted.sources[0]
    assert str(source.url) in page and source.checked_on.isoformat() in page
    assert "Read in &lt;b&gt;Консультант&lt;/b&gt;, ред. 2026" in page


def test_every_source_is_listed(as_staff: Client) -> None:
    topic = knowledge().topic("mercenarism_tj")
    page = page_of(as_staff, "mercenarism_tj", "tg")
    for source in topic.sources:
        assert source.checked_on.isoformat() in page


def test_a_topic_past_its_review_date_warns() -> None:
    topic = knowledge().topic("summons_received")
    assert not topic_page(knowledge(), topic.id, "tg", today=topic.review_by).due_for_review
    assert topic_page(knowledge(), topic.id, "tg", today=topic.review_by + dt.timedelta(days=1)).due_for_review


def test_the_warning_shows_on_the_page(as_staff: Client, monkeypatch) -> None:
    kb = knowledge()
    topic = kb.topic("summons_received")
    old = topic.copy(update={"as_of": dt.date(2020, 1, 1), "review_by": dt.date(2020, 6, 1)})
    monkeypatch.setattr(views, "knowledge", lambda: dataclasses.replace(kb, topics={**kb.topics, topic.id: old}))
    page = page_of(as_staff, "summons_received", "tg")
    assert "2020-06-01" in page and 'class="warning" role="alert"' in page


def test_verified_contacts_with_their_dates(as_staff: Client) -> None:
    kb = knowledge()
    page = page_of(as_staff, "hotlines_human_help", "uz")
    for contact_id in ("mfa_kg", "mfa_uz", "mfa_tj"):
        contact = kb.contacts.by_id()[contact_id]
        assert contact.value in page and contact.last_verified_on.isoformat() in page


def test_related_topics_keep_the_callers_language(as_staff: Client) -> None:
    topic = knowledge().topic("summons_received")
    page = page_of(as_staff, "summons_received", "tg")
    assert topic.related
    for other in topic.related:
        assert reverse("lookup-topic", args=[other]) + "?lang=tg" in page


def test_the_risk_level_is_in_the_desks_language(client: Client, cast) -> None:
    client.force_login(cast["staff"])
    url = reverse("lookup-topic", args=["mercenarism_tj"])
    assert knowledge().topic("mercenarism_tj").risk_level.value == "high"
    assert '<span class="badge high">высокий</span>' in client.get(url).content.decode()
    english = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    assert '<span class="badge high">high</span>' in english


def test_a_published_change_shows_without_a_restart(as_staff: Client, tmp_path) -> None:
    copy = shutil.copytree(REPO_ROOT / "knowledge", tmp_path / "knowledge")
    with override_settings(KENESH=dataclasses.replace(django_settings.KENESH, knowledge_dir=copy)):
        old = knowledge().topic("summons_received").text["ru"].short
        new = old.replace("Сохраните повестку", "Сохраните повестку и её конверт", 1)
        assert old != new and new not in page_of(as_staff, "summons_received", "ru")
        path = copy / "topics" / "summons_received.yaml"
        temporary = path.with_name("summons_received.yaml.tmp")
        temporary.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        os.replace(temporary, path)  # as the publisher writes
        live = serving(copy)
        try:
            live.check(), live.check()  # what its watcher does: see the change, read it once it settled
            assert new in page_of(as_staff, "summons_received", "ru")
        finally:
            live.stop()
