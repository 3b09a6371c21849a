"""Text messages, and the bookkeeping every private update passes through first."""

from __future__ import annotations

import time

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.incoming import as_typed, clean
from bot.language.detect import detect
from bot.language.i18n import gettext_for
from bot.telegram_ui import handoff
from bot.telegram_ui.context import KeneshContext, script_for
from bot.telegram_ui.conversation import relay, send_text
from bot.telegram_ui.handlers.commands import help_text
from bot.telegram_ui.throttle import Verdict


async def track_and_throttle(update: Update, context: KeneshContext) -> None:
    """Notes the user's activity and message id; stops a flood with one polite reply."""
    state = context.user_data
    if update.effective_user is None or state is None:  # channel posts and the like: nobody to track
        return
    if update.effective_chat is not None and update.effective_chat.id == context.services.settings.staff_chat_id:
        return  # staff at work in their group: not throttled, and never told to slow down there
    state.last_seen = time.time()
    if update.message and update.message.chat.type == "private":  # ids are per chat: keep only these
        state.remember_message(update.message.message_id)
    verdict = context.services.throttle.check(context.services.pseudonym(update.effective_user.id))
    if verdict is Verdict.ALLOW:
        return
    if verdict is Verdict.WARN:
        _ = gettext_for(script_for(update, context))
        await send_text(update, context, _("You are sending many messages. Please wait a minute, then write again."))
    if update.callback_query:
        await update.callback_query.answer()
    raise ApplicationHandlerStop


async def on_text(update: Update, context: KeneshContext) -> None:
    """Sends the question to Rasa, after cleaning it and noting its language."""
    # A forged or broken update can carry a number where Telegram puts a string: no words to read.
    text = update.message.text if isinstance(update.message.text, str) else ""
    limit = context.services.settings.max_message_chars
    incoming = clean(text, limit)
    if not incoming.has_words:
        _ = gettext_for(script_for(update, context))
        await send_text(update, context, _("Please write your question in words."))
        return
    follow_language(context, incoming.text)
    if incoming.truncated:
        _ = gettext_for(script_for(update, context))
        await send_text(update, context, _("Your message is very long. I read only the beginning."))
    if await handoff.to_case(update, context, as_typed(text, limit).text):  # a person reads it, not Rasa
        return
    await relay(update, context, incoming.text)


def follow_language(context: KeneshContext, text: str) -> None:
    """Until the user picks a language, the bot's own words follow the language they write in."""
    state = context.user_data
    if state.chosen:
        return
    detection = detect(text, context.services.language_model)
    if detection.confidence > 0 and detection.language != "en":
        state.script = detection.serve_script


async def unknown_command(update: Update, context: KeneshContext) -> None:
    """Answers a command the bot does not have with the list of commands."""
    await send_text(update, context, help_text(script_for(update, context)))
