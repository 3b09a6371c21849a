"""`manage.py adduser NAME --role ROLE` (what `python -m bot desk adduser` runs)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def adduser(monkeypatch: pytest.MonkeyPatch, *args: str, password: str = "a long enough password") -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("adduser", *args, "--password-stdin", stdout=out)
    return out.getvalue()


def test_it_adds_an_account_with_its_role(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Added dilnoza (staff)" in adduser(monkeypatch, "dilnoza", "--role", "staff")
    user = User.objects.get(username="dilnoza")
    assert list(user.groups.values_list("name", flat=True)) == ["staff"]
    assert not user.is_staff and not user.is_superuser
    assert user.check_password("a long enough password")


def test_an_admin_gets_the_accounts_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    adduser(monkeypatch, "aziz", "--role", "admin")
    user = User.objects.get(username="aziz")
    assert user.is_staff and user.is_superuser


def test_a_weak_password_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(CommandError):
        adduser(monkeypatch, "bakyt", "--role", "staff", password="12345678")
    assert not User.objects.filter(username="bakyt").exists()


def test_a_name_is_not_given_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    adduser(monkeypatch, "aziz", "--role", "staff")
    with pytest.raises(CommandError, match="already"):
        adduser(monkeypatch, "aziz", "--role", "admin")


def test_an_unknown_role_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(CommandError):
        adduser(monkeypatch, "aziz", "--role", "owner")


def test_a_staff_account_is_linked_to_its_telegram_id(monkeypatch: pytest.MonkeyPatch) -> None:
    from desk.cases.models import StaffLink

    assert "Telegram user 123456" in adduser(monkeypatch, "dilnoza", "--role", "staff", "--telegram-id", "123456")
    assert StaffLink.objects.get(telegram_id=123456).user.username == "dilnoza"
    with pytest.raises(CommandError, match="already linked"):
        adduser(monkeypatch, "aziz", "--role", "admin", "--telegram-id", "123456")
    with pytest.raises(CommandError, match="only staff and admin"):
        adduser(monkeypatch, "bakyt", "--role", "lawyer", "--telegram-id", "777")
    assert not User.objects.filter(username__in=["aziz", "bakyt"]).exists()
