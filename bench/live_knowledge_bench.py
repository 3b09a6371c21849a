"""`make bench`: a lawyer presses Publish in the desk -> the first Telegram reply with the new text.

The real action and Rasa servers and the real bot process run on a temporary git repository
holding a copy of the knowledge folder, against a fake Bot API (tests/fake_bot_api.py). CHANGES
times, a draft changing the Russian short answer of one topic is approved by a second lawyer and
published by the desk's own code (desk.knowledge_editor.services.publish: the round-trip writer,
the rename into place, the git commit); a fake user asks that topic's question again and again,
each as soon as the previous reply is in, and the time from the publish call to the first reply
carrying the new text is recorded (target: within 2 s, issue 15). The drafts are written straight
into the desk's database: saving one through the editor runs `kb lint`, which is not part of
publishing. Also prints what one reading of the knowledge folder costs (bot.risk.live.read_served),
which the watcher thread of every process pays once per change. Prints its figures; asserts nothing.

Run from the repository root: `python -m bench.live_knowledge_bench` (`make bench` does).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.figures import p50, p95
from bench.rasa_bench import free_port
from bench.telegram_bench import start_bot
from bot.risk.live import POLL_SECONDS, SETTLE_SECONDS, read_served
from bot.servers import Servers
from bot.settings import Settings
from bot.telegram_ui.formatting import escape
from tests.fake_bot_api import FakeBotAPI

CHANGES = 20
TARGET = 2.0  # seconds
QUESTION = "мне пришла электронная повестка, что делать?"
TOPIC = "summons_received"
FIRST_USER = 9_300_001


class DeskPublisher:
    """The desk's publishing, in this process, on a git repository holding `knowledge`."""

    def __init__(self, knowledge: Path, state: Path) -> None:
        git = ["git", "-C", str(knowledge.parent)]
        subprocess.run([*git, "init", "--quiet"], check=True)
        subprocess.run([*git, "add", "knowledge"], check=True)
        identity = ["-c", "user.name=Bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false"]
        subprocess.run([*git, *identity, "commit", "--quiet", "-m", "knowledge"], check=True)
        state.mkdir(mode=0o700)
        os.environ.update(
            KENESH_KNOWLEDGE_DIR=str(knowledge),
            KENESH_STATE_DIR=str(state),
            DJANGO_SETTINGS_MODULE="desk.kenesh_desk.settings",
        )
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        from django.contrib.auth.models import Group, User

        lawyers = Group.objects.get(name="lawyer")
        self.author, self.reviewer = (User.objects.create_user(name) for name in ("bench-author", "bench-reviewer"))
        lawyers.user_set.add(self.author, self.reviewer)
        self.publish_seconds: list[float] = []  # the publish call alone: writing the file and the commit

    def publish(self, topic: str, new_short: str) -> float:
        """Draft, approve and publish `new_short`; return the moment Publish was pressed."""
        from desk.knowledge_editor import files, services
        from desk.knowledge_editor.models import Draft, DraftRevision

        file_text, blob = files.current(topic)
        texts = files.read_texts(file_text)
        texts["ru"]["short"] = new_short
        draft = Draft.objects.create(topic_id=topic, base_blob=blob, author=self.author, status="in_review")
        DraftRevision.objects.create(draft=draft, number=1, texts=texts, author=self.author)
        services.review(self.reviewer, draft, 1, "approve")
        pressed = time.perf_counter()
        services.publish(self.reviewer, draft)
        self.publish_seconds.append(time.perf_counter() - pressed)
        return pressed


def ask(fake: FakeBotAPI, user: int, reply_times: list[float]) -> tuple[str, float]:
    """One question; the reply's text and when the fake Telegram received it (its time is added to `reply_times`)."""
    mark = fake.mark()
    update = fake.text(user, QUESTION)
    [reply] = fake.wait_for_messages(user, mark, timeout=30)
    reply_times.append(reply.at - fake.pushed_at[update["update_id"]])
    return reply.text, reply.at


def until_served(
    fake: FakeBotAPI, user: int, published: float, expected: str, reply_times: list[float]
) -> tuple[float, int]:
    """Ask until a reply carries `expected`: seconds from `published` to that reply, and the old replies."""
    old = 0
    while True:
        text, at = ask(fake, user, reply_times)
        if escape(expected) in text:
            return at - published, old
        old += 1
        if at - published > 30:
            raise SystemExit("the change was not served within 30 s")


def ask_for(fake: FakeBotAPI, user: int, seconds: float, reply_times: list[float]) -> None:
    """Keep asking for `seconds`, with no change under way."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        ask(fake, user, reply_times)


def reading_cost(knowledge: Path) -> tuple[float, float]:
    """Median seconds of one reading at start (with the example questions) and of one after a change."""
    first, changed = [], []
    for _ in range(5):
        started = time.perf_counter()
        served, _problems = read_served(knowledge)
        first.append(time.perf_counter() - started)
        started = time.perf_counter()
        read_served(knowledge, examples_of=served)
        changed.append(time.perf_counter() - started)
    return statistics.median(first), statistics.median(changed)


def main() -> None:
    base = Settings.from_env()
    print(f"Live knowledge benchmark on {os.cpu_count()} cores: Publish in the desk -> first reply with the new text")
    with tempfile.TemporaryDirectory() as folder:
        knowledge = Path(shutil.copytree(base.knowledge_dir, Path(folder) / "repository" / "knowledge"))
        at_start, per_change = reading_cost(knowledge)
        print(f"reading the knowledge folder: {at_start:.2f} s at start, {per_change:.2f} s per change (each process)")
        settings = dataclasses.replace(
            base,
            knowledge_dir=knowledge,
            state_dir=Path(folder) / "state",
            rasa_port=free_port(),
            action_port=free_port(),
        )
        desk = DeskPublisher(knowledge, Path(folder) / "desk-state")
        fake = FakeBotAPI().start()
        with Servers(settings) as servers:
            asyncio.run(servers.wait_until_ready())
            bot = start_bot(fake, settings, Path(folder) / "bot.log")
            try:
                ask(fake, FIRST_USER - 1, [])  # warm-up, not reported
                latencies, old_replies = [], []
                during: list[float] = []  # reply times while a change is being taken in
                between: list[float] = []  # and with none under way
                for number in range(1, CHANGES + 1):
                    new = f"Повестка касается только граждан России. Изменение {number}: спросите юриста."
                    published = desk.publish(TOPIC, new)
                    latency, old = until_served(fake, FIRST_USER + number, published, new, during)
                    latencies.append(latency)
                    old_replies.append(old)
                    ask_for(fake, FIRST_USER + number, 1.0, between)  # the next change comes later
            finally:
                bot.terminate()
                bot.wait(10)
                fake.stop()
    verdict = "meets" if max(latencies) <= TARGET else "MISSES"
    print(
        f"{CHANGES} changes (poll {POLL_SECONDS * 1000:.0f} ms, settle {SETTLE_SECONDS * 1000:.0f} ms): "
        "Publish pressed -> first reply with the new text "
        f"p50 {p50(latencies) * 1000:.0f} ms  p95 {p95(latencies) * 1000:.0f} ms  max {max(latencies) * 1000:.0f} ms "
        f"({verdict} the {TARGET:.0f} s target); replies with the old text before it: "
        f"{statistics.mean(old_replies):.1f} on average"
    )
    print(f"the publish itself (file written, git commit): p50 {p50(desk.publish_seconds) * 1000:.0f} ms")
    for name, times in (("while a change is taken in", during), ("with no change under way", between)):
        print(
            f"reply time {name}: p50 {p50(times) * 1000:.0f} ms  p95 {p95(times) * 1000:.0f} ms  "
            f"max {max(times) * 1000:.0f} ms  (n = {len(times)})"
        )


if __name__ == "__main__":
    main()
