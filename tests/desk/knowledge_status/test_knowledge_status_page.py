"""The knowledge page: who may see it, its rows in order of urgency, its filters, its links."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("desk_reads_it")]
URL = reverse("knowledge-status")


def entries(page: str) -> list[str]:
    return re.findall(r'<tr data-entry="([^"]+)"', page)


def page_for(client: Client, user, query: str = "") -> str:
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["staff", "outsider"])
def test_staff_and_accounts_without_a_role_get_403(cast, client: Client, role: str) -> None:
    client.force_login(cast[role])
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("role", ["lawyer_a", "translator", "admin"])
def test_lawyers_translators_and_admins_see_every_entry_most_urgent_first(cast, client: Client, role: str) -> None:
    page = page_for(client, cast[role])
    assert entries(page) == ["gamma", "delta", "alpha", "beta", "risk_rules", "omega", "greet"]


def test_the_page_shows_each_state(cast, client: Client) -> None:
    page = page_for(client, cast["lawyer_a"])
    beta = page[page.index('data-entry="beta"') : page.index('data-entry="risk_rules"')]
    assert '<td class="translation stale" data-lang="tg">' in beta
    assert '<td class="translation unconfirmed" data-lang="uz">' in beta
    assert '<td class="translation confirmed" data-lang="ky">' in beta
    alpha = page[page.index('data-entry="alpha"') : page.index('data-entry="beta"')]
    assert '<td class="review past">' in alpha and "2026-11-30" in alpha
    delta = page[page.index('data-entry="delta"') : page.index('data-entry="alpha"')]
    assert '<td class="review soon">' in delta and 'hotline <span class="date">2026-10-28</span>' in delta
    gamma = page[page.index('data-entry="gamma"') : page.index('data-entry="delta"')]
    assert '<td class="sources past">' in gamma and "2025-05-01" in gamma
    assert 'data-contact="hotline"' in page and 'data-contact="site"' not in page


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("translations", ["beta", "risk_rules"]),
        ("review", ["delta", "alpha"]),
        ("sources", ["gamma"]),
        ("contacts", ["delta"]),
        ("no-such-filter", ["gamma", "delta", "alpha", "beta", "risk_rules", "omega", "greet"]),
    ],
)
def test_filters_by_state(cast, client: Client, show: str, expected: list[str]) -> None:
    assert entries(page_for(client, cast["lawyer_a"], f"?show={show}")) == expected


def test_topics_link_to_their_desk_page_for_those_who_may_look_up(cast, client: Client) -> None:
    link = f'href="{reverse("lookup-topic", args=["beta"])}"'
    assert link in page_for(client, cast["lawyer_a"])
    assert link not in page_for(client, cast["translator"])  # translators have no lookup (403 there)
    assert reverse("lookup-topic", args=["greet"]) not in page_for(client, cast["lawyer_a"])  # a meta answer


def test_the_header_links_to_the_page_for_those_who_may_see_it(cast, client: Client) -> None:
    assert f'href="{URL}"' in page_for(client, cast["translator"])
    client.force_login(cast["staff"])
    assert f'href="{URL}"' not in client.get(reverse("lookup-search")).content.decode()


def test_kb_lint_messages_are_shown_escaped(cast, client: Client, desk_reads_it) -> None:
    path = desk_reads_it / "topics" / "omega.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("related: []\n", "") + "related: ['<b>x</b>']\n")
    page = page_for(client, cast["lawyer_a"])
    omega = page[page.index('data-entry="omega"') :]
    assert "unknown topic id &#x27;&lt;b&gt;x&lt;/b&gt;&#x27;" in omega and "<b>x</b>" not in page


def test_only_get(cast, client: Client) -> None:
    client.force_login(cast["lawyer_a"])
    assert client.post(URL).status_code == 405


def test_the_drafts_column_counts_the_editors_open_drafts(cast) -> None:
    from desk.knowledge_editor.models import Draft
    from desk.knowledge_status.views import open_drafts

    for topic, status in (("beta", "in_review"), ("alpha", "published"), ("gamma", "withdrawn")):
        Draft.objects.create(topic_id=topic, base_blob="0" * 40, status=status, author=cast["lawyer_a"])
    Draft.objects.create(topic_id="alpha", base_blob="0" * 40, author=cast["lawyer_b"])  # a new draft after publishing
    assert open_drafts() == {"beta": 1, "alpha": 1}
