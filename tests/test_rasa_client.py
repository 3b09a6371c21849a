"""bot/rasa_client.py: Rasa's replies come back parsed; no answer at all is never taken for one."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bot.errors import RasaUnavailable
from bot.rasa_client import RasaClient, Reply, signals


def send_through(respond: httpx.Response) -> list[Reply]:
    """Send one message to a Rasa stand-in that answers `respond` (httpx's own transport for tests)."""

    async def exchange() -> list[Reply]:
        transport = httpx.MockTransport(lambda request: respond)
        async with RasaClient("http://rasa.test", transport=transport) as client:
            return await client.send("tg-abc", "мага повестка келди")

    return asyncio.run(exchange())


def test_replies_and_their_buttons_are_parsed() -> None:
    body = [{"text": "Салам"}, {"text": "Тандаңыз:", "buttons": [{"title": "Ооба", "payload": "/affirm"}]}]
    assert send_through(httpx.Response(200, json=body)) == [
        Reply("Салам"),
        Reply("Тандаңыз:", (("Ооба", "/affirm"),)),
    ]


def test_signals_come_back_as_replies_without_text_and_are_read_by_signals() -> None:
    body = [
        {"recipient_id": "tg-abc", "text": "Повестка…", "buttons": [{"title": "Ещё", "payload": "/ask_more"}]},
        {"recipient_id": "tg-abc", "custom": {"kenesh": {"topic": "summons_received"}}},
    ]
    replies = send_through(httpx.Response(200, json=body))
    assert [reply.readable for reply in replies] == [True, False]
    assert signals(replies) == [{"topic": "summons_received"}]


def test_signals_alone_are_no_answer() -> None:
    with pytest.raises(RasaUnavailable):
        send_through(httpx.Response(200, json=[{"custom": {"kenesh": {"clarify": True}}}]))


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, json=[]),  # what Rasa says when its action server is down
        httpx.Response(200, json=[{"text": ""}, {"image": "x.png"}]),  # nothing a person can read
        httpx.Response(200, text="<html><body>502 Bad Gateway</body></html>"),
        httpx.Response(200, json={"error": "not a list"}),
        httpx.Response(200, json=["text"]),
        httpx.Response(500, json=[{"text": "Салам"}]),
    ],
    ids=["empty", "nothing readable", "html", "an object", "a list of strings", "server error"],
)
def test_no_answer_is_rasa_unavailable_never_silence(response: httpx.Response) -> None:
    with pytest.raises(RasaUnavailable):
        send_through(response)
