"""`make bench`: a real retrain beside the live model, then the swap, while a fake user keeps asking.

The real action and Rasa servers and the real bot process run against a fake Bot API, with a
temporary copy of the live model (the repository's model is never touched). A new user asks a
question every ASK_EVERY seconds from before training starts until SETTLE seconds after the swap.
The candidate is trained and put live exactly as the desk's worker does (bot.nlu.retrain:
train_candidate, put_live: Rasa's PUT /model, then the files renamed over the live ones).
Prints: retrain time, swap time, and questions answered / asked, overall and during the swap
(asked from one reply timeout before it began until it ended). Asserts nothing.

Run from the repository root: `python -m bench.retrain_bench` (`make bench` does).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from bench.rasa_bench import free_port
from bench.telegram_bench import start_bot
from bot.language.i18n import gettext_for
from bot.nlu import retrain
from bot.servers import Servers
from bot.settings import Settings
from bot.telegram_ui.formatting import escape
from tests.fake_bot_api import FakeBotAPI

ASK_EVERY = 0.5  # seconds
SETTLE = 10.0  # seconds of asking after the swap
QUESTION = "мне пришла электронная повестка, что делать?"
FIRST_USER = 9_400_001
APOLOGY = "Sorry, the assistant is not available right now. Please try again in a few minutes."


class Asker(threading.Thread):
    """Asks QUESTION as a new user every ASK_EVERY seconds until stopped; remembers when each was asked."""

    def __init__(self, fake: FakeBotAPI) -> None:
        super().__init__(daemon=True)
        self.fake, self.stop = fake, threading.Event()
        self.asked: list[tuple[int, int, float]] = []  # (user, mark, when asked)

    def run(self) -> None:
        user = FIRST_USER
        while not self.stop.is_set():
            self.asked.append((user, self.fake.mark(), time.perf_counter()))
            self.fake.text(user, QUESTION)
            user += 1
            self.stop.wait(ASK_EVERY)


def answered(fake: FakeBotAPI, user: int, mark: int, deadline: float) -> bool:
    """The user got a reply that is not the apology, before `deadline`."""
    apology = escape(gettext_for("ru")(APOLOGY))
    while time.perf_counter() < deadline:
        replies = fake.messages_to(user, mark)
        if replies:
            return not any(apology in reply.text for reply in replies)
        time.sleep(0.1)
    return False


def copy_live_model(base: Settings, folder: Path) -> Path:
    models = folder / "models"
    models.mkdir()
    for path in (
        base.model_path,
        base.language_model_path,
        base.model_path.with_suffix("").with_suffix(".inputs-hash"),
    ):
        shutil.copy2(path, models / path.name)
    return models / base.model_path.name


def main() -> None:
    base = Settings.from_env()
    print(f"Retrain benchmark on {os.cpu_count()} cores: train beside the live model, swap, asking every {ASK_EVERY} s")
    with tempfile.TemporaryDirectory() as folder:
        settings = dataclasses.replace(
            base,
            model_path=copy_live_model(base, Path(folder)),
            state_dir=Path(folder) / "state",
            rasa_port=free_port(),
            action_port=free_port(),
        )
        fake = FakeBotAPI().start()
        with Servers(settings) as servers:
            asyncio.run(servers.wait_until_ready())
            bot = start_bot(fake, settings, Path(folder) / "bot.log")
            asker = Asker(fake)
            try:
                model = retrain.candidate(settings, "bench")
                asker.start()
                started = time.perf_counter()
                with (Path(folder) / "train.log").open("w") as log:
                    retrain.train_candidate(settings, model, log)
                swap_start = time.perf_counter()
                retrain.put_live(settings, model)
                swap_end = time.perf_counter()
                time.sleep(SETTLE)
                asker.stop.set()
                asker.join()
                deadline = time.perf_counter() + 60
                results = [(at, answered(fake, user, mark, deadline)) for user, mark, at in asker.asked]
            finally:
                asker.stop.set()
                bot.terminate()
                bot.wait(timeout=30)
                fake.stop()
    window = [ok for at, ok in results if swap_start - base.reply_timeout <= at <= swap_end]
    print(f"retrain (export + rasa train + language identifier): {swap_start - started:.0f} s")
    print(f"swap (PUT /model until Rasa answered 204): {swap_end - swap_start:.2f} s")
    print(f"questions answered / asked, whole run: {sum(ok for _, ok in results)} / {len(results)}")
    print(f"questions answered / asked during the swap: {sum(window)} / {len(window)}")


if __name__ == "__main__":
    main()
