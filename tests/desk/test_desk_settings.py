"""Production settings pass `check --deploy`; every response carries the security headers."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client

from bot.settings import REPO_ROOT

DUMMY_KEY = "dummy-" + "x7Qk2mZ9" * 8


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KENESH_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, str(REPO_ROOT / "desk" / "manage.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, **env},
    )


@pytest.mark.slow
def test_check_deploy_is_clean_with_the_production_settings(tmp_path) -> None:
    done = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        KENESH_DESK_PRODUCTION="on",
        KENESH_DESK_SECRET_KEY=DUMMY_KEY,
        KENESH_DESK_ALLOWED_HOSTS="desk.example.org",
        KENESH_STATE_DIR=str(tmp_path),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.slow
def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    done = manage("check", KENESH_DESK_PRODUCTION="on", KENESH_STATE_DIR=str(tmp_path))
    assert done.returncode != 0
    assert "KENESH_DESK_SECRET_KEY" in done.stderr


@pytest.mark.django_db
def test_every_page_has_the_security_headers(client: Client) -> None:
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_page_has_an_inline_script_or_style(as_staff: Client, no_rasa) -> None:
    import re

    for url in ("/accounts/login/", "/lookup/", "/lookup/topics/summons_received/?lang=tg", "/lookup/risk-check/"):
        page = as_staff.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert "<style" not in page and " style=" not in page and " onclick=" not in page, url


def test_the_desk_listens_on_loopback_by_default() -> None:
    from bot.settings import Settings

    assert Settings.from_env({}).desk_host == "127.0.0.1"
    assert Settings.from_env({}).desk_base_url == "http://127.0.0.1:8000"


def test_a_database_url_gives_django_its_postgresql_settings() -> None:
    from bot.settings import Settings
    from desk.kenesh_desk.settings import _database

    url = "postgresql://desk:p%40ss%2Fword@db.internal/kenesh_desk"
    database = _database(Settings.from_env({"KENESH_DESK_DATABASE_URL": url}))
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("kenesh_desk", "desk", "p@ss/word")
    assert (database["HOST"], database["PORT"]) == ("db.internal", "5432")


def test_a_database_url_that_is_not_postgresql_is_refused() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from bot.settings import Settings
    from desk.kenesh_desk.settings import _database

    with pytest.raises(ImproperlyConfigured, match="postgresql://"):
        _database(Settings.from_env({"KENESH_DESK_DATABASE_URL": "mysql://desk@db.internal/kenesh_desk"}))


def test_a_sqlite_url_names_another_database_file(tmp_path) -> None:
    """As a worker started by the desk is given its database (tests/desk/browser/test_retrain_in_chromium.py)."""
    from bot.settings import Settings
    from desk.kenesh_desk.settings import _database

    path = tmp_path / "a folder" / "desk.sqlite3"
    database = _database(Settings.from_env({"KENESH_DESK_DATABASE_URL": f"sqlite://{path.as_uri()[len('file://') :]}"}))
    assert (database["ENGINE"], database["NAME"]) == ("django.db.backends.sqlite3", str(path))
    default = _database(Settings.from_env({"KENESH_STATE_DIR": str(tmp_path)}))
    assert default["NAME"] == tmp_path.resolve() / "desk.sqlite3"  # without a URL: the state folder's


def test_the_desk_uses_its_own_database_on_the_production_postgresql_server_unless_a_url_says_otherwise() -> None:
    from bot.settings import Settings
    from desk.kenesh_desk.settings import _database

    server = {"KENESH_POSTGRES_HOST": "db.internal", "KENESH_POSTGRES_USER": "kenesh", "KENESH_POSTGRES_PASSWORD": "pw"}
    database = _database(Settings.from_env(server))
    assert (database["HOST"], database["NAME"], database["USER"]) == ("db.internal", "kenesh_desk", "kenesh")
    url = "postgresql://desk:pw@other.internal:6432/desk"
    database = _database(Settings.from_env({**server, "KENESH_DESK_DATABASE_URL": url}))
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("other.internal", "6432", "desk")
