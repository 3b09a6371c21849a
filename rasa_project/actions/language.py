"""Set the `language` slot from the user's explicit choice."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import render
from bot.language.codes import NATIVE_NAMES, SCRIPTS
from bot.language.i18n import gettext_for

from .common import knowledge, send, user_script


def _chosen_script(tracker: Tracker) -> str | None:
    entity = next(tracker.get_latest_entity_values("language"), None)
    if entity in SCRIPTS:
        return entity
    text = (tracker.latest_message or {}).get("text") or ""
    for script, name in NATIVE_NAMES.items():
        if name.lower() in text.lower():
            return script
    return None


class ActionChooseLanguage(Action):
    def name(self) -> str:
        return "action_choose_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Switch to the language the user named, or offer the choice as buttons."""
        script = _chosen_script(tracker)
        if script is None:
            current = user_script(tracker)
            _ = gettext_for(current)
            buttons = tuple(
                render.Button(name, render.choose_language_payload(code)) for code, name in NATIVE_NAMES.items()
            )
            send(dispatcher, render.Answer(_("Choose a language:"), buttons))
            return []
        _ = gettext_for(script)
        send(
            dispatcher,
            render.Answer(
                _("Language set: {language}.").format(language=NATIVE_NAMES[script]),
                render.menu_buttons(knowledge(), script),
            ),
        )
        return [SlotSet("language", script), SlotSet("language_chosen", True)]
