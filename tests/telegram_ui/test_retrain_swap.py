"""End to end: a real retrain beside the live model and its swap into the running Rasa server, while a
fake Telegram user asks a question every half second; every question gets its answer, none an apology.
Trains for real once (minutes); bench/retrain_bench.py measures the same run's times."""

from __future__ import annotations

import dataclasses
import shutil
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from bot_process import assistant_on
from fake_bot_api import FakeBotAPI

from bot.language.i18n import gettext_for
from bot.nlu import retrain
from bot.nlu.training import hash_file
from bot.settings import Settings
from bot.telegram_ui.formatting import escape

pytestmark = pytest.mark.model

QUESTION = "мне пришла электронная повестка, что делать?"
FIRST_USER = 7_600_001
APOLOGY = "Sorry, the assistant is not available right now. Please try again in a few minutes."


@dataclasses.dataclass
class Assistant:
    settings: Settings
    fake: FakeBotAPI


@pytest.fixture(scope="module")
def assistant(trained_settings: Settings, own_telegram: FakeBotAPI, tmp_path_factory) -> Iterator[Assistant]:
    """The servers and the bot on a copy of the live model's files (the repository's stay untouched)."""
    root = tmp_path_factory.mktemp("retrain")
    models = root / "models"
    models.mkdir()
    for path in (trained_settings.model_path, trained_settings.language_model_path, hash_file(trained_settings)):
        shutil.copy2(path, models / path.name)
    settings = dataclasses.replace(trained_settings, model_path=models / trained_settings.model_path.name)
    with assistant_on(settings.knowledge_dir, settings, own_telegram, root / "state", "retrain") as bot:
        yield Assistant(bot.settings, own_telegram)


def rasa_model_id(settings: Settings) -> str:
    return httpx.get(f"{settings.rasa_base_url}/status", timeout=10).json()["model_id"]


def keep_asking(fake: FakeBotAPI, asked: list[tuple[int, int]], stop: threading.Event) -> None:
    """A new user asks every half second until `stop` (one question each: no flood limit is met)."""
    user = FIRST_USER
    while not stop.is_set():
        asked.append((user, fake.mark()))
        fake.text(user, QUESTION)
        user += 1
        stop.wait(0.5)


def test_every_question_asked_during_a_retrain_and_its_swap_is_answered(assistant: Assistant) -> None:
    settings, fake = assistant.settings, assistant.fake
    model = retrain.candidate(settings, "e2e")
    old_model_id = rasa_model_id(settings)
    asked: list[tuple[int, int]] = []
    stop = threading.Event()
    asker = threading.Thread(target=keep_asking, args=(fake, asked, stop), daemon=True)
    asker.start()
    try:
        with (settings.state_dir / "train.log").open("w") as log:
            retrain.train_candidate(settings, model, log)
        digest = hash_file(model).read_text()
        retrain.put_live(settings, model)
        time.sleep(5.0)  # questions asked just after the swap count too
    finally:
        stop.set()
        asker.join()
    assert len(asked) > 20

    apology = escape(gettext_for("ru")(APOLOGY))
    fake.wait_for(lambda: all(fake.messages_to(user, mark) for user, mark in asked), timeout=60)
    apologised = [user for user, mark in asked if any(apology in s.text for s in fake.messages_to(user, mark))]
    assert not apologised, f"{len(apologised)} of {len(asked)} questions got the apology"

    assert rasa_model_id(settings) != old_model_id  # Rasa serves the new model
    assert hash_file(settings).read_text() == digest and not model.model_path.parent.exists()
