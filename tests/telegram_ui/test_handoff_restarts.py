"""Nothing lost, nothing doubled, when either process of the handoff restarts (docs/handoff.md):
the real desk (gunicorn, as `make run` serves it) and the real bot process, against the fake Bot API.

- A user's message written while the desk is down reaches the case once it is back (the bot retries
  with the same client_id).
- A staff reply written while the bot is down reaches the user once after the bot is back (the outbox).
No Rasa is needed: while a case is open, nothing goes to it.
"""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest
from bot_process import BotProcess, free_port, start_bot
from fake_bot_api import FakeBotAPI

from bot import desk_process
from bot.language.i18n import gettext_for
from bot.settings import Settings

pytestmark = pytest.mark.slow
USER = 8_300_001
ru = gettext_for("ru")


class Desk:
    """The desk served by gunicorn from a state folder; stop() and start() again keep its database."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.process: subprocess.Popen | None = None

    def start(self) -> Desk:
        self.process = subprocess.Popen(
            desk_process.serve_command(self.settings),
            env={**os.environ, **desk_process.environment(self.settings)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stop() kills the worker with the master
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.settings.desk_base_url}/healthz").text == "ok":
                    return self
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and self.process.poll() is None, "the desk did not start"
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)  # as a crash: no goodbye, the worker too
            self.process.wait()
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"{self.settings.desk_base_url}/healthz")

    def rows(self, query: str, *values: object) -> list[tuple]:
        with sqlite3.connect(self.settings.desk_db_file) as database:
            return database.execute(query, values).fetchall()


@pytest.fixture
def desk(tmp_path) -> Iterator[Desk]:
    settings = dataclasses.replace(Settings(), state_dir=tmp_path / "state", desk_port=free_port())
    desk_process.prepare(settings)
    served = Desk(settings).start()
    yield served
    served.stop()


@pytest.fixture
def bot(desk: Desk, own_telegram: FakeBotAPI) -> Iterator[BotProcess]:
    settings = dataclasses.replace(desk.settings, rasa_url=f"http://127.0.0.1:{free_port()}")  # no Rasa
    process = start_bot(own_telegram, settings, "restarts", KENESH_DESK="on", KENESH_DESK_URL=settings.desk_base_url)
    yield process
    process.stop()


def connected(fake: FakeBotAPI, user: int) -> str:
    mark = fake.mark()
    fake.text(user, "/human")
    consent = fake.wait_for_messages(user, mark)[-1]
    mark = fake.mark()
    fake.press(user, consent, consent.button(ru("Yes, connect me")))
    return re.search(r"\b[A-Z0-9]{5}\b", fake.wait_for_messages(user, mark)[-1].text).group(0)


def test_a_message_written_while_the_desk_restarts_reaches_the_case_once(desk: Desk, bot, own_telegram) -> None:
    number = connected(own_telegram, USER)
    desk.stop()
    own_telegram.text(USER, "пишу, пока сервер перезапускается")
    time.sleep(1.5)  # the bot is retrying now; the desk comes back within its ~30 s of retries
    desk.start()
    stored = own_telegram.wait_for(
        lambda: desk.rows(
            "SELECT m.text FROM cases_casemessage m JOIN cases_case c ON c.id = m.case_id WHERE c.number = ?", number
        ),
        timeout=40,
    )
    assert stored == [("пишу, пока сервер перезапускается",)]


def test_a_reply_written_while_the_bot_restarts_reaches_the_user_once(desk: Desk, bot, own_telegram, tmp_path) -> None:
    number = connected(own_telegram, USER + 1)
    bot.stop()
    staff = desk_process.manage(
        desk.settings,
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; from desk.cases import services; "
        "from desk.cases.models import Case; user = User.objects.create_user('night'); "
        "user.groups.add(Group.objects.get(name='staff')); "
        f"case = Case.objects.get(number='{number}'); services.claim(case, user); "
        "services.reply(case, user, 'Ответ, пока бот перезапускался')",
        capture=True,
    )
    assert staff.returncode == 0, staff.stderr
    mark = own_telegram.mark()
    again = start_bot(
        own_telegram,
        bot.settings,
        "restarts-again",
        KENESH_DESK="on",
        KENESH_DESK_URL=desk.settings.desk_base_url,
    )
    try:
        own_telegram.wait_for(
            lambda: any(s.text == "Ответ, пока бот перезапускался" for s in own_telegram.messages_to(USER + 1, mark))
        )
        time.sleep(2)  # four more outbox polls: a second copy would have come by now
        texts = [s.text for s in own_telegram.messages_to(USER + 1, mark)]
        assert texts.count("Ответ, пока бот перезапускался") == 1
        assert desk.rows("SELECT count(*) FROM cases_outbox WHERE sent_at IS NULL") == [(0,)]
    finally:
        again.stop()
