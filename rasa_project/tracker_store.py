"""Rasa's SQL tracker store, minus the user's words: message text is never written to disk.

The text of a message is needed only during its own turn (language understanding and the
action's language guess run before the tracker is saved). Later turns use intents and slots, so
the stored copy of each user message keeps its intent, entities and ranking and loses its text.
Configured in endpoints.yml / endpoints.production.yml as
`type: rasa_project.tracker_store.RedactingSQLTrackerStore`.
"""

from __future__ import annotations

from typing import Any, Iterator

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker


def without_text(event: Event) -> Event:
    """A copy of a user message with its text (and metadata) removed; other events unchanged."""
    if not isinstance(event, UserUttered):
        return event
    data = event.as_dict()
    data["text"] = None
    data["metadata"] = {}
    parse_data = data.get("parse_data") or {}
    parse_data["text"] = None
    parse_data.pop("metadata", None)
    for entity in parse_data.get("entities") or []:
        entity.pop("text", None)  # the span of the message the entity came from
    data["parse_data"] = parse_data
    return Event.from_parameters(data)


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that stores user messages without their text."""

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        return (without_text(event) for event in super()._additional_events(session, tracker))
