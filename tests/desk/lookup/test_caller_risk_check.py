"""The caller's risk check: the chat's questions (same engine, same ask_if) as a form; nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from bot.risk.card import risk_card
from bot.risk.engine import assess, next_question
from desk.lookup.knowledge import knowledge, risk_rules
from desk.lookup.risk_check import interview

pytestmark = pytest.mark.django_db
URL = reverse("lookup-risk-check")
DETAINED = {"situation_now": "detained", "home_country": "tj", "russian_citizen": "not_citizen"}


def questions_shown(form: dict, script: str = "tg") -> list[str]:
    return [field.question.id for field in interview(knowledge(), risk_rules(), form, script).fields]


def test_the_first_question_is_the_chats_first_question() -> None:
    assert questions_shown({}) == [risk_rules().questions[0].id]


def test_each_step_asks_what_the_engine_asks_next() -> None:
    rules, form, answers = risk_rules(), {}, {}
    for question_id, value in DETAINED.items():
        form[f"q_{question_id}"] = value
        answers[question_id] = value
        upcoming = next_question(rules, answers)
        shown = questions_shown(form)
        assert shown[: len(answers)] == list(answers)
        assert shown[len(answers) :] == ([upcoming.id] if upcoming else [])


def test_a_question_whose_ask_if_fails_is_never_shown() -> None:
    shown = questions_shown({f"q_{k}": v for k, v in DETAINED.items()})
    assert "location" not in shown and "sex" not in shown  # asked only when situation_now is none


def test_a_changed_answer_drops_the_answers_that_no_longer_apply() -> None:
    rules = risk_rules()
    form = {"q_situation_now": "none", "q_location": rules.question("location").options[0]}
    assert "location" in questions_shown(form)
    form["q_situation_now"] = "detained"
    assert "location" not in questions_shown(form)


def test_the_card_is_the_engines_card_in_the_callers_script() -> None:
    kb, rules = knowledge(), risk_rules()
    form = {f"q_{k}": v for k, v in DETAINED.items()}
    while (state := interview(kb, rules, form, "tg")) and not state.complete:
        last = state.fields[-1]
        form[last.name] = last.question.options[-1] if last.question.options else ""
    answers = {f.question.id: f.answer for f in state.fields}
    expected = [m.text for m in risk_card(kb, rules, assess(rules, answers, dt.date.today()), "tg")]
    assert list(state.card) == expected
    assert state.urgent


def test_a_date_answer_counts_as_in_the_chat() -> None:
    rules = risk_rules()
    date_question = next(q for q in rules.questions if q.kind.value == "date")
    state = interview(
        knowledge(), rules, {f"q_{date_question.id}": "date", f"q_{date_question.id}_date": "2026-11-20"}, "ru"
    )
    # not asked yet (its ask_if needs earlier answers), so it is not kept either
    assert date_question.id not in [f.question.id for f in state.fields]


def test_a_wrong_answer_is_asked_again_and_flagged() -> None:
    state = interview(knowledge(), risk_rules(), {"q_situation_now": "<script>"}, "tg")
    assert state.fields[-1].question.id == "situation_now" and state.fields[-1].error


def test_the_page_walks_through_to_a_card_to_copy(as_staff: Client) -> None:
    form = {"lang": "tg", **{f"q_{k}": v for k, v in DETAINED.items()}}
    for _ in range(30):
        response = as_staff.post(URL, form)
        state = response.context["interview"]
        if state.complete:
            break
        last = state.fields[-1]
        form[last.name] = last.question.options[-1]
    page = response.content.decode()
    assert 'id="card-text"' in page and 'data-copy="card-text"' in page
    assert state.card[0].split("\n")[0] in page


def test_nothing_is_stored(as_staff: Client) -> None:
    sessions = Session.objects.count()
    session_data = as_staff.session.items()
    response = as_staff.post(URL, {"lang": "ky", **{f"q_{k}": v for k, v in DETAINED.items()}})
    assert response.status_code == 200
    assert Session.objects.count() == sessions and as_staff.session.items() == session_data
    assert "no-store" in response.headers["Cache-Control"]


def test_it_needs_the_csrf_token(cast, csrf_client: Client) -> None:
    csrf_client.force_login(cast["staff"])
    assert csrf_client.post(URL, {"q_situation_now": "detained"}).status_code == 403
