"""Two changes to Rasa 3.6.21 hot spots, found by profiling the REST + custom-action turn.

py-spy on the Rasa server under load (docs/measurements.md) showed that a third of its time went
to work that gives the same result every time:
- `RemoteAction._validate_action_result` calls `jsonschema.validate`, which checks the schema
  itself and builds a new validator on every action call. Here the validator is built once; the
  same response is accepted or rejected with the same error as before.
- `Event.resolve_by_type` walks every subclass of Event (and `inspect.isabstract` on each) for
  every stored event it deserialises. Here the answer is remembered per type name.
Both are pure functions of fixed inputs; tests/test_patches.py checks they agree with Rasa's
own versions. Behaviour does not change (the session limit, which does, is session_limit.py).
"""

from __future__ import annotations

from typing import Any

import jsonschema
import rasa.shared.core.events as events
from rasa.core.actions.action import RemoteAction

_original_resolve_by_type = events.Event.resolve_by_type
_resolved: dict[tuple, type[events.Event] | None] = {}
_validator: Any | None = None


def resolve_by_type(type_name: str, default: type[events.Event] | None = None) -> type[events.Event] | None:
    """Event.resolve_by_type, remembered per (type name, default); unknown names still raise."""
    key = (type_name, default)
    if key not in _resolved:
        _resolved[key] = _original_resolve_by_type(type_name, default)
    return _resolved[key]


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the validator built once."""
    global _validator
    if _validator is None:
        schema = RemoteAction.action_response_format_spec()
        _validator = jsonschema.validators.validator_for(schema)(schema)
    error = jsonschema.exceptions.best_match(_validator.iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your "
            "response from the Action endpoint is valid."
        )
        raise error
    return True


def apply() -> None:
    """Install both changes (idempotent)."""
    events.Event.resolve_by_type = staticmethod(resolve_by_type)
    RemoteAction._validate_action_result = validate_action_result
