"""`make bench`, recovery part: how long users wait after `kill -9` of one process under supervision.

The servers and the bot run under supervisord exactly as `make run` starts them (bot.servers), the
bot against a fake Bot API (tests/fake_bot_api.py). For each process in turn, KILLS times: one
question is answered, the process is killed, then a new user asks every second until a real
answer comes back. Printed per process: the first reply after the kill (the apology with human
help, or nothing while the bot itself is down: messages wait at Telegram) and the first real
answer, p50 and max over the kills, and how many of the messages sent meanwhile were answered
once, never, or more than once. Targets (issue 12): a reply within 5 s, answers within 60 s.

Run from the repository root: `python -m bench.recovery_bench` (`make bench` does).
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.rasa_bench import free_port
from bot.knowledge.loader import load_knowledge
from bot.servers import Servers
from bot.settings import Settings
from tests.fake_bot_api import FakeBotAPI

KILLS = 3
QUESTION = "мага повестка келди, эмне кылышым керек?"
LIMIT = 90.0  # seconds to wait for answers before calling a recovery failed
_users = itertools.count(50_000)


def answered(
    fake: FakeBotAPI, expected: str, started: float, askers: list[int] | None = None
) -> tuple[float | None, float | None]:
    """Ask every second as a new user (noted in `askers`); (seconds to the first reply, seconds to
    the first real answer)."""
    first_reply, mark = None, fake.mark()
    while time.monotonic() - started < LIMIT:
        user = next(_users)
        fake.text(user, QUESTION, language_code="ky")
        if askers is not None:
            askers.append(user)
        time.sleep(1.0)
        replies = fake.messages_to_any(mark)
        if replies and first_reply is None:
            first_reply = time.monotonic() - started
        if any(expected in reply.text for reply in replies):
            return first_reply, time.monotonic() - started
    return first_reply, None


def replies_per_asker(fake: FakeBotAPI, askers: list[int]) -> Counter:
    """How many askers got 0, 1, 2… replies, once the last ones have had time to come."""
    time.sleep(5)
    replies = Counter(sent.chat_id for sent in fake.messages_to_any())
    return Counter(replies[user] for user in askers)


def measure(servers: Servers, fake: FakeBotAPI, name: str, expected: str) -> None:
    replies: list[float] = []
    answers: list[float] = []
    askers: list[int] = []
    for _ in range(KILLS):
        reply, answer = answered(fake, expected, time.monotonic())  # healthy before each kill
        if answer is None:
            raise SystemExit(f"no answer before killing {name}: is everything up?")
        servers.kill(name)
        reply, answer = answered(fake, expected, time.monotonic(), askers)
        replies.append(reply if reply is not None else float("nan"))
        answers.append(answer if answer is not None else float("nan"))
        asyncio.run(servers.wait_until_ready())
    counts = replies_per_asker(fake, askers)
    print(
        f"kill -9 {name:8s} first reply p50 {statistics.median(replies):5.1f} s, max {max(replies):5.1f} s; "
        f"real answers again p50 {statistics.median(answers):5.1f} s, max {max(answers):5.1f} s; "
        f"{len(askers)} messages meanwhile: {counts[1]} answered once, {counts[0]} never, "
        f"{sum(n for times, n in counts.items() if times > 1)} more than once"
    )


def main() -> None:
    base = Settings.from_env()
    expected = load_knowledge(base.knowledge_dir).topic("summons_received").text["ky"].title
    print(f"Recovery after kill -9 on {os.cpu_count()} cores ({KILLS} kills each; supervisord restarts)")
    fake = FakeBotAPI().start()
    os.environ.update({"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": fake.base_url})
    try:
        with tempfile.TemporaryDirectory() as state:
            settings = dataclasses.replace(
                base, rasa_port=free_port(), action_port=free_port(), state_dir=Path(state), telegram_token=fake.token
            )
            with Servers(settings, bot=True) as servers:
                asyncio.run(servers.wait_until_ready())
                servers.start_bot()
                for name in ("actions", "rasa", "bot"):
                    measure(servers, fake, name, expected)
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
