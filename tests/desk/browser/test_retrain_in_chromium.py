"""A lawyer retrains the model from the desk in headless Chromium while a fake Telegram user keeps
asking: the real worker (`manage.py run_training`, started by the button, detached) trains a
candidate beside the live model, measures both as `make eval` does, and puts the new one live with
Rasa's `PUT /model`; the page follows it without a reload; every question asked meanwhile gets its
answer and none the apology. Trains for real once (minutes). bench/retrain_bench.py measures the times.

The live model here is a copy (the repository's stays untouched). The worker is a process of its own
and reads its settings from the environment, as under supervisord: the test gives it the copy, the
running Rasa, the bot's state folder (where the swap marker is, bot.nlu.swap) and this test's
database. Takes docs/img/desk-retrain.png.
"""

from __future__ import annotations

import dataclasses
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from playwright.sync_api import expect

from bot.language.i18n import gettext_for
from bot.nlu.training import hash_file, inputs_hash
from bot.settings import Settings
from bot.telegram_ui.formatting import escape
from tests.desk.browser.conftest import log_in, screenshot
from tests.fake_bot_api import FakeBotAPI
from tests.telegram_ui.bot_process import BotProcess, assistant_on

pytestmark = pytest.mark.model

QUESTION = "мне пришла электронная повестка, что делать?"
FIRST_USER = 7_700_001
APOLOGY = "Sorry, the assistant is not available right now. Please try again in a few minutes."
TRAINING = 1_800_000  # ms the page may take to show the run live: a retraining takes 3 to 12 minutes here


@pytest.fixture
def assistant(trained_settings: Settings, tmp_path: Path) -> Iterator[tuple[BotProcess, FakeBotAPI]]:
    """Rasa, the actions and the bot on a copy of the live model's files."""
    models = tmp_path / "models"
    models.mkdir()
    for path in (trained_settings.model_path, trained_settings.language_model_path, hash_file(trained_settings)):
        shutil.copy2(path, models / path.name)
    settings = dataclasses.replace(trained_settings, model_path=models / trained_settings.model_path.name)
    fake = FakeBotAPI().start()
    try:
        with assistant_on(settings.knowledge_dir, settings, fake, tmp_path / "state", "retrain") as bot:
            yield bot, fake
    finally:
        fake.stop()


@pytest.fixture
def desk_on_the_copy(assistant, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The desk (here) and its worker (a process started by the button) on the assistant's model,
    Rasa and state folder; the worker's database is this test's."""
    settings = assistant[0].settings
    monkeypatch.setenv("KENESH_DESK_DATABASE_URL", f"sqlite://{django_settings.DATABASES['default']['NAME']}")
    monkeypatch.setenv("KENESH_MODEL_PATH", str(settings.model_path))
    monkeypatch.setenv("KENESH_STATE_DIR", str(settings.state_dir))
    monkeypatch.setenv("KENESH_RASA_URL", settings.rasa_base_url)
    kenesh = dataclasses.replace(
        django_settings.KENESH,
        model_path=settings.model_path,
        state_dir=settings.state_dir,
        rasa_url=settings.rasa_base_url,
    )
    with override_settings(KENESH=kenesh):
        yield settings


@pytest.fixture
def retrainers_as_migrated(cast) -> None:
    """Lawyers may retrain, as migration retrain/0002 made it (a transactional test's flush empties the grants)."""
    from django.contrib.auth.models import Group, Permission

    permission = Permission.objects.get(content_type__app_label="retrain", codename="start_training")
    Group.objects.get(name="lawyer").permissions.add(permission)


def keep_asking(fake: FakeBotAPI, asked: list[tuple[int, int]], stop: threading.Event) -> None:
    """A new user asks every half second until `stop` (one question each: no flood limit is met)."""
    user = FIRST_USER
    while not stop.is_set():
        asked.append((user, fake.mark()))
        fake.text(user, QUESTION)
        user += 1
        stop.wait(0.5)


def test_a_lawyer_retrains_while_a_user_keeps_asking_and_no_question_is_lost(
    assistant, desk_on_the_copy: Settings, page, retrainers_as_migrated
) -> None:
    settings, (_bot, fake) = desk_on_the_copy, assistant
    old_model = httpx.get(f"{settings.rasa_base_url}/status", timeout=10).json()["model_id"]
    log_in(page, "lawyer_a")
    page.goto("/knowledge/retrain/")
    expect(page.locator("p.up-to-date")).to_be_visible()

    asked: list[tuple[int, int]] = []
    stop = threading.Event()
    asker = threading.Thread(target=keep_asking, args=(fake, asked, stop), daemon=True)
    asker.start()
    try:
        page.click("form[action$='/retrain/start'] button")
        expect(page.locator("#retrain-panel p.state.training, #retrain-panel p.state.evaluating")).to_be_visible()
        page.evaluate("window.samePage = true")  # gone if the page reloads
        expect(page.locator("#retrain-panel p.state")).to_have_class("state live", timeout=TRAINING)
        stop.wait(5.0)  # questions asked just after the swap count too
    finally:
        stop.set()
        asker.join()
    assert page.evaluate("window.samePage") is True
    expect(page.locator("table.figures.after tbody tr")).to_have_count(4)
    screenshot(page, "desk-retrain")

    assert len(asked) > 20
    apology = escape(gettext_for("ru")(APOLOGY))
    fake.wait_for(lambda: all(fake.messages_to(user, mark) for user, mark in asked), timeout=60)
    apologised = [user for user, mark in asked if any(apology in s.text for s in fake.messages_to(user, mark))]
    assert not apologised, f"{len(apologised)} of {len(asked)} questions got the apology"
    assert httpx.get(f"{settings.rasa_base_url}/status", timeout=10).json()["model_id"] != old_model
    candidates = settings.model_path.parent / "candidates"
    assert not candidates.exists() or not any(candidates.iterdir())  # the candidate's files are now the live ones
    assert hash_file(settings).read_text().strip() == inputs_hash(knowledge=settings.knowledge_dir)
