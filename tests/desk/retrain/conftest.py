"""The retrain tests run on a copy of the live model's files in a temporary folder, with the state
folder there too: nothing here touches rasa_project/models or var/."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from bot.settings import Settings
from desk.retrain import runs

LIVE_FILES = ("kenesh.tar.gz", "language.skops", "kenesh.inputs-hash")


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Settings]:
    """The desk's settings with the model in tmp_path/models (a copy of the trained one, or stand-in files)."""
    models = tmp_path / "models"
    models.mkdir()
    source = django_settings.KENESH.model_path.parent
    for name in LIVE_FILES:
        if (source / name).exists():
            shutil.copy2(source / name, models / name)
        else:
            (models / name).write_bytes(b"stand-in for " + name.encode())
    settings = dataclasses.replace(
        django_settings.KENESH, model_path=models / "kenesh.tar.gz", state_dir=tmp_path / "state"
    )
    with override_settings(KENESH=settings):
        yield settings


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch, live: Settings) -> list[tuple[int, tuple[str, ...]]]:
    """Workers are not started: each launch is recorded as (run id, flags) instead."""
    calls: list[tuple[int, tuple[str, ...]]] = []
    monkeypatch.setattr(runs, "launch", lambda run, *flags: calls.append((run.pk, flags)))
    return calls
