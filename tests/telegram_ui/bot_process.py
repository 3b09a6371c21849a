"""The real bot process (`python -m bot telegram`) started against a fake Bot API, for the tests."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fake_bot_api import FakeBotAPI

from bot.privacy import Pseudonymizer, pseudonym_key
from bot.servers import Servers
from bot.settings import Settings
from bot.telegram_ui.formatting import escape


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


@contextmanager
def assistant_on(knowledge: Path, settings: Settings, fake: FakeBotAPI, state: Path, name: str) -> Iterator[BotProcess]:
    """Rasa, the action server and the bot, all serving `knowledge` (a copy a test changes), with the
    per-user flood limit lifted: such tests ask again and again until a change is served."""
    settings = dataclasses.replace(
        settings, knowledge_dir=knowledge, state_dir=state, rasa_port=free_port(), action_port=free_port()
    )
    with Servers(settings) as servers:
        _wait_in_a_thread(servers)
        bot = start_bot(
            fake, settings, name, KENESH_KNOWLEDGE_DIR=str(knowledge), KENESH_USER_MESSAGES_PER_MINUTE="600"
        )
        try:
            yield bot
        finally:
            bot.stop()


def _wait_in_a_thread(servers: Servers) -> None:
    """wait_until_ready() in a thread of its own: a browser test's thread holds Playwright's event loop,
    and asyncio.run() refuses to run there."""
    failures: list[BaseException] = []

    def wait() -> None:
        try:
            asyncio.run(servers.wait_until_ready())
        except BaseException as failure:  # noqa: BLE001 (raised again in the caller's thread)
            failures.append(failure)

    waiter = threading.Thread(target=wait)
    waiter.start()
    waiter.join()
    if failures:
        raise failures[0]


def answer_once_it_changes(fake: FakeBotAPI, user: int, question: str, before: str, within: float = 30.0) -> str:
    """Ask (once a second) until the answer no longer holds `before`; the last answer (still `before`'s
    after `within` seconds: a bound for a busy machine; how fast is the benches' business)."""
    deadline = time.monotonic() + within
    while True:
        answer = fake.answer_to(user, question)
        if escape(before) not in answer or time.monotonic() > deadline:
            return answer
        time.sleep(1.0)
