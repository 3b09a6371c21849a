"""The knowledge page's words have their own Russian catalog (desk/knowledge_status/locale), complete."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.urls import reverse

from bot.settings import REPO_ROOT

APP = REPO_ROOT / "desk" / "knowledge_status"


def catalog():
    with open(APP / "locale" / "ru" / "LC_MESSAGES" / "django.po", "rb") as file:
        return read_po(file, locale="ru")


def test_every_string_of_the_page_is_translated() -> None:
    messages = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog() if m.id}
    template = (APP / "templates" / "knowledge_status" / "status.html").read_text(encoding="utf-8")
    found = set(re.findall(r'{% translate "([^"]+)" %}', template))
    assert found and found <= set(messages), sorted(found - set(messages))
    assert [m for m in messages.values() if not all(m.string if isinstance(m.string, tuple) else [m.string])] == []


@pytest.mark.django_db
@pytest.mark.usefixtures("desk_reads_it")
def test_the_page_is_russian_by_default(cast, client: Client) -> None:
    client.force_login(cast["lawyer_a"])
    page = client.get(reverse("knowledge-status")).content.decode()
    assert "Переводы на проверку" in page and "2 ошибки" in page  # beta's two parity errors, plural form 2
