"""Three changes to Rasa 3.6.21 hot spots, found by profiling the REST + custom-action turn.

py-spy on the Rasa server under load (docs/measurements.md) showed that a third of its time went
to work that gives the same result every time:
- `RemoteAction._validate_action_result` calls `jsonschema.validate`, which checks the schema
  itself and builds a new validator on every action call. Here the validator is built once; the
  same response is accepted or rejected with the same error as before.
- `Event.resolve_by_type` walks every subclass of Event (and `inspect.isabstract` on each) for
  every stored event it deserialises. Here the answer is remembered per type name.
Both are pure functions of fixed inputs; tests/test_speedups.py checks they agree with Rasa's
own versions.
- Every turn reloads and replays the whole session (SQL rows, JSON, events, rule states), so a
  turn costs more the longer the session: in the Telegram benchmark 20 users who each sent 45
  messages got 23 replies/s where 100 users with 9 each got 30. A session now also ends after
  MAX_SESSION_EVENTS events, as it does after an hour of silence; the slots (language, last
  topic) carry over to the new session as usual (domain.yml session_config), and Kenesh's rules
  look only at the current turn, so answers do not change.
`apply()` is idempotent and is called by `python -m rasa_project`.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text, Type

import jsonschema
import rasa.shared.core.events as events
from rasa.core.actions.action import RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

MAX_SESSION_EVENTS = 60  # about eight question-and-answer turns
_original_has_session_expired = MessageProcessor._has_session_expired

_original_resolve_by_type = events.Event.resolve_by_type
_resolved: Dict[tuple, Optional[Type[events.Event]]] = {}
_validator: Optional[Any] = None


def resolve_by_type(type_name: Text, default: Optional[Type[events.Event]] = None) -> Optional[Type[events.Event]]:
    """Event.resolve_by_type, remembered per (type name, default); unknown names still raise."""
    key = (type_name, default)
    if key not in _resolved:
        _resolved[key] = _original_resolve_by_type(type_name, default)
    return _resolved[key]


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """RemoteAction._validate_action_result with the validator built once."""
    global _validator
    if _validator is None:
        schema = RemoteAction.action_response_format_spec()
        _validator = jsonschema.validators.validator_for(schema)(schema)
    error = jsonschema.exceptions.best_match(_validator.iter_errors(result))
    if error is not None:
        error.message += (". Failed to validate Action server response from API, make sure your "
                          "response from the Action endpoint is valid.")
        raise error
    return True


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
    """Install the three changes (idempotent)."""
    events.Event.resolve_by_type = staticmethod(resolve_by_type)
    RemoteAction._validate_action_result = validate_action_result
    MessageProcessor._has_session_expired = has_session_expired
