"""rasa_project/patches: the faster versions agree with Rasa's own; the session limit; the version guard."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

from rasa_project import patches
from rasa_project.patches import session_limit, speedups


@pytest.mark.parametrize("event_class", [c for c in all_subclasses(Event) if getattr(c, "type_name", None)])
def test_resolve_by_type_agrees_with_rasa(event_class) -> None:
    name = event_class.type_name
    assert speedups.resolve_by_type(name) is speedups._original_resolve_by_type(name)


def test_unknown_event_types_still_raise() -> None:
    with pytest.raises(ValueError):
        speedups.resolve_by_type("no_such_event")


GOOD = {"events": [{"event": "slot", "name": "language", "value": "ky"}], "responses": [{"text": "Салам"}]}
BAD = {"events": [{"event": "slot", "name": 5}], "responses": "not a list"}


def test_action_results_are_judged_as_rasa_judges_them() -> None:
    action = RemoteAction("action_answer_topic", None)
    assert speedups.validate_action_result(action, GOOD) is True
    with pytest.raises(jsonschema.ValidationError) as ours:
        speedups.validate_action_result(action, BAD)
    with pytest.raises(jsonschema.ValidationError) as rasas:
        jsonschema.validate(BAD, RemoteAction.action_response_format_spec())
    assert ours.value.path == rasas.value.path


def test_sessions_are_counted_from_the_latest_start() -> None:
    events = [SessionStarted(), SlotSet("language", "ky"), ActionExecuted("action_listen")]
    events += [UserUttered("x", {"name": "greet"}), ActionExecuted("action_answer_meta")] * 5
    tracker = DialogueStateTracker.from_events("s", events + [SessionStarted(), SlotSet("language", "ky")])
    assert session_limit.events_in_session(tracker) == 1
    assert session_limit.events_in_session(DialogueStateTracker.from_events("s", events)) == 12


def test_apply_installs_the_changes() -> None:
    from rasa.core.processor import MessageProcessor

    patches.apply()
    assert Event.resolve_by_type is speedups.resolve_by_type
    assert RemoteAction._validate_action_result is speedups.validate_action_result
    assert MessageProcessor._has_session_expired is session_limit.has_session_expired


def test_another_rasa_version_is_refused_before_anything_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa
    from rasa.core.processor import MessageProcessor

    unpatched = session_limit._original_has_session_expired
    monkeypatch.setattr(MessageProcessor, "_has_session_expired", unpatched)  # restored after the test
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(patches.UnsupportedRasa, match="3.7.0"):
        patches.apply()
    assert MessageProcessor._has_session_expired is unpatched
