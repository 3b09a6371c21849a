"""Relay one user turn to Rasa and show the replies; apologise (with human help) when Rasa is down.

Rasa sees only the pseudonym of the Telegram user id, never the id itself. After a turn whose
signals call for it (bot.telegram_ui.handoff), a button under the last reply offers a person.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from telegram import InlineKeyboardButton, Update

from bot.errors import RasaUnavailable
from bot.knowledge import render
from bot.language.i18n import gettext_for
from bot.nlu import swap
from bot.rasa_client import Reply
from bot.telegram_ui import handoff, radar
from bot.telegram_ui.context import KeneshContext, script_for
from bot.telegram_ui.keyboards import rasa_keyboard
from bot.telegram_ui.sending import send_text

__all__ = ["apologise", "relay", "send_replies", "send_text", "unavailable_text"]

logger = logging.getLogger(__name__)


async def send_replies(
    update: Update, context: KeneshContext, replies: Sequence[Reply], offer: InlineKeyboardButton | None = None
) -> None:
    """Show the replies a person reads; `offer` (a person to talk to) goes under the last one."""
    readable = [reply for reply in replies if reply.readable]
    for number, reply in enumerate(readable, start=1):
        extra = offer if number == len(readable) else None
        keyboard = rasa_keyboard(reply.buttons, context.services.payloads, extra)
        await send_text(update, context, reply.text, keyboard)


async def relay(update: Update, context: KeneshContext, text: str) -> None:
    """Send `text` (a message or a button payload) to Rasa as this user and show what it answers."""
    services = context.services
    sender = services.pseudonym(update.effective_user.id)
    started = time.perf_counter()
    try:
        replies = await _rasa_answer(context, sender, text)
    except (RasaUnavailable, asyncio.TimeoutError) as error:
        logger.warning("No answer from Rasa for %s (%s)", sender, type(error).__name__)
        await apologise(update, context)
        return
    logger.info("Answered %s in %.0f ms", sender, (time.perf_counter() - started) * 1000)
    await send_replies(update, context, replies, handoff.offer_after(update, context, replies))
    radar.count(context, script_for(update, context), radar.outcomes(replies, services.knowledge))


async def _rasa_answer(context: KeneshContext, sender: str, text: str) -> list[Reply]:
    """Rasa's replies within the reply timeout; while a new model is being put live, the same request
    is waited for longer (bot.nlu.swap): it is never sent twice, and never given up on for the swap."""
    settings = context.services.settings
    turn = asyncio.ensure_future(context.services.rasa.send(sender, text))
    try:
        try:
            return await asyncio.wait_for(asyncio.shield(turn), settings.reply_timeout)
        except asyncio.TimeoutError:
            if not swap.in_progress(settings):
                raise
        logger.info("Rasa is taking a new model: %s waits for it", sender)
        return await asyncio.wait_for(turn, swap.SWAP_WAIT)
    finally:
        turn.cancel()  # nothing once it is done; a turn given up on (or a relay cancelled) ends here


def unavailable_text(script: str, context: KeneshContext) -> str:
    """The apology, then the human-help answer from the knowledge base, in the user's script."""
    _ = gettext_for(script)
    apology = _("Sorry, the assistant is not available right now. Please try again in a few minutes.")
    human_help = render.topic_answer(context.services.knowledge, render.HUMAN_HELP_TOPIC, script).text
    return f"{apology}\n\n{human_help}"


async def apologise(update: object, context: KeneshContext) -> None:
    if isinstance(update, Update) and update.effective_chat:
        await send_text(update, context, unavailable_text(script_for(update, context), context))
