"""desk/cases/internal_api.py: the bot's /internal/ API as docs/handoff.md describes it."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from desk.cases import services
from desk.cases.hours import DAYS
from desk.cases.models import Case, CaseMessage, Outbox, StaffLink
from tests.desk.cases.conftest import SECRET, T0

pytestmark = pytest.mark.django_db

CARD = {
    "pseudonym": "p-1",
    "script": "uz_Cyrl",
    "topics": ["summons_received", "patent_expired"],
    "risk": {"levels": {"ru": "high"}, "deadlines": [{"id": "patent", "date": "2026-03-10"}], "urgent": True},
    "urgent": True,
    "reason": "urgent",
    "reply_address": "gAAAAAB-opaque-token",
}


@pytest.fixture
def bot() -> Client:
    """The bot: CSRF enforced as for a browser (the API is exempt), the shared secret in every request."""
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {SECRET}"})


def post(client: Client, path: str, body: Any = None, **extra: Any):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body if body is not None else {})
    return client.post(f"/internal/{path}", data, content_type="application/json", **extra)


def opened(bot: Client, **card: Any) -> str:
    response = post(bot, "cases", {**CARD, **card})
    assert response.status_code == 201, response.json()
    return response.json()["number"]


# ---- the door -----------------------------------------------------------------------------


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {SECRET}", SECRET, f"Bearer {SECRET}x"])
def test_a_missing_or_wrong_secret_is_refused(authorization: str | None) -> None:
    client = Client(headers={"Authorization": authorization} if authorization else {})
    response = post(client, "cases", CARD)
    assert response.status_code == 403 and response.json() == {"error": "forbidden"}
    assert client.get("/internal/outbox").status_code == 403
    assert not Case.objects.exists()


def test_a_request_from_another_machine_is_refused(bot: Client) -> None:
    response = post(bot, "cases", CARD, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 403 and response.json() == {"error": "not_loopback"}
    assert post(bot, "cases", CARD, REMOTE_ADDR="::1").status_code == 201


@pytest.mark.parametrize("header", ["X-Forwarded-For", "X-Forwarded-Proto", "Forwarded"])
def test_a_request_relayed_by_a_proxy_is_refused(bot: Client, header: str) -> None:
    """An HTTPS proxy on the desk's machine connects from loopback too; the bot never sends these headers."""
    response = post(bot, "cases", CARD, headers={header: "203.0.113.5"})
    assert response.status_code == 403 and response.json() == {"error": "not_loopback"}
    assert not Case.objects.exists()


def test_the_wrong_method_is_refused(bot: Client) -> None:
    assert bot.get("/internal/cases").status_code == 405
    assert post(bot, "outbox").status_code == 405


# ---- bodies -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_json"),
        ({k: v for k, v in CARD.items() if k != "pseudonym"}, "missing_pseudonym"),
        ({**CARD, "pseudonym": 42}, "bad_pseudonym"),
        ({**CARD, "script": "en"}, "bad_script"),
        ({**CARD, "topics": "summons_received"}, "bad_topics"),
        ({**CARD, "risk": ["high"]}, "bad_risk"),
        ({**CARD, "urgent": "yes"}, "bad_urgent"),
        ({**CARD, "reason": "bored"}, "bad_reason"),
        ({**CARD, "reply_address": ""}, "bad_reply_address"),
    ],
)
def test_a_bad_case_card_is_a_400_naming_the_field(bot: Client, body: Any, error: str) -> None:
    response = post(bot, "cases", body)
    assert response.status_code == 400 and response.json() == {"error": error}
    assert not Case.objects.exists()


def test_a_message_text_must_be_a_string_within_the_limit(bot: Client, kenesh) -> None:
    kenesh(max_message_chars=50)
    number = opened(bot)
    path = f"cases/{number}/messages"
    for text, error in [(["words"], "bad_text"), (None, "bad_text"), ("", "bad_text"), ("x" * 51, "text_too_long")]:
        response = post(bot, path, {"pseudonym": "p-1", "client_id": "m1", "text": text})
        assert (response.status_code, response.json()) == (400, {"error": error})
    response = post(bot, path, {"pseudonym": "p-1", "text": "hello"})
    assert (response.status_code, response.json()) == (400, {"error": "missing_client_id"})
    assert post(bot, path, {"pseudonym": "p-1", "client_id": "m1", "text": "x" * 50}).status_code == 201


# ---- cases and messages -----------------------------------------------------------------------


def test_opening_twice_gives_the_open_case(bot: Client) -> None:
    response = post(bot, "cases", CARD)
    assert response.status_code == 201
    answer = response.json()
    assert answer["status"] == "waiting" and answer["staffed"] is True
    case = Case.objects.get(number=answer["number"])
    assert (case.script, case.topics, case.risk, case.urgent) == ("uz_Cyrl", CARD["topics"], CARD["risk"], True)
    again = post(bot, "cases", {**CARD, "urgent": False, "reason": "asked"})
    assert again.status_code == 200 and again.json()["number"] == answer["number"]


def test_outside_the_hours_the_answer_says_nobody_is_there(bot: Client, kenesh) -> None:
    two_days_on = DAYS[(timezone.localtime(timezone.now(), ZoneInfo("Europe/Moscow")).weekday() + 2) % 7]
    kenesh(handoff_hours=f"{two_days_on} 12:00-12:01")  # a minute a week, never today
    assert post(bot, "cases", CARD).json()["staffed"] is False


def test_a_message_is_stored_once_and_not_after_the_case_closed(bot: Client, cast) -> None:
    number = opened(bot)
    path = f"cases/{number}/messages"
    message = {"pseudonym": "p-1", "client_id": "update-7", "text": "<b>hello</b>"}
    assert post(bot, path, message).status_code == 201
    retried = post(bot, path, message)
    assert retried.status_code == 200 and retried.json() == {"stored": False}
    assert CaseMessage.objects.get().text == "<b>hello</b>"  # stored as typed; templates escape it
    assert post(bot, path, {**message, "pseudonym": "p-2", "client_id": "x"}).status_code == 404
    services.close(Case.objects.get(number=number), cast["staff"], "answered")
    response = post(bot, path, {**message, "client_id": "update-8"})
    assert (response.status_code, response.json()) == (404, {"error": "case_not_open"})


def test_returning_to_the_bot_closes_the_case(bot: Client) -> None:
    number = opened(bot)
    response = post(bot, f"cases/{number}/return", {"pseudonym": "p-1"})
    assert response.json() == {"number": number, "status": "closed"}
    assert Case.objects.get(number=number).outcome == "returned_to_bot"
    assert post(bot, f"cases/{number}/return", {"pseudonym": "p-1"}).status_code == 404


# ---- the outbox -----------------------------------------------------------------------------


def test_the_outbox_lists_what_to_send_and_the_open_cases(bot: Client, cast) -> None:
    number = opened(bot)
    case = Case.objects.get(number=number)
    services.claim(case, cast["staff"])
    services.reply(case, cast["staff"], "Come tomorrow")
    answer = bot.get("/internal/outbox?limit=10").json()
    assert [(item["kind"], item["case"], item["text"]) for item in answer["items"]] == [
        ("claimed", number, ""),
        ("reply", number, "Come tomorrow"),
    ]
    assert answer["items"][1]["reply_address"] == "gAAAAAB-opaque-token"
    assert answer["items"][1]["script"] == "uz_Cyrl"
    assert answer["open"] == {"p-1": {"number": number, "status": "claimed"}}
    assert len(bot.get("/internal/outbox?limit=1").json()["items"]) == 1
    for limit in ("0", "many", "1000"):
        assert bot.get(f"/internal/outbox?limit={limit}").json() == {"error": "bad_limit"}


def test_acknowledging_twice_is_harmless(bot: Client, cast) -> None:
    case = Case.objects.get(number=opened(bot))
    services.claim(case, cast["staff"])
    (item,) = bot.get("/internal/outbox").json()["items"]
    for _ in range(2):
        response = post(bot, f"outbox/{item['id']}/ack", {"telegram_message_id": 1234})
        assert response.status_code == 200 and response.json() == {"acknowledged": True}
    assert bot.get("/internal/outbox").json()["items"] == []
    assert Outbox.objects.get(pk=item["id"]).telegram_message_id == 1234
    assert post(bot, "outbox/999999/ack", {"failed": "blocked"}).json() == {"acknowledged": False}
    assert post(bot, f"outbox/{item['id']}/ack", {"telegram_message_id": "1234"}).status_code == 400


def test_a_topic_is_made_then_posted_into(bot: Client, kenesh) -> None:
    kenesh(staff_chat_id=-1001)
    number = opened(bot)
    (topic,) = bot.get("/internal/outbox").json()["items"]
    assert (topic["kind"], topic["text"]) == ("topic_open", f"{number} · uz_Cyrl · urgent")
    post(bot, f"cases/{number}/messages", {"pseudonym": "p-1", "client_id": "m1", "text": "hello"})
    post(bot, f"outbox/{topic['id']}/ack", {"thread_id": 31})
    (message,) = bot.get("/internal/outbox").json()["items"]
    assert (message["kind"], message["thread_id"], message["text"]) == ("topic_post", 31, "hello")


# ---- erasure, retention, the staff group ---------------------------------------------------------


def test_forget_erases_the_users_cases(bot: Client) -> None:
    number = opened(bot)
    post(bot, f"cases/{number}/messages", {"pseudonym": "p-1", "client_id": "m1", "text": "hello"})
    assert post(bot, "forget", {"pseudonym": "p-1"}).json() == {"erased": 1}
    assert not Case.objects.exists() and not CaseMessage.objects.exists()
    assert post(bot, "forget", {"pseudonym": "p-1"}).json() == {"erased": 0}
    assert post(bot, "forget", {"pseudonym": ""}).json() == {"error": "bad_pseudonym"}


def test_retention_erases_old_messages(bot: Client, cast) -> None:
    case, _ = services.open_case(
        pseudonym="p-9", script="ky", topics=[], risk=None, urgent=False, reason="asked", reply_address="t", now=T0
    )
    services.add_user_message(case.number, "p-9", "m1", "hello", now=T0)
    services.close(case, cast["staff"], "no_reply", now=T0)  # long ago: the test clock is in the past
    assert post(bot, "retention").json() == {"erased_messages": 1}
    assert post(bot, "retention").json() == {"erased_messages": 0}


def test_the_staff_group_answers_only_for_linked_accounts(bot: Client, kenesh, cast) -> None:
    kenesh(staff_chat_id=-1001)
    number = opened(bot)
    post(bot, f"outbox/{Outbox.objects.get(kind='topic_open').pk}/ack", {"thread_id": 31})
    message = {"thread_id": 31, "staff_telegram_id": 700, "message_id": 5, "text": "I can help"}
    response = post(bot, "staff", message)
    assert (response.status_code, response.json()) == (403, {"error": "not_linked"})
    StaffLink.objects.create(user=cast["staff"], telegram_id=700)
    assert post(bot, "staff", message).json() == {"done": "reply"}
    assert post(bot, "staff", {**message, "message_id": 6, "text": "/close nonsense"}).json() == {
        "error": "bad_outcome"
    }
    assert post(bot, "staff", {**message, "message_id": 7, "text": "/close"}).json() == {"done": "closed"}
    assert Case.objects.get(number=number).outcome == "answered"
    response = post(bot, "staff", {**message, "message_id": 8})
    assert (response.status_code, response.json()) == (404, {"error": "case_not_open"})
    assert post(bot, "staff", {**message, "thread_id": "31"}).json() == {"error": "bad_thread_id"}
