"""A session also ends after MAX_SESSION_EVENTS events, as it does after an hour of silence.

This is dialogue behaviour, not a speed-up, though speed is why it exists: every turn reloads
and replays the whole session (SQL rows, JSON, events, rule states), so a turn costs more the
longer the session. In the Telegram benchmark 20 users who each sent 45 messages got 23
replies/s where 100 users with 9 each got 30 (docs/measurements.md). The slots (language, last
topic) carry over to the new session as usual (domain.yml session_config), and Kenesh's rules
look only at the current turn, so answers do not change. A risk check in progress is never cut.
"""

from __future__ import annotations

import rasa.shared.core.events as events
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

MAX_SESSION_EVENTS = 60  # about eight question-and-answer turns
_original_has_session_expired = MessageProcessor._has_session_expired


def events_in_session(tracker: DialogueStateTracker) -> int:
    """How many events the tracker holds since its latest session start."""
    count = 0
    for event in reversed(tracker.events):
        if isinstance(event, events.SessionStarted):
            break
        count += 1
    return count


def has_session_expired(self: MessageProcessor, tracker: DialogueStateTracker) -> bool:
    """Rasa's rule (an hour without messages), or the session has grown past MAX_SESSION_EVENTS
    (not while a form runs: a new session would end the risk check half way)."""
    if not self.domain.session_config.are_sessions_enabled():
        return False
    too_long = events_in_session(tracker) > MAX_SESSION_EVENTS and tracker.active_loop_name is None
    return too_long or _original_has_session_expired(self, tracker)


def apply() -> None:
    """Install the limit (idempotent)."""
    MessageProcessor._has_session_expired = has_session_expired
