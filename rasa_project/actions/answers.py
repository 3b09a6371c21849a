"""Answer a topic, give its details on "more", and answer meta intents."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import render
from bot.language.i18n import gettext_for

from .common import knowledge, language_event, latest_intent, send, signal, user_script

OUT_OF_SCOPE = "out_of_scope"
MENU_INTENTS = {"greet", "help", OUT_OF_SCOPE}


class ActionAnswerTopic(Action):
    def name(self) -> str:
        return "action_answer_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the short answer of the topic the user asked about."""
        kb, script = knowledge(), user_script(tracker)
        topic_id = latest_intent(tracker)
        if topic_id not in kb.topics:
            send(dispatcher, render.clarification(kb, [], script))
            signal(dispatcher, clarify=True)
            return language_event(tracker, script)
        send(dispatcher, render.topic_answer(kb, topic_id, script))
        signal(dispatcher, topic=topic_id)
        return language_event(tracker, script) + [SlotSet("current_topic", topic_id)]


class ActionAnswerMore(Action):
    def name(self) -> str:
        return "action_answer_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the details of the last topic, or ask for a question first."""
        kb, script = knowledge(), user_script(tracker)
        topic_id = tracker.get_slot("current_topic")
        if topic_id in kb.topics:
            send(dispatcher, render.topic_details(kb, topic_id, script))
        else:
            _ = gettext_for(script)
            send(
                dispatcher,
                render.Answer(
                    _("Please ask a question first, then I can tell you more."), render.menu_buttons(kb, script)
                ),
            )
        return language_event(tracker, script)


class ActionAnswerMeta(Action):
    def name(self) -> str:
        return "action_answer_meta"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Send the meta answer for greet, help, thanks, goodbye or out of scope."""
        kb, script = knowledge(), user_script(tracker)
        intent = latest_intent(tracker)
        if intent in kb.meta:
            send(dispatcher, render.meta_answer(kb, intent, script, with_menu=intent in MENU_INTENTS))
            if intent == OUT_OF_SCOPE:
                signal(dispatcher, declined=True)  # a question Kenesh has no answer for: the radar counts it
        else:
            send(dispatcher, render.clarification(kb, [], script))
            signal(dispatcher, clarify=True)
        return language_event(tracker, script)
