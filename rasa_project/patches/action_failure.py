"""A custom action that fails ends the turn (Rasa then answers nothing, and the bot apologises).

Rasa 3.6 treats an exception from a custom action as "the action ran and returned no events",
then predicts the next action, which is the same action again: ten failures in a row, logged with
the whole traceback, and the turn ends without `action_listen`. Rasa counts predictions since the
last `action_listen` (`MessageProcessor.is_action_limit_reached`), so from then on every message
of that user hits the limit at once: a user whose first message came while the action server was
down got no answer ever again, even after it was back. Here a failed call to the action server
returns a follow-up `action_listen` instead: the turn ends cleanly, one warning is logged (the
action's name and the error's type, nothing the user typed), and the next message is handled as
usual. A rejection (a form's validation asking again) is not a failure and passes through.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import Event, FollowupAction
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)

_original_run = RemoteAction.run


async def run_or_end_turn(self: RemoteAction, *args: Any, **kwargs: Any) -> list[Event]:
    """RemoteAction.run; when the action server cannot run the action, end the turn instead."""
    try:
        return await _original_run(self, *args, **kwargs)
    except ActionExecutionRejection:
        raise
    except RasaException as error:
        logger.warning("Custom action %s failed (%s): the turn ends unanswered", self.name(), type(error).__name__)
        return [FollowupAction(ACTION_LISTEN_NAME)]


def apply() -> None:
    """Install it (idempotent)."""
    RemoteAction.run = run_or_end_turn
