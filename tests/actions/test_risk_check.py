"""rasa_project/actions/risk_check.py: the risk-check form's state, questions and card, with no server."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.risk.answers import Input, payload
from rasa_project.actions.common import risk_rules as rules
from rasa_project.actions.risk_check import (
    CHANGING,
    DONE,
    STOPPED,
    ActionAskRiskAnswer,
    ActionRiskCard,
    ActionRiskStart,
    Interview,
    ValidateRiskCheckForm,
    apply,
)

DETAINED = (("situation_now", "detained"), ("home_country", "kg"))


def tracker(text: str, slots: dict[str, Any] | None = None) -> Tracker:
    latest = {"text": text, "intent": {"name": "risk_check", "confidence": 1.0}, "intent_ranking": [], "entities": []}
    return Tracker("test-user", slots or {}, latest, [], False, None, {"name": "risk_check_form"}, "action_listen")


def slots_of(interview: Interview, language: str = "ru") -> dict[str, Any]:
    return {**interview.slots(), "language": language}


def run(action, tracker_: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, {}))
    return dispatcher.messages, events


def test_an_answer_moves_to_the_next_question_and_the_last_one_finishes() -> None:
    after = apply(rules(), Interview(DETAINED), Input("answer", "citizen"))
    assert after.answers[-1] == ("russian_citizen", "citizen") and after.status == DONE


def test_back_undoes_the_last_answer() -> None:
    assert apply(rules(), Interview(DETAINED), Input("control", "back")).answers == DETAINED[:1]


def test_change_lists_the_answers_and_an_edit_reopens_one_question() -> None:
    changing = apply(rules(), Interview(DETAINED), Input("control", "change"))
    assert changing.mode == CHANGING
    reopened = apply(rules(), changing, Input("edit", "situation_now"))
    assert reopened.answers == (("home_country", "kg"),) and reopened.mode is None


def test_stop_and_restart_erase_the_answers() -> None:
    assert apply(rules(), Interview(DETAINED), Input("control", "stop")) == Interview(status=STOPPED)
    assert apply(rules(), Interview(DETAINED), Input("control", "restart")) == Interview()


def test_a_message_not_understood_changes_nothing_and_says_so() -> None:
    dispatcher = CollectingDispatcher()
    result = ValidateRiskCheckForm().validate_risk_answer(
        "что такое повестка?", dispatcher, tracker("что такое повестка?", slots_of(Interview(DETAINED))), {}
    )
    assert json.loads(result["risk_answers"]) == [list(pair) for pair in DETAINED]
    assert "не понял" in dispatcher.messages[0]["text"]


def test_a_button_of_an_earlier_question_gets_the_current_one_again() -> None:
    """A user scrolls up and presses "detained" again while the check asks for the home country."""
    dispatcher = CollectingDispatcher()
    stale = payload("answer", "detained")
    result = ValidateRiskCheckForm().validate_risk_answer(
        stale, dispatcher, tracker(stale, slots_of(Interview(DETAINED[:1]))), {}
    )
    assert json.loads(result["risk_answers"]) == [list(DETAINED[0])] and result["risk_answer"] is None
    assert [m["text"] for m in dispatcher.messages] == [
        "Эта кнопка — от прежнего вопроса. Пожалуйста, ответьте на вопрос ниже."
    ]


def test_the_form_ends_once_the_check_is_done_or_stopped() -> None:
    form = ValidateRiskCheckForm()
    for status, expected in ((None, ["risk_answer"]), (DONE, []), (STOPPED, [])):
        got = asyncio.run(form.required_slots([], CollectingDispatcher(), tracker("", {"risk_status": status}), {}))
        assert got == expected


@pytest.mark.parametrize(
    "script, question",
    [
        ("ru", "Гражданином какой страны"),
        ("ky", "кайсы өлкөнүн"),
        ("uz", "Qaysi davlat"),
        ("uz_Cyrl", "Қайси давлат"),
        ("tg", "шаҳрванди"),
    ],
)
def test_the_question_comes_with_its_options_and_the_controls_in_the_users_script(script: str, question: str) -> None:
    messages, _ = run(ActionAskRiskAnswer(), tracker("", slots_of(Interview(DETAINED[:1]), script)))
    assert question in messages[0]["text"]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payload("answer", "kg") in payloads and payload("back") in payloads and payload("stop") in payloads


def test_the_card_is_shown_then_every_answer_is_erased() -> None:
    done = Interview(DETAINED + (("russian_citizen", "not_citizen"),), status=DONE)
    messages, events = run(ActionRiskCard(), tracker("", slots_of(done)))
    texts = [m["text"] for m in messages if m["text"]]
    assert texts[0].startswith("Срочно") and "Кыргызстан" in "\n".join(texts)
    assert {(e["name"], e["value"]) for e in events} == {
        ("risk_answers", None),
        ("risk_mode", None),
        ("risk_status", None),
    }


def test_the_card_ends_with_a_signal_of_levels_and_urgency_for_the_bot() -> None:
    done = Interview(DETAINED + (("russian_citizen", "not_citizen"),), status=DONE)
    messages, _ = run(ActionRiskCard(), tracker("", slots_of(done)))
    signal = messages[-1]["custom"]["kenesh"]["risk"]
    assert messages[-1]["text"] is None
    assert signal["urgent"] is True  # detained: the card starts with "Срочно"
    assert set(signal["levels"]) >= {"ru"} and set(signal["levels"].values()) <= {"note", "low", "medium", "high"}
    assert "detained" not in json.dumps(signal)  # levels, not the answers


def test_the_signal_names_each_deadline_s_finding_so_the_desk_can_word_it() -> None:
    today = dt.date.today()
    summoned = (
        ("situation_now", "none"),
        ("home_country", "other"),
        ("russian_citizen", "citizen"),
        ("location", "russia"),
        ("sex", "female"),
        ("summons", "paper"),
        ("summons_date", (today - dt.timedelta(days=3)).isoformat()),
        ("appearance_date", (today + dt.timedelta(days=10)).isoformat()),
        ("contract", "none"),
        ("occupied_work", "none"),
        ("family", "none"),
    )
    messages, _ = run(ActionRiskCard(), tracker("", slots_of(Interview(summoned, status=DONE))))
    deadlines = messages[-1]["custom"]["kenesh"]["risk"]["deadlines"]
    assert deadlines and all(set(deadline) == {"finding", "id", "date"} for deadline in deadlines)
    assert {deadline["finding"] for deadline in deadlines} <= {finding.id for finding in rules().findings}


def test_a_stopped_check_sends_no_risk_signal() -> None:
    messages, _ = run(ActionRiskCard(), tracker("", slots_of(Interview(status=STOPPED))))
    assert not any(m.get("custom") for m in messages)


def test_a_stopped_check_says_the_answers_are_erased() -> None:
    messages, _ = run(ActionRiskCard(), tracker("", slots_of(Interview(status=STOPPED))))
    assert messages[0]["text"] == "Проверка остановлена."


def test_the_start_explains_and_clears_earlier_answers() -> None:
    messages, events = run(ActionRiskStart(), tracker("какой у меня риск", slots_of(Interview(DETAINED))))
    assert "24" in messages[0]["text"]
    assert ("risk_answers", None) in {(e["name"], e["value"]) for e in events}
