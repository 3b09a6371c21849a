"""Relay one user turn to Rasa and show the replies; apologise (with human help) when Rasa is down.

Rasa sees only the pseudonym of the Telegram user id, never the id itself.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Message, Update

from bot.errors import RasaUnavailable
from bot.knowledge import render
from bot.language.i18n import gettext_for
from bot.rasa_client import Reply
from bot.telegram_ui.context import KeneshContext, script_for
from bot.telegram_ui.formatting import escape, split_message
from bot.telegram_ui.keyboards import rasa_keyboard

logger = logging.getLogger(__name__)


async def send_text(
    update: Update, context: KeneshContext, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Send plain text (escaped, split at the limit); the keyboard goes under the last part."""
    chat = update.effective_chat
    if chat is None:
        return None
    parts = split_message(escape(text)) or ["•"]  # Telegram refuses an empty text
    message = None
    for number, part in enumerate(parts, start=1):
        markup = keyboard if number == len(parts) else None
        message = await context.bot.send_message(chat.id, part, reply_markup=markup)
        if context.user_data is not None and chat.type == "private":  # ids are per chat: keep only these
            context.user_data.remember_message(message.message_id)
    return message


async def send_replies(update: Update, context: KeneshContext, replies: Sequence[Reply]) -> None:
    for reply in replies:
        keyboard = rasa_keyboard(reply.buttons, context.services.payloads)
        await send_text(update, context, reply.text, keyboard)


async def relay(update: Update, context: KeneshContext, text: str) -> None:
    """Send `text` (a message or a button payload) to Rasa as this user and show what it answers."""
    services = context.services
    sender = services.pseudonym(update.effective_user.id)
    started = time.perf_counter()
    try:
        replies = await asyncio.wait_for(services.rasa.send(sender, text), services.settings.reply_timeout)
    except (RasaUnavailable, asyncio.TimeoutError) as error:
        logger.warning("No answer from Rasa for %s (%s)", sender, type(error).__name__)
        await apologise(update, context)
        return
    logger.info("Answered %s in %.0f ms", sender, (time.perf_counter() - started) * 1000)
    await send_replies(update, context, replies)


def unavailable_text(script: str, context: KeneshContext) -> str:
    """The apology, then the human-help answer from the knowledge base, in the user's script."""
    _ = gettext_for(script)
    apology = _("Sorry, the assistant is not available right now. Please try again in a few minutes.")
    human_help = render.topic_answer(context.services.knowledge, render.HUMAN_HELP_TOPIC, script).text
    return f"{apology}\n\n{human_help}"


async def apologise(update: object, context: KeneshContext) -> None:
    if isinstance(update, Update) and update.effective_chat:
        await send_text(update, context, unavailable_text(script_for(update, context), context))
