"""The knowledge page is in Russian, plural forms included (tests/desk/test_desk_i18n.py: the catalog is complete)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.usefixtures("desk_reads_it")
def test_the_page_is_russian_by_default(cast, client: Client) -> None:
    client.force_login(cast["lawyer_a"])
    page = client.get(reverse("knowledge-status")).content.decode()
    assert "Переводы на проверку" in page and "2 ошибки" in page  # beta's two parity errors, plural form 2
