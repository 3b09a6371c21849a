"""rasa_project/patches: the faster versions agree with Rasa's own; the session limit; the version guard."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

from rasa_project import patches
from rasa_project.patches import action_failure, session_limit, speedups


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
    assert RemoteAction.run is action_failure.run_or_end_turn


def test_another_rasa_version_is_refused_before_anything_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa
    from rasa.core.processor import MessageProcessor

    unpatched = session_limit._original_has_session_expired
    monkeypatch.setattr(MessageProcessor, "_has_session_expired", unpatched)  # restored after the test
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(patches.UnsupportedRasa, match="3.7.0"):
        patches.apply()
    assert MessageProcessor._has_session_expired is unpatched


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


def _remote_action(url: str) -> RemoteAction:
    from rasa.utils.endpoints import EndpointConfig

    return RemoteAction("action_answer_topic", EndpointConfig(url))


def _run(action: RemoteAction):
    """RemoteAction.run as Rasa calls it, patched (action_failure), for a user who just said hello."""
    from rasa.core.channels import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain

    tracker = DialogueStateTracker.from_events("s", [SessionStarted(), ActionExecuted("action_listen")])
    channel, nlg = CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({})
    return action_failure.run_or_end_turn(action, channel, nlg, tracker, Domain.empty())


async def test_a_custom_action_that_cannot_run_ends_the_turn() -> None:
    from rasa.shared.core.events import FollowupAction

    events = await _run(_remote_action(f"http://127.0.0.1:{_closed_port()}/webhook"))
    assert events == [FollowupAction("action_listen")]


async def test_a_form_rejection_is_not_a_failure() -> None:
    """The action server's 400 (a form asks again) still reaches Rasa's policies as a rejection."""
    from aiohttp import web
    from rasa.core.actions.action import ActionExecutionRejection

    app = web.Application()
    app.router.add_post(
        "/webhook", lambda request: web.json_response({"action_name": "x", "error": "again"}, status=400)
    )
    runner = web.AppRunner(app)
    await runner.setup()
    port = _closed_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        with pytest.raises(ActionExecutionRejection):
            await _run(_remote_action(f"http://127.0.0.1:{port}/webhook"))
    finally:
        await runner.cleanup()
