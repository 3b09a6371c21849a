"""What each turn counts for the desk's radar (docs/desk.md): topic × language × outcome, nothing else.

The outcome comes from the actions' signals: a topic answered, a "did you mean", a question with
no answer (out of scope), a finished risk check; and a case opened. Counting never delays or
breaks a reply: it runs as a task of its own, and a desk that is down loses the count (logged
without the topic).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from bot.errors import DeskRefused, DeskUnavailable
from bot.handoff_client import DeskClient
from bot.knowledge.loader import KnowledgeBase
from bot.rasa_client import Reply, signals
from bot.telegram_ui.context import KeneshContext

logger = logging.getLogger(__name__)

ANSWERED, CLARIFIED, DECLINED = "answered", "clarified", "declined"
HANDED_OVER, RISK_CHECK_FINISHED = "handed_over", "risk_check_finished"
_pending: set[asyncio.Task] = set()  # a task nobody holds can be garbage-collected before it runs


def outcomes(replies: Sequence[Reply], knowledge: KnowledgeBase) -> list[tuple[str, str]]:
    """(topic id or "", outcome) for each thing this turn was."""
    found = []
    for signal in signals(list(replies)):
        topic = signal.get("topic")
        if isinstance(topic, str) and topic in knowledge.topics:
            found.append((topic, ANSWERED))
        if signal.get("clarify") is True:
            found.append(("", CLARIFIED))
        if signal.get("declined") is True:
            found.append(("", DECLINED))
        if isinstance(signal.get("risk"), dict):
            found.append(("", RISK_CHECK_FINISHED))
    return found


def count(context: KeneshContext, script: str, counted: Sequence[tuple[str, str]]) -> None:
    """Send the counts in the background (with the desk on)."""
    services = context.services
    if not counted or not services.settings.desk_enabled:
        return
    task = asyncio.get_running_loop().create_task(_send(services.desk, script, list(counted)))
    _pending.add(task)
    task.add_done_callback(_pending.discard)


async def _send(desk: DeskClient, script: str, counted: list[tuple[str, str]]) -> None:
    for topic, outcome in counted:
        try:
            await desk.count(topic, script, outcome)
        except (DeskUnavailable, DeskRefused) as error:
            logger.info("A radar count was not taken (%s)", type(error).__name__)
            return


async def settled() -> None:
    """Wait for the counts still being sent (at shutdown, so none is lost; and in tests)."""
    if _pending:
        await asyncio.gather(*_pending, return_exceptions=True)
