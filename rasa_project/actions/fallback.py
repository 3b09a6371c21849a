""" "Did you mean …": the two best topics as buttons, and a person to talk to."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import render

from .common import knowledge, language_event, send, signal, user_script


def best_topics(tracker: Tracker, topic_ids: set) -> tuple[str, ...]:
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    return render.offered_topics((item.get("name") for item in ranking), topic_ids)


class ActionClarify(Action):
    def name(self) -> str:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Ask which of the two best topics the user meant, offering a human too."""
        kb, script = knowledge(), user_script(tracker)
        send(dispatcher, render.clarification(kb, best_topics(tracker, set(kb.topics)), script))
        signal(dispatcher, clarify=True)
        return language_event(tracker, script)
