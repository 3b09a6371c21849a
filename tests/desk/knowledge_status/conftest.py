"""The knowledge page's tests read the small knowledge base of fixture_kb.py, on its fixed TODAY."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from desk.knowledge_status import views
from tests.desk.knowledge_status.fixture_kb import TODAY, write_knowledge_base


@pytest.fixture
def knowledge_root(tmp_path: Path) -> Path:
    return write_knowledge_base(tmp_path / "knowledge")


@pytest.fixture
def desk_reads_it(knowledge_root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The desk reads the fixture knowledge base, and its date is TODAY."""
    monkeypatch.setattr(views, "today", lambda: TODAY)
    with override_settings(KENESH=dataclasses.replace(django_settings.KENESH, knowledge_dir=knowledge_root)):
        yield knowledge_root
