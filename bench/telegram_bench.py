"""`make bench`, Telegram part: from update to sendMessage through the real bot, Rasa and actions.

A fake Bot API (tests/fake_bot_api.py) plays Telegram. Simulated users send held-out questions in
every language, spread evenly at RATE messages per second (Telegram's broadcast limit is 30/s);
the latency of one reply is from the moment the update is available to the bot until its
sendMessage reaches the fake. The per-user flood limit is lifted for this run only: 20 users at
30 messages/s is 1.5 messages/s each, which the limit is there to stop.

Run from the repository root: `python -m bench.telegram_bench` (`make bench` does).
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.figures import p50, p95
from bench.rasa_bench import free_port, messages, peak_rss_mb
from bot.servers import Servers
from bot.settings import Settings
from tests.fake_bot_api import FakeBotAPI

RATE = 30.0  # messages per second offered
MESSAGES = 900  # per scenario: 30 s at 30/s
USERS = (20, 100)
TARGET_P95_MS = 300


def start_bot(fake: FakeBotAPI, settings: Settings, log: Path, **extra: str) -> subprocess.Popen:
    """The bot process against the fake Bot API, with these settings (and `extra` variables); the
    per-user flood limit is lifted: a bench's users ask many times a second."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("KENESH_", "TELEGRAM_"))},
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "KENESH_RASA_URL": settings.rasa_base_url,
        "KENESH_STATE_DIR": str(settings.state_dir),
        "KENESH_KNOWLEDGE_DIR": str(settings.knowledge_dir),
        "KENESH_USER_BURST": "100000",
        "KENESH_USER_MESSAGES_PER_MINUTE": "100000",
        **extra,
    }
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "telegram"], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    fake.wait_for(lambda: "getUpdates" in fake.methods(), timeout=60)
    return bot


def offer(fake: FakeBotAPI, users: int, texts: list[str], first_user: int, count: int, rate: float) -> tuple:
    """Push `count` messages at `rate`/s, round-robin over `users`; wait for every reply."""
    cycle = itertools.cycle(texts)
    pushed: dict[int, list[float]] = {}
    mark = fake.mark()
    started = time.perf_counter()
    for number in range(count):
        time.sleep(max(0.0, started + number / rate - time.perf_counter()))
        user = first_user + number % users
        update = fake.text(user, next(cycle))
        pushed.setdefault(user, []).append(fake.pushed_at[update["update_id"]])
    fake.wait_for(lambda: len(fake.messages_to_any(mark)) >= count, timeout=180)
    time.sleep(3)  # let the servers settle before the next scenario
    return pushed, mark, started


def run_scenario(fake: FakeBotAPI, users: int, texts: list[str], first_user: int) -> None:
    """Offer MESSAGES messages at RATE/s, round-robin over `users` users; print the latencies."""
    pushed, mark, started = offer(fake, users, texts, first_user, MESSAGES, RATE)
    finished = max(sent.at for sent in fake.messages_to_any(mark))
    latencies = []
    for user, times in pushed.items():
        replies = [sent.at for sent in fake.messages_to(user, mark)]
        latencies += [reply - push for push, reply in zip(times, replies, strict=False)]
    latencies.sort()
    median, high = p50(latencies), p95(latencies)
    verdict = "meets" if high * 1000 <= TARGET_P95_MS else "MISSES"
    print(
        f"{users:4d} users, {RATE:.0f} msg/s offered: p50 {median * 1000:6.1f} ms  p95 {high * 1000:6.1f} ms  "
        f"max {max(latencies) * 1000:6.0f} ms  {MESSAGES / (finished - started):5.1f} replies/s  "
        f"({verdict} the p95 <= {TARGET_P95_MS} ms target)",
        flush=True,
    )


def main() -> None:
    base = Settings.from_env()
    print(f"Telegram end-to-end benchmark on {os.cpu_count()} cores: fake Bot API -> bot -> Rasa -> actions")
    with tempfile.TemporaryDirectory() as state:
        settings = dataclasses.replace(base, rasa_port=free_port(), action_port=free_port(), state_dir=Path(state))
        fake = FakeBotAPI().start()
        with Servers(settings) as servers:
            asyncio.run(servers.wait_until_ready())
            bot = start_bot(fake, settings, Path(state) / "bot.log")
            try:
                texts = messages(settings)
                offer(fake, 30, texts, first_user=9000, count=60, rate=10)  # warm-up, not reported
                for number, users in enumerate(USERS):
                    run_scenario(fake, users, texts, first_user=10_000 * (number + 2))
                actions, rasa = servers.pid("actions"), servers.pid("rasa")
                print(
                    f"peak memory: bot {peak_rss_mb(bot.pid):.0f} MB, Rasa server {peak_rss_mb(rasa):.0f} MB, "
                    f"action server {peak_rss_mb(actions):.0f} MB"
                )
            finally:
                bot.terminate()
                bot.wait(10)
                fake.stop()


if __name__ == "__main__":
    main()
