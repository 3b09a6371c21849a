"""action_session_start: a new session keeps each slot's current value, once.

Rasa's built-in session start copies every SlotSet event of the old session into the new one,
copies included, so the carried events pile up session after session (measured: 14,000 slot
events after 150 messages once sessions were bounded). This version carries one event per slot.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Start a session carrying the current value of every slot that has one."""
        carried = [
            SlotSet(name, value)
            for name, value in sorted(tracker.slots.items())
            if value is not None and name != "session_started_metadata"
        ]
        return [SessionStarted(), *carried, ActionExecuted("action_listen")]
