"""POST /internal/counts: only the bot (secret, loopback) counts, and only a valid cell is counted."""

from __future__ import annotations

import dataclasses
import json

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings

from desk.radar.models import WeeklyCount

pytestmark = pytest.mark.django_db
SECRET = "the bot's test secret, long enough"
URL = "/internal/counts"
VALID = {"topic": "summons_received", "script": "tg", "outcome": "declined"}


@pytest.fixture(autouse=True)
def _secret():
    with override_settings(KENESH=dataclasses.replace(django_settings.KENESH, desk_internal_secret=SECRET)):
        yield


def post(client: Client, body, secret: str | None = SECRET, headers: dict | None = None, **extra):
    sent = {"Authorization": f"Bearer {secret}"} if secret is not None else {}
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", headers=sent | (headers or {}), **extra)


def counted() -> dict[tuple, int]:
    return {(c.topic, c.script, c.outcome): c.count for c in WeeklyCount.objects.all()}


def test_the_bot_counts_one_event_this_week(csrf_client: Client) -> None:
    first = post(csrf_client, VALID)  # no CSRF token: the bot has none, the secret stands in for it
    assert first.status_code == 200
    post(csrf_client, VALID)
    post(csrf_client, {"topic": "", "script": "uz_Cyrl", "outcome": "risk_check_finished"})
    assert counted() == {("summons_received", "tg", "declined"): 2, ("", "uz_Cyrl", "risk_check_finished"): 1}
    assert WeeklyCount.objects.get(script="tg").week.isoformat() == first.json()["week"]
    assert WeeklyCount.objects.get(script="tg").week.weekday() == 0  # a Monday


@pytest.mark.parametrize(
    "secret",
    [None, "", "wrong", SECRET[:-1], SECRET + "x", f"{SECRET} "],
    ids=["none", "empty", "wrong", "short", "long", "space"],
)
def test_without_the_secret_the_answer_is_403_and_nothing_is_counted(client: Client, secret) -> None:
    response = post(client, VALID, secret=secret)
    assert response.status_code == 403
    assert response.json() == {"error": "forbidden"}
    assert counted() == {}


def test_another_scheme_than_bearer_is_refused(client: Client) -> None:
    response = client.post(
        URL, json.dumps(VALID), content_type="application/json", headers={"Authorization": f"Basic {SECRET}"}
    )
    assert response.status_code == 403


def test_from_another_machine_or_through_a_proxy_the_secret_is_not_enough(client: Client) -> None:
    assert post(client, VALID, REMOTE_ADDR="192.0.2.7").status_code == 403
    assert post(client, VALID, headers={"X-Forwarded-For": "192.0.2.7"}).status_code == 403
    assert post(client, VALID, REMOTE_ADDR="::1").status_code == 200
    assert counted() == {("summons_received", "tg", "declined"): 1}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("not json", "not_json"),
        (b"\xff\xfe", "not_json"),
        ([], "fields"),
        ({"topic": "summons_received", "script": "tg"}, "fields"),
        ({**VALID, "text": "a question"}, "fields"),  # no text is ever taken, not even ignored
        ({**VALID, "pseudonym": "abc"}, "fields"),
        ({**VALID, "topic": None}, "not_text"),
        ({**VALID, "outcome": 1}, "not_text"),
        ({**VALID, "topic": "no_such_topic"}, "unknown_topic"),
        ({**VALID, "topic": "greet"}, "unknown_topic"),  # a meta answer is not a topic
        ({**VALID, "script": "en"}, "unknown_script"),
        ({**VALID, "script": "uz_cyrl"}, "unknown_script"),
        ({**VALID, "outcome": "answerd"}, "unknown_outcome"),
        ({**VALID, "outcome": ""}, "unknown_outcome"),
    ],
)
def test_an_invalid_body_is_a_400_naming_the_problem_and_nothing_is_counted(client: Client, body, error: str) -> None:
    response = post(client, body)
    assert response.status_code == 400
    assert response.json() == {"error": error}
    assert counted() == {}


def test_only_post(client: Client) -> None:
    assert client.get(URL, headers={"Authorization": f"Bearer {SECRET}"}).status_code == 405
