"""Inline button presses: a Rasa payload, a language, the answer to "erase everything?", or a step
of the handoff to a person (the offer, the consent)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Bot, Update
from telegram.error import BadRequest, TelegramError

from bot.knowledge.render import choose_language_payload
from bot.language.i18n import gettext_for
from bot.telegram_ui import handoff
from bot.telegram_ui.context import KeneshContext, script_for
from bot.telegram_ui.conversation import relay
from bot.telegram_ui.keyboards import FORGET, HANDOFF, LANGUAGE, PAYLOAD, decode, language_keyboard

logger = logging.getLogger(__name__)

DELETE_BATCH = 100  # deleteMessages takes at most 100 ids


async def on_button(update: Update, context: KeneshContext) -> None:
    """Answers the button press, then does what the button says."""
    query = update.callback_query
    kind, value = decode(query.data or "", context.services.payloads)
    _ = gettext_for(script_for(update, context))
    if value is None:
        await query.answer(_("This button is out of date. Send /topics to see the topics."))
        return
    await query.answer()
    if kind == PAYLOAD:
        await relay(update, context, value)
    elif kind == LANGUAGE:
        await choose_language(update, context, value)
    elif kind == FORGET:
        await (erase_everything(update, context) if value == "yes" else keep_everything(update, context))
    elif kind == HANDOFF:
        await on_handoff(update, context, value)


async def on_handoff(update: Update, context: KeneshContext, value: str) -> None:
    step, _, reason = value.partition(".")
    if step == "offer":
        await handoff.show_consent(update, context, reason)
    elif step == "yes":
        await handoff.connect(update, context, reason)
    else:
        await handoff.decline(update, context)


async def choose_language(update: Update, context: KeneshContext, script: str) -> None:
    """Remembers the language, ticks it on the keyboard, and tells Rasa."""
    context.user_data.script, context.user_data.chosen = script, True
    with contextlib.suppress(BadRequest):  # "message is not modified" when the same one is pressed again
        await update.callback_query.edit_message_reply_markup(language_keyboard(script))
    await relay(update, context, choose_language_payload(script))


async def keep_everything(update: Update, context: KeneshContext) -> None:
    _ = gettext_for(script_for(update, context))
    with contextlib.suppress(BadRequest):
        await update.callback_query.edit_message_text(_("Nothing was erased."))


async def erase_everything(update: Update, context: KeneshContext) -> None:
    """Erases the stored conversation, the user's cases at the desk and this user's state, and deletes
    the chat's recent messages."""
    services, user = context.services, update.effective_user
    _ = gettext_for(script_for(update, context))
    events = await asyncio.to_thread(services.conversations.erase, services.pseudonym(user.id))
    cases_erased = await handoff.forget_cases(update, context)
    deleted = await delete_messages(context.bot, update.effective_chat.id, context.user_data.deletable_messages())
    services.throttle.forget(services.pseudonym(user.id))
    context.application.drop_user_data(user.id)
    logger.info("Erased a conversation on request: %d stored events, %d messages deleted", events, deleted)
    if not cases_erased:
        text = _(
            "I erased what I kept, but your conversation with a person could not be erased now. "
            "Please send /forget again in a few minutes."
        )
        await context.bot.send_message(update.effective_chat.id, text)
        return
    await context.bot.send_message(update.effective_chat.id, _("Done. Everything I kept about you is erased."))


async def delete_messages(bot: Bot, chat_id: int, message_ids: list[int]) -> int:
    """Delete what Telegram still allows (48 hours); return how many ids were asked for."""
    for start in range(0, len(message_ids), DELETE_BATCH):
        batch = message_ids[start : start + DELETE_BATCH]
        try:
            await bot.delete_messages(chat_id, batch)
        except TelegramError:  # too old, already gone: try one by one, skip what fails
            for message_id in batch:
                with contextlib.suppress(TelegramError):
                    await bot.delete_message(chat_id, message_id)
    return len(message_ids)
