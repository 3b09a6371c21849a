"""rasa_project/actions: run each action on a Tracker, with no server (as Sara's tests do)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from rasa_project.actions.answers import ActionAnswerMeta, ActionAnswerMore, ActionAnswerTopic
from rasa_project.actions.fallback import ActionClarify
from rasa_project.actions.language import ActionChooseLanguage

SCRIPTS_AND_QUESTIONS = {
    "ky": ("Булактар:", "повестка келди эмне кылам"),
    "ru": ("Источники:", "пришла повестка что мне делать"),
    "uz": ("Manbalar:", "menga chaqiruv qog'ozi keldi nima qilaman"),
    "uz_Cyrl": ("Манбалар:", "менга чақирув қоғози келди нима қиламан"),
    "tg": ("Манбаъҳо:", "ба ман даъватнома омад чӣ кунам"),
}


def tracker(
    text: str,
    intent: str,
    slots: dict[str, Any] | None = None,
    ranking: list[dict] | None = None,
    entities: list[dict] | None = None,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": ranking or [],
        "entities": entities or [],
    }
    return Tracker("test-user", slots or {}, latest, [], False, None, {}, "action_listen")


def run(action, tracker_: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, {}))
    return dispatcher.messages, events


@pytest.mark.parametrize("script", SCRIPTS_AND_QUESTIONS)
def test_topic_answer_in_the_language_of_the_question(script: str) -> None:
    label, question = SCRIPTS_AND_QUESTIONS[script]
    messages, events = run(ActionAnswerTopic(), tracker(question, "summons_received"))
    text = messages[0]["text"]
    assert label in text and "http" in text
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[0] == "/ask_more" and "/summons_restrictions_exit" in payloads
    assert {"event": "slot", "name": "current_topic", "value": "summons_received", "timestamp": None} in events
    assert {"event": "slot", "name": "language", "value": script, "timestamp": None} in events


def test_chosen_language_wins_over_the_message_language() -> None:
    messages, _ = run(
        ActionAnswerTopic(),
        tracker("пришла повестка", "summons_received", slots={"language": "tg", "language_chosen": True}),
    )
    assert "Манбаъҳо:" in messages[0]["text"]


def test_button_press_keeps_the_previous_language() -> None:
    messages, _ = run(ActionAnswerTopic(), tracker("/evasion_liability", "evasion_liability", slots={"language": "ky"}))
    assert "Булактар:" in messages[0]["text"]


def test_more_gives_details_of_the_current_topic() -> None:
    messages, _ = run(
        ActionAnswerMore(),
        tracker("подробнее", "ask_more", slots={"current_topic": "evasion_liability", "language": "ru"}),
    )
    assert "Источники:" in messages[0]["text"] and len(messages[0]["text"]) > 600


def test_more_without_a_topic_asks_for_a_question() -> None:
    messages, _ = run(ActionAnswerMore(), tracker("подробнее", "ask_more", slots={"language": "ru"}))
    assert "Сначала задайте вопрос" in messages[0]["text"] and messages[0]["buttons"]


def test_out_of_scope_gets_no_legal_answer_but_the_menu() -> None:
    messages, _ = run(ActionAnswerMeta(), tracker("какая погода завтра", "out_of_scope"))
    assert "Источники:" not in messages[0]["text"]
    assert "/summons_received" in [b["payload"] for b in messages[0]["buttons"]]
    assert messages[-1]["custom"] == {"kenesh": {"declined": True}}  # the radar counts it as unanswered


def test_a_greeting_is_no_unanswered_question() -> None:
    messages, _ = run(ActionAnswerMeta(), tracker("салам", "greet"))
    assert all("custom" not in message or not message["custom"] for message in messages)


def test_clarify_offers_the_two_best_topics_and_a_person() -> None:
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "evasion_liability", "confidence": 0.4},
        {"name": "greet", "confidence": 0.3},
        {"name": "summons_received", "confidence": 0.2},
        {"name": "mercenarism_kg", "confidence": 0.1},
    ]
    messages, _ = run(ActionClarify(), tracker("эээ повестка штраф", "nlu_fallback", ranking=ranking))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == ["/evasion_liability", "/summons_received", "/hotlines_human_help"]
    assert messages[-1]["custom"] == {"kenesh": {"clarify": True}}


def test_a_topic_answer_signals_its_topic_and_a_meta_answer_signals_nothing() -> None:
    messages, _ = run(ActionAnswerTopic(), tracker("пришла повестка", "summons_received"))
    assert [m["custom"] for m in messages if m.get("custom")] == [{"kenesh": {"topic": "summons_received"}}]
    messages, _ = run(ActionAnswerMeta(), tracker("привет", "greet"))
    assert not any(m.get("custom") for m in messages)


def test_an_unknown_topic_is_a_did_you_mean_and_says_so() -> None:
    messages, _ = run(ActionAnswerTopic(), tracker("что-то", "no_such_topic"))
    assert messages[-1]["custom"] == {"kenesh": {"clarify": True}}


@pytest.mark.parametrize(
    "script, confirmation", [("ky", "Тил тандалды"), ("uz_Cyrl", "Тил танланди"), ("tg", "Забон интихоб шуд")]
)
def test_choosing_a_language_sets_and_confirms_it(script: str, confirmation: str) -> None:
    messages, events = run(
        ActionChooseLanguage(), tracker("", "choose_language", entities=[{"entity": "language", "value": script}])
    )
    assert confirmation in messages[0]["text"]
    assert {"event": "slot", "name": "language_chosen", "value": True, "timestamp": None} in events


def test_choose_language_without_a_language_offers_buttons() -> None:
    messages, events = run(ActionChooseLanguage(), tracker("хочу другой язык", "choose_language"))
    assert len(messages[0]["buttons"]) == 5 and events == []


def test_session_start_carries_each_slot_once() -> None:
    from rasa_project.actions.session import ActionSessionStart

    slots = {"language": "ky", "language_chosen": True, "current_topic": None}
    _, events = run(ActionSessionStart(), tracker("", "", slots=slots))
    assert [e["event"] for e in events] == ["session_started", "slot", "slot", "action"]
    assert {(e["name"], e["value"]) for e in events if e["event"] == "slot"} == {
        ("language", "ky"),
        ("language_chosen", True),
    }
    assert events[-1]["name"] == "action_listen"


@pytest.mark.slow  # a fresh process that imports rasa_sdk and reads the whole knowledge base
def test_the_action_server_loads_knowledge_rules_and_language_model_before_its_first_request() -> None:
    """As `rasa run actions --actions actions` does: importing the package reads the knowledge base and
    the rules (and starts watching them for published changes) and loads the language model."""
    import subprocess
    import sys

    from bot.settings import REPO_ROOT

    probe = (
        "import threading, actions; from bot.risk import live; from bot.language.detect import load_identifier; "
        "print(len(live._serving), any(t.name == 'kenesh-live-knowledge' for t in threading.enumerate()), "
        "load_identifier.cache_info().currsize)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT / "rasa_project", capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["1", "True", "1"]
