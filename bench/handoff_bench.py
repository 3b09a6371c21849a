"""`make bench`: the handoff's two directions, staff reply -> Telegram and user message -> case.

Runs the desk (gunicorn, as `make run` does) and the real bot process against a fake Bot API, in
a temporary state folder. USERS fake users ask for a person (/human, then "Yes, connect me"); a
staff account claims every case. Then, at RATE messages a second:
- a staff reply is committed through the desk's case service, as the reply form does, and timed
  until the fake Telegram receives its sendMessage (target: p95 under 2 s);
- a user message is made available to the bot and timed until it is stored in the case. The
  case page polls every second, so a member of staff sees it at most one second later.
No Rasa is needed: a case's messages never go to it. Prints its figures; asserts nothing.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.figures import p50, p95
from bench.rasa_bench import free_port
from bench.telegram_bench import start_bot
from bot import desk_process
from bot.language.i18n import gettext_for
from bot.privacy import Pseudonymizer, pseudonym_key
from bot.settings import Settings
from tests.fake_bot_api import FakeBotAPI

USERS = 20
MESSAGES = 200  # per direction
RATE = 5.0  # messages a second: a busy hotline, and more
CASE_PAGE_POLL = 1.0  # seconds, desk/templates/cases (hx-trigger)
TARGET_P95 = 2.0
FIRST_USER = 9_100_001


def start_desk(settings: Settings, env: dict[str, str], log: Path) -> subprocess.Popen:
    desk_process.prepare(settings)
    desk = subprocess.Popen(
        desk_process.serve_command(settings), env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{settings.desk_base_url}/healthz").status_code == 200:
                return desk
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"the desk did not start; see {log}")


def connect(fake: FakeBotAPI, user: int) -> None:
    """/human, then "Yes, connect me"; wait until the bot says the case is open."""
    mark = fake.mark()
    fake.text(user, "/human")
    consent = fake.wait_for_messages(user, mark)[-1]
    mark = fake.mark()
    fake.press(user, consent, consent.button(gettext_for("ru")("Yes, connect me")))
    fake.wait_for_messages(user, mark)


def staff_replies(fake: FakeBotAPI, cases: dict[int, Any], staff: Any) -> list[float]:
    """Replies written at RATE (not waiting for each other, as several staff write at once); each
    timed from its commit to the fake Telegram's receipt (Sent.at, the same clock)."""
    from desk.cases import services

    written: dict[str, float] = {}
    started = time.perf_counter()
    for number in range(MESSAGES):
        time.sleep(max(0.0, started + number / RATE - time.perf_counter()))
        user = FIRST_USER + number % USERS
        text = f"Ответ сотрудника номер {number}"
        services.reply(cases[user], staff, text)
        written[text] = time.perf_counter()

    def all_delivered() -> dict[str, float] | None:
        seen = {sent.text: sent.at for sent in fake.messages_to_any() if sent.text in written}
        return seen if len(seen) == len(written) else None

    arrived = fake.wait_for(all_delivered, timeout=60)
    return [arrived[text] - at for text, at in written.items()]


def user_messages(fake: FakeBotAPI) -> list[float]:
    from desk.cases.models import CaseMessage

    latencies = []
    started = time.perf_counter()
    for number in range(MESSAGES):
        time.sleep(max(0.0, started + number / RATE - time.perf_counter()))
        text = f"Сообщение пользователя номер {number}"
        pushed = time.perf_counter()
        fake.text(FIRST_USER + number % USERS, text)
        deadline = pushed + 30
        while not CaseMessage.objects.filter(text=text).exists():
            if time.perf_counter() > deadline:
                raise SystemExit(f"message {number} never reached its case")
            time.sleep(0.005)
        latencies.append(time.perf_counter() - pushed)
    return latencies


def report(label: str, latencies: list[float], extra: float = 0.0) -> None:
    high = p95(latencies) + extra
    verdict = "meets" if high <= TARGET_P95 else "MISSES"
    print(
        f"  {label:40s} n={len(latencies)}  p50 {(p50(latencies) + extra) * 1000:6.0f} ms  "
        f"p95 {high * 1000:6.0f} ms  max {(max(latencies) + extra) * 1000:6.0f} ms  "
        f"({verdict} the p95 <= {TARGET_P95:g} s target)",
        flush=True,
    )


def main() -> None:
    print(f"Handoff benchmark on {os.cpu_count()} cores: {USERS} open cases, {RATE:g} messages/s each way")
    with tempfile.TemporaryDirectory() as state:
        settings = dataclasses.replace(
            Settings.from_env(),
            state_dir=Path(state),
            desk_port=free_port(),
            desk_internal_secret=secrets.token_urlsafe(32),
            rasa_url=f"http://127.0.0.1:{free_port()}",  # nothing there: a case's messages never go to Rasa
        )
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("KENESH_", "TELEGRAM_"))},
            **desk_process.environment(settings),
            "KENESH_DESK_INTERNAL_SECRET": settings.desk_internal_secret or "",
        }
        os.environ.update({k: v for k, v in env.items() if k.startswith(("KENESH_", "DJANGO_"))})
        import django

        django.setup()
        from django.contrib.auth.models import Group, User

        from desk.cases import services
        from desk.cases.models import Case

        fake = FakeBotAPI().start()
        desk = start_desk(settings, env, Path(state) / "desk.log")
        bot = start_bot(
            fake,
            settings,
            Path(state) / "bot.log",
            KENESH_DESK_URL=settings.desk_base_url,
            KENESH_DESK_INTERNAL_SECRET=settings.desk_internal_secret or "",
        )
        try:
            staff = User.objects.create_user("bench-staff")
            Group.objects.get(name="staff").user_set.add(staff)
            desk_pseudonym = Pseudonymizer(pseudonym_key(settings), namespace="desk")
            cases = {}
            for user in range(FIRST_USER, FIRST_USER + USERS):
                connect(fake, user)
                cases[user] = Case.objects.get(pseudonym=desk_pseudonym(user), status=Case.Status.WAITING)
                services.claim(cases[user], staff)
            report("staff reply -> Telegram", staff_replies(fake, cases, staff))
            arrived = user_messages(fake)
            report("user message -> stored in the case", arrived)
            report("user message -> case page, at the latest", arrived, extra=CASE_PAGE_POLL)
        finally:
            bot.terminate()
            desk.terminate()
            bot.wait(15)
            desk.wait(15)
            fake.stop()


if __name__ == "__main__":
    main()
