"""bot/handoff_client.py against a stand-in desk (httpx's MockTransport): the contract's requests,
retries that keep their idempotency key, and the desk's refusals mapped to errors."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest

from bot.errors import DeskRefused, DeskUnavailable
from bot.handoff_client import DeskClient

SECRET = "s3cret-for-tests"


def exchange(handler: Callable[[httpx.Request], httpx.Response], call, retry_delays=(0, 0, 0)):
    """Run `call(client)` against a desk that answers with `handler`; return its result."""

    async def run():
        async with DeskClient(
            "http://desk.test/", SECRET, transport=httpx.MockTransport(handler), retry_delays=retry_delays
        ) as client:
            return await call(client)

    return asyncio.run(run())


def test_a_case_is_opened_with_the_card_and_the_secret() -> None:
    seen: list[httpx.Request] = []

    def desk(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"number": "K7F2Q", "status": "waiting", "staffed": False})

    card = {"pseudonym": "tg-abc", "script": "ky", "topics": ["summons_received"], "reason": "asked"}
    opened = exchange(desk, lambda client: client.open_case(card))
    assert (opened.number, opened.status, opened.staffed) == ("K7F2Q", "waiting", False)
    [request] = seen
    assert (request.method, str(request.url)) == ("POST", "http://desk.test/internal/cases")
    assert request.headers["Authorization"] == f"Bearer {SECRET}"
    assert json.loads(request.content) == card


def test_a_message_is_retried_while_the_desk_restarts_with_the_same_client_id() -> None:
    bodies: list[dict] = []

    def desk(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        if len(bodies) == 1:
            raise httpx.ConnectError("connection refused")
        if len(bodies) == 2:
            return httpx.Response(502, text="<html>Bad Gateway</html>")
        return httpx.Response(201, json={})

    exchange(desk, lambda client: client.post_message("K7F2Q", "tg-abc", "c-1", "салам"))
    assert len(bodies) == 3
    assert {body["client_id"] for body in bodies} == {"c-1"}
    assert bodies[-1] == {"pseudonym": "tg-abc", "client_id": "c-1", "text": "салам"}


def test_a_desk_that_stays_down_is_desk_unavailable_after_the_last_retry() -> None:
    calls = []

    def desk(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("connection refused")

    with pytest.raises(DeskUnavailable):
        exchange(desk, lambda client: client.post_message("K7F2Q", "tg-abc", "c-1", "салам"), retry_delays=(0, 0))
    assert len(calls) == 3  # the first try and two retries


@pytest.mark.parametrize(
    "status, body, code",
    [
        (404, {"error": "case_not_open"}, "case_not_open"),
        (403, {"error": "forbidden"}, "forbidden"),
        (403, {}, "refused"),
    ],
)
def test_refusals_are_desk_refused_with_the_code_and_never_retried(status: int, body: dict, code: str) -> None:
    calls = []

    def desk(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(status, json=body)

    with pytest.raises(DeskRefused) as refused:
        exchange(desk, lambda client: client.post_message("K7F2Q", "tg-abc", "c-1", "салам"))
    assert (refused.value.status, refused.value.code) == (status, code)
    assert len(calls) == 1


@pytest.mark.parametrize(
    "response",
    [httpx.Response(500, json={"error": "x"}), httpx.Response(200, text="<html>"), httpx.Response(200, json=[1])],
    ids=["server error", "html", "not an object"],
)
def test_an_answer_that_is_not_the_desks_json_is_desk_unavailable(response: httpx.Response) -> None:
    with pytest.raises(DeskUnavailable):
        exchange(lambda request: response, lambda client: client.retention())


def test_the_outbox_is_parsed_and_acknowledged_in_the_contracts_three_ways() -> None:
    acks: list[tuple[str, dict]] = []

    def desk(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            assert str(request.url) == "http://desk.test/internal/outbox?limit=20"
            return httpx.Response(
                200,
                json={
                    "items": [
                        {"id": 7, "kind": "reply", "case": "K7F2Q", "script": "ky", "reply_address": "t", "text": "a"},
                        {"id": 8, "kind": "topic_post", "case": "K7F2Q", "script": "ky", "thread_id": 55, "text": "b"},
                    ],
                    "open": {"tg-abc": {"number": "K7F2Q", "status": "claimed"}},
                },
            )
        acks.append((request.url.path, json.loads(request.content)))
        return httpx.Response(200, json={})

    async def drain(client: DeskClient):
        outbox = await client.outbox(limit=20)
        await client.acknowledge(7, telegram_message_id=901)
        await client.acknowledge(8, thread_id=55)
        await client.acknowledge(9, failed="blocked")
        return outbox

    outbox = exchange(desk, drain)
    assert [(item.id, item.kind, item.thread_id) for item in outbox.items] == [
        (7, "reply", None),
        (8, "topic_post", 55),
    ]
    assert outbox.open == {"tg-abc": {"number": "K7F2Q", "status": "claimed"}}
    assert acks == [
        ("/internal/outbox/7/ack", {"telegram_message_id": 901}),
        ("/internal/outbox/8/ack", {"thread_id": 55}),
        ("/internal/outbox/9/ack", {"failed": "blocked"}),
    ]


def test_forget_retention_return_and_staff_messages_follow_the_contract() -> None:
    seen: list[tuple[str, dict]] = []
    answers = {
        "/internal/forget": {"erased": 2},
        "/internal/retention": {"erased_messages": 5},
        "/internal/cases/K7F2Q/return": {},
        "/internal/staff": {"done": "closed"},
    }

    def desk(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, json.loads(request.content) if request.content else {}))
        return httpx.Response(200, json=answers[request.url.path])

    async def calls(client: DeskClient):
        return (
            await client.forget("tg-abc"),
            await client.retention(),
            await client.return_to_bot("K7F2Q", "tg-abc"),
            await client.staff_message(55, 4242, 17, "/close"),
        )

    assert exchange(desk, calls) == (2, 5, None, "closed")
    assert seen[0] == ("/internal/forget", {"pseudonym": "tg-abc"})
    assert seen[2] == ("/internal/cases/K7F2Q/return", {"pseudonym": "tg-abc"})
    assert seen[3] == (
        "/internal/staff",
        {"thread_id": 55, "staff_telegram_id": 4242, "message_id": 17, "text": "/close"},
    )
