"""The desk's fixed cast, as in healthchecks' hc/test.py: one account per role, plus an outsider.

staff (answers callers), lawyer_a and lawyer_b, translator, admin, outsider (an account with no
role). Unit tests log in with force_login(); only the login tests post to the real form, since
django-axes needs the request. `csrf_client` enforces CSRF as a browser would meet it.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings

PASSWORD = "a long test password 4 desk"


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing():
    """Six accounts per test: a hasher built to be slow would make the suite slow (passwords are still checked)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def _user(username: str, *roles: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])  # a transactional test flushed them
    if "admin" in roles:
        user.is_staff = user.is_superuser = True
        user.save()
    return user


@pytest.fixture
def cast(db) -> dict[str, User]:
    return {
        "staff": _user("staff", "staff"),
        "lawyer_a": _user("lawyer_a", "lawyer"),
        "lawyer_b": _user("lawyer_b", "lawyer"),
        "translator": _user("translator", "translator"),
        "admin": _user("admin", "admin"),
        "outsider": _user("outsider"),
    }


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def as_staff(cast, client: Client) -> Client:
    client.force_login(cast["staff"])
    return client


@pytest.fixture
def no_rasa(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rasa is not running: the lookup searches the answers' text alone."""
    from desk.lookup import rasa

    monkeypatch.setattr(rasa, "intent_ranking", lambda text: None)


@pytest.fixture
def fake_rasa(monkeypatch: pytest.MonkeyPatch):
    """Rasa answers with a fixed ranking: fake_rasa([("summons_received", 0.9), …])."""
    from desk.lookup import rasa

    def answer(ranking: list[tuple[str, float]]) -> None:
        monkeypatch.setattr(rasa, "intent_ranking", lambda text: list(ranking))

    return answer


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory) -> None:
    """The SQLite test database is a file, not Django's shared in-memory one: the browser tests' live
    server answers the bot process in threads of its own while the test reads the same tables, and a
    shared in-memory database then says "table is locked" where a file waits its turn (busy timeout)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("desk-db") / "test.sqlite3")
