"""The real bot process (`python -m bot telegram`) started against a fake Bot API, for the tests."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from fake_bot_api import FakeBotAPI

from bot.privacy import Pseudonymizer, pseudonym_key
from bot.settings import Settings


@dataclass
class BotProcess:
    """`python -m bot telegram`, running against the fake Bot API and the real servers."""

    process: subprocess.Popen
    log: Path
    settings: Settings

    def pseudonym(self, user_id: int) -> str:
        return Pseudonymizer(pseudonym_key(self.settings))(user_id)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_bot(fake: FakeBotAPI, settings: Settings, name: str, **extra: str) -> BotProcess:
    """Start the bot process with the given extra environment; wait until it polls (or listens)."""
    env: dict[str, str] = {k: v for k, v in os.environ.items() if not k.startswith(("KENESH_", "TELEGRAM_"))}
    env.update(
        {
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "KENESH_RASA_URL": settings.rasa_base_url,
            "KENESH_STATE_DIR": str(settings.state_dir),
            "KENESH_LOG_LEVEL": "DEBUG",
            "KENESH_DESK": "off",  # no desk runs here: no handoff (tests/telegram_ui/test_handoff.py tests it)
            **extra,
        }
    )
    log = settings.state_dir / "log" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "telegram"], env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )
    ready = "setWebhook" if "TELEGRAM_WEBHOOK_URL" in extra else "getUpdates"
    calls_before = len(fake.calls)
    try:
        fake.wait_for(
            lambda: ready in [method for method, _ in fake.calls[calls_before:]] or process.poll() is not None,
            timeout=60,
        )
    except AssertionError:
        process.kill()
        raise
    if process.poll() is not None:
        raise AssertionError(f"the bot exited ({process.returncode}):\n{log.read_text()[-3000:]}")
    return BotProcess(process, log, settings)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
