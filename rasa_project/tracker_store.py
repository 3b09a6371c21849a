"""Rasa's SQL tracker store, minus the user's words: message text is never written to disk.

The text of a message is needed only during its own turn (language understanding and the
action's language guess run before the tracker is saved). Later turns use intents and slots, so
the stored copy of each user message keeps its intent, entities and ranking and loses its text,
and a slot filled with the raw text (`from_text`, the risk check's `risk_answer`) is stored empty.
Configured in endpoints.yml / endpoints.production.yml as
`type: rasa_project.tracker_store.RedactingSQLTrackerStore`.

On SQLite (the laptop default) it also keeps one connection open instead of opening the file for
every query, in write-ahead-log mode: each turn's commit no longer waits for a full disk sync.
A crash of the process loses nothing; a power cut may lose the last turns.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker


def without_text(event: Event, text_slots: Collection[str] = ()) -> Event:
    """A copy of a user message with its text (and metadata) removed, or of a slot that holds
    message text with its value removed; other events unchanged."""
    if isinstance(event, SlotSet) and event.key in text_slots:
        return SlotSet(event.key, None, event.timestamp, event.metadata)
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


def _sqlite_pragmas(connection: Any, record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that stores user messages without their text."""

    engine: sa.engine.Engine  # SQLTrackerStore.__init__ sets it unannotated: mypy cannot infer its type

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # Rasa's server runs its queries on one thread: one connection for that thread.
            self.engine = sa.create_engine(self.engine.url, poolclass=sa.pool.SingletonThreadPool)
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        slots = self.domain.slots if self.domain else []
        text_slots = {slot.name for slot in slots if any(m.get("type") == "from_text" for m in slot.mappings)}
        return (without_text(event, text_slots) for event in super()._additional_events(session, tracker))
