"""Logging in: Django's auth behind django-axes (5 failures per name and address → 15 minutes)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.desk.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts-login")


def post_login(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_the_right_password_logs_in(cast, client: Client) -> None:
    response = post_login(client, "staff", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("lookup-search")


def test_a_wrong_password_is_refused(cast, client: Client) -> None:
    response = post_login(client, "staff", "not the password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "error" in response.content.decode()


def test_after_five_failures_the_account_is_locked_even_with_the_right_password(cast, client: Client) -> None:
    for _ in range(4):
        assert post_login(client, "staff", "wrong").status_code == 200
    assert post_login(client, "staff", "wrong").status_code == 429
    assert post_login(client, "staff", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_lock_out_a_colleague_at_the_same_address(cast, client: Client) -> None:
    for _ in range(5):
        post_login(client, "staff", "wrong")
    assert post_login(Client(), "lawyer_a", PASSWORD).status_code == 302


def test_a_post_without_a_csrf_token_is_rejected(cast, csrf_client: Client) -> None:
    assert csrf_client.post(LOGIN, {"username": "staff", "password": PASSWORD}).status_code == 403


def test_a_post_with_the_token_from_the_page_logs_in(cast, csrf_client: Client) -> None:
    csrf_client.get(LOGIN)
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(LOGIN, {"username": "staff", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_logout_is_post_only(cast, client: Client) -> None:
    client.force_login(cast["staff"])
    assert client.get(reverse("accounts-logout")).status_code == 405
    assert client.post(reverse("accounts-logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_there_is_no_sign_up_page(client: Client) -> None:
    assert client.get("/accounts/signup/").status_code in (302, 404)


def test_the_session_lasts_one_shift_and_ends_with_the_browser() -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert not settings.SESSION_SAVE_EVERY_REQUEST
