"""What every action needs: the knowledge base, the user's script, sending an Answer.

The action server reads its Settings once, here (it is an edge, like bot.cli). The knowledge base
and the risk rules are the live ones (bot.risk.live): a published change is answered with, no restart."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.render import Answer
from bot.language.codes import DEFAULT_LANGUAGE, SCRIPTS
from bot.language.detect import detect, load_identifier
from bot.language.identifier import LanguageIdentifier
from bot.risk.live import Served, serving
from bot.risk.rules import RiskRules
from bot.settings import Settings

SETTINGS = Settings.from_env()


def served() -> Served:
    """The knowledge base and the risk rules as published now: take it once per action, so one
    answer never mixes two versions."""
    return serving(SETTINGS.knowledge_dir).current()


def knowledge() -> KnowledgeBase:
    return served().knowledge


def risk_rules() -> RiskRules:
    return served().rules


def language_model() -> LanguageIdentifier | None:
    return load_identifier(SETTINGS.language_model_path)


def warm_up() -> None:
    """Load the knowledge base, the risk rules and the language model before the first action needs them."""
    served()  # and starts watching the knowledge folder for published changes
    language_model()


def user_script(tracker: Tracker) -> str:
    """The script to answer in: the user's choice, else what this message is written in."""
    chosen = tracker.get_slot("language") if tracker.get_slot("language_chosen") else None
    if chosen in SCRIPTS:
        return chosen
    previous = tracker.get_slot("language")
    text = (tracker.latest_message or {}).get("text") or ""
    if text.startswith("/"):  # a button press carries no language of its own
        return previous if previous in SCRIPTS else DEFAULT_LANGUAGE
    detection = detect(text, language_model())
    if detection.language == "en" or detection.confidence == 0:
        return previous if previous in SCRIPTS else DEFAULT_LANGUAGE
    return detection.serve_script


def latest_intent(tracker: Tracker) -> str:
    """The intent Rasa acted on (rasa_sdk's helper reads the ranking and skips fallbacks)."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""


def send(dispatcher: CollectingDispatcher, answer: Answer) -> None:
    buttons: list[dict[str, Any]] = [{"title": b.title, "payload": b.payload} for b in answer.buttons]
    dispatcher.utter_message(text=answer.text, buttons=buttons)


def signal(dispatcher: CollectingDispatcher, **what: Any) -> None:
    """Tell the front end what this turn was (`{"kenesh": {"topic": id}}`, …): a reply of its own,
    with no text, that the Telegram bot reads to offer a person and the console ignores."""
    dispatcher.utter_message(json_message={"kenesh": what})


def language_event(tracker: Tracker, script: str) -> list[dict[str, Any]]:
    return [] if tracker.get_slot("language") == script else [SlotSet("language", script)]
