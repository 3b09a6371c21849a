"""The desk's own words: Russian first (the default), English too; the Russian catalog is complete."""

from __future__ import annotations

import re

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.test import Client

from bot.settings import REPO_ROOT

CATALOG = REPO_ROOT / "desk" / "locale" / "ru" / "LC_MESSAGES"
TEMPLATES = REPO_ROOT / "desk" / "templates"


def po():
    with open(CATALOG / "django.po", "rb") as file:
        return read_po(file, locale="ru")


def test_every_string_is_translated_and_none_is_fuzzy() -> None:
    catalog = po()
    untranslated = [m.id for m in catalog if m.id and (not m.string or "fuzzy" in m.flags)]
    assert untranslated == []


def test_the_compiled_catalog_matches_the_po_file() -> None:
    def entries(catalog) -> dict:  # the .po and .mo readers give plurals and contexts in other types
        def same(value: str | list | tuple) -> str | tuple:
            return value if isinstance(value, str) else tuple(value)

        def context(value: str | bytes | None) -> str | None:  # Babel's .mo reader gives bytes
            return value.decode() if isinstance(value, bytes) else value

        return {(context(m.context), same(m.id)): same(m.string) for m in catalog if m.id}

    with open(CATALOG / "django.mo", "rb") as file:
        compiled = entries(read_mo(file))
    assert compiled == entries(po())  # compiled when Django started (catalogs.py)


def test_every_template_string_is_in_the_catalog() -> None:
    ids = {m.id for m in po()}
    found = {
        text
        for template in TEMPLATES.rglob("*.html")
        for text in re.findall(r'{% translate "([^"]+)" %}', template.read_text(encoding="utf-8"))
    }
    assert found and found <= ids, sorted(found - ids)


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "expected"), [("ru", "Войти"), ("en-US,en;q=0.9", "Log in"), ("", "Войти")])
def test_russian_first_english_on_request(client: Client, accept: str, expected: str) -> None:
    page = client.get("/accounts/login/", headers={"Accept-Language": accept} if accept else {}).content.decode()
    assert f">{expected}<" in page or f"{expected}</" in page


@pytest.mark.django_db
def test_the_header_switches_the_language_with_a_post_that_needs_the_csrf_token(cast, csrf_client: Client) -> None:
    csrf_client.force_login(cast["staff"])
    page = csrf_client.get("/lookup/").content.decode()
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in page
    assert csrf_client.post("/language/", {"language": "en", "next": "/lookup/"}).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    switched = csrf_client.post("/language/", {"language": "en", "next": "/lookup/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302 and switched.url == "/lookup/"
    english = csrf_client.get("/lookup/").content.decode()
    assert ">Log out<" in english and 'value="ru" lang="ru">Русский</button>' in english


@pytest.mark.django_db
def test_the_login_page_has_the_switch_too(client: Client) -> None:
    response = client.post("/language/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert ">Log in<" in client.get("/accounts/login/").content.decode()


def test_a_catalog_compiled_after_django_read_its_translations_is_used_at_once(tmp_path) -> None:
    """On a fresh clone the .mo does not exist yet when an app loaded before ours (the admin) makes
    Django read the Russian catalogs; compiling it then must still take effect."""
    import shutil

    from django.test import override_settings
    from django.utils import translation

    from desk.kenesh_desk.catalogs import compile_catalogs

    locale = tmp_path / "locale"
    shutil.copytree(REPO_ROOT / "desk" / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    with override_settings(LOCALE_PATHS=[locale]), translation.override("ru"):
        assert translation.gettext("Week from") == "Week from"  # read, and cached, without our catalog
        assert compile_catalogs(locale) == [locale / "ru" / "LC_MESSAGES" / "django.mo"]
        assert translation.gettext("Week from") == "Неделя с"
