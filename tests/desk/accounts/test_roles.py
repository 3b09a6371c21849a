"""Roles are Groups made by a migration; every lookup view checks them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOOKUP_PAGES = [
    reverse("lookup-search"),
    reverse("lookup-topic", args=["summons_received"]),
    reverse("lookup-risk-check"),
]


def test_the_migration_makes_the_four_roles() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= {"staff", "lawyer", "translator", "admin"}


@pytest.mark.parametrize("page", LOOKUP_PAGES)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client: Client, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts-login"))


def test_an_htmx_request_after_the_session_ended_gets_a_client_redirect(client: Client) -> None:
    response = client.post(reverse("lookup-search"), {"q": "x"}, headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == reverse("accounts-login")


@pytest.mark.parametrize("role", ["staff", "lawyer_a", "admin"])
@pytest.mark.parametrize("page", LOOKUP_PAGES)
def test_staff_lawyers_and_admins_may_look_up(cast, client: Client, role: str, page: str, no_rasa) -> None:
    client.force_login(cast[role])
    assert client.get(page).status_code == 200


@pytest.mark.parametrize("role", ["translator", "outsider"])
@pytest.mark.parametrize("page", LOOKUP_PAGES)
def test_translators_and_accounts_without_a_role_get_403(cast, client: Client, role: str, page: str) -> None:
    client.force_login(cast[role])
    assert client.get(page).status_code == 403


def test_a_deactivated_account_cannot_use_the_desk(cast, client: Client) -> None:
    cast["staff"].is_active = False
    cast["staff"].save()
    client.force_login(cast["staff"])
    assert client.get(reverse("lookup-search")).status_code == 302


def test_only_admins_reach_the_accounts_admin(cast, client: Client) -> None:
    client.force_login(cast["staff"])
    assert client.get("/admin/auth/user/").status_code == 302  # to the admin's own login
    client.force_login(cast["admin"])
    assert client.get("/admin/auth/user/").status_code == 200


def test_healthz_needs_no_login(client: Client) -> None:
    assert client.get("/healthz").content == b"ok"
