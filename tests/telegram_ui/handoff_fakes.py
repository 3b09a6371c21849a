"""Stand-ins for the handoff tests: the desk's /internal/ API and Rasa's REST channel as httpx
MockTransport handlers, and the real Application (build_application) run in-process against the
fake Bot API, its updates handed to process_update one by one."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from typing import Any

import httpx
from fake_bot_api import FakeBotAPI
from telegram import Update
from telegram.ext import Application

from bot.handoff_client import DeskClient
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.telegram_ui.app import build_application, build_services
from bot.telegram_ui.context import Services
from bot.telegram_ui.outbox import OutboxDrain

SECRET = "desk-secret-for-tests"
STAFF_GROUP = -1004242  # not the channel id test_telegram_end_to_end.py uses: the fake Bot API is shared
LINKED_STAFF = 4242  # a group member with a desk account


class FakeDesk:
    """The desk's /internal/ API as docs/handoff.md describes it, in memory."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict]] = []  # (method, path under /internal, body)
        self.cases: dict[str, dict[str, Any]] = {}  # number -> {"card", "status", "messages"}
        self.rows: list[dict[str, Any]] = []  # the outbox
        self.acks: dict[int, dict] = {}
        self.counts: list[tuple[str, str, str]] = []  # the radar's (topic, script, outcome), in order
        self.down = False  # every request fails to connect
        self.ack_down = False  # only acknowledgements fail
        self.refusals: dict[str, tuple[int, str]] = {}  # path ending -> (status, error code) to answer instead
        self._numbers = itertools.count(1)
        self._row_ids = itertools.count(1)

    def paths(self, method: str | None = None) -> list[str]:
        return [path for m, path, _ in self.requests if method in (None, m)]

    def queue(self, kind: str, case: str, **row: Any) -> int:
        row_id = next(self._row_ids)
        self.rows.append({"id": row_id, "kind": kind, "case": case, "script": "ru", "text": "", **row})
        return row_id

    def open_case_of(self, pseudonym: str) -> str | None:
        return next(
            (n for n, c in self.cases.items() if c["card"]["pseudonym"] == pseudonym and c["status"] != "closed"), None
        )

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else {}
        path = request.url.path.removeprefix("/internal")
        self.requests.append((request.method, path, body))
        if self.down or (self.ack_down and path.endswith("/ack")):
            raise httpx.ConnectError("connection refused")
        if request.headers.get("Authorization") != f"Bearer {SECRET}":
            return httpx.Response(403, json={"error": "forbidden"})
        for ending, (status, code) in self.refusals.items():
            if path.endswith(ending):
                return httpx.Response(status, json={"error": code})
        if path == "/cases":
            number = self.open_case_of(body["pseudonym"])
            if number:
                return httpx.Response(200, json={"number": number, "status": self.cases[number]["status"]})
            number = f"K{next(self._numbers)}"
            self.cases[number] = {"card": body, "status": "waiting", "messages": []}
            return httpx.Response(201, json={"number": number, "status": "waiting", "staffed": True})
        if match := re.fullmatch(r"/cases/(\w+)/(messages|return)", path):
            case = self.cases.get(match[1])
            if not case or case["status"] == "closed" or case["card"]["pseudonym"] != body["pseudonym"]:
                return httpx.Response(404, json={"error": "case_not_open"})
            if match[2] == "return":
                case["status"] = "closed"
                return httpx.Response(200, json={})
            if body["client_id"] in {m["client_id"] for m in case["messages"]}:
                return httpx.Response(200, json={})
            case["messages"].append(body)
            return httpx.Response(201, json={})
        if path == "/outbox":
            items = [row for row in self.rows if row["id"] not in self.acks]
            open_ = {
                c["card"]["pseudonym"]: {"number": n, "status": c["status"]}
                for n, c in self.cases.items()
                if c["status"] != "closed"
            }
            return httpx.Response(200, json={"items": items, "open": open_})
        if match := re.fullmatch(r"/outbox/(\d+)/ack", path):
            self.acks.setdefault(int(match[1]), body)
            return httpx.Response(200, json={})
        if path == "/forget":
            gone = [n for n, c in self.cases.items() if c["card"]["pseudonym"] == body["pseudonym"]]
            for number in gone:
                del self.cases[number]
            return httpx.Response(200, json={"erased": len(gone)})
        if path == "/counts":
            self.counts.append((body["topic"], body["script"], body["outcome"]))
            return httpx.Response(200, json={"week": "2026-11-30"})
        if path == "/retention":
            return httpx.Response(200, json={"erased_messages": 0})
        if path == "/staff":
            if body["staff_telegram_id"] != LINKED_STAFF:
                return httpx.Response(403, json={"error": "not_linked"})
            return httpx.Response(200, json={"done": "closed" if body["text"].startswith("/close") else "reply"})
        return httpx.Response(404, json={"error": "not_found"})


class FakeRasa:
    """Rasa's REST channel: `answer(text)` gives the reply dicts for a message; texts are recorded."""

    def __init__(self, answer: Callable[[str], list[dict]]) -> None:
        self.answer = answer
        self.texts: list[str] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.texts.append(body["message"])
        return httpx.Response(200, json=self.answer(body["message"]))


def topic_reply(topic: str, text: str = "Ответ.") -> list[dict]:
    return [
        {"text": text, "buttons": [{"title": "Подробнее", "payload": "/ask_more"}]},
        {"custom": {"kenesh": {"topic": topic}}},
    ]


def clarify_reply() -> list[dict]:
    return [
        {
            "text": "Вы имели в виду?",
            "buttons": [{"title": "Поговорить с человеком", "payload": "/hotlines_human_help"}],
        },
        {"custom": {"kenesh": {"clarify": True}}},
    ]


class Harness:
    """The bot's Application in this event loop, with the fake desk and Rasa behind its services."""

    def __init__(self, fake: FakeBotAPI, settings: Settings, rasa: FakeRasa) -> None:
        self.fake, self.settings, self.rasa, self.desk = fake, settings, rasa, FakeDesk()
        self.application: Application = build_application(settings)
        self.drain = OutboxDrain(self.application)

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]

    async def start(self) -> Harness:
        await self.application.initialize()
        self.application.bot_data["services"] = build_services(
            self.settings,
            rasa=RasaClient("http://rasa.test", transport=httpx.MockTransport(self.rasa.handle)),
            desk=DeskClient(
                "http://desk.test", SECRET, transport=httpx.MockTransport(self.desk.handle), retry_delays=(0, 0)
            ),
        )
        return self

    async def stop(self) -> None:
        await self.services.rasa.close()
        await self.services.desk.close()
        self.services.conversations.close()
        await self.application.shutdown()

    async def handle(self, update: dict) -> None:
        await self.application.process_update(Update.de_json(update, self.application.bot))

    async def say(self, user: int, text: str) -> dict:
        update = self.fake.text(user, text, queue=False)
        await self.handle(update)
        return update

    async def press(self, user: int, title: str, after: int = 0) -> None:
        """Press the button whose title contains `title` under the latest message to `user` that has one."""
        sent = next(s for s in reversed(self.fake.messages_to(user, after)) if s.buttons)
        update = {"update_id": 0, **self._callback(user, sent, sent.button(title))}
        await self.handle(update)

    def _callback(self, user: int, sent: Any, button: dict) -> dict:
        message = {
            "message_id": sent.message_id,
            "date": 0,
            "text": sent.text,
            "chat": {"id": sent.chat_id, "type": "private", "first_name": "Test"},
            "from": {"id": 123456, "is_bot": True, "first_name": "Kenesh"},
        }
        return {
            "callback_query": {
                "id": f"cq{user}{sent.message_id}",
                "chat_instance": "ci",
                "from": FakeBotAPI.user(user),
                "message": message,
                "data": button["callback_data"],
            }
        }
