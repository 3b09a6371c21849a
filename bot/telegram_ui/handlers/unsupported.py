"""Updates the bot cannot answer with knowledge: voice, pictures, locations, edits, group chats."""

from __future__ import annotations

from telegram import Update

from bot.language.i18n import gettext_for
from bot.telegram_ui.context import KeneshContext, script_for
from bot.telegram_ui.conversation import send_text


def _reply_for(update: Update, script: str) -> str:
    _ = gettext_for(script)
    message = update.effective_message
    if message.voice or message.audio or message.video_note:
        return _("I cannot listen to voice messages yet. Please type your question.")
    if message.location or message.venue or message.contact:
        return _("Please do not send your location or phone number: I do not need them. Type your question in words.")
    return _("I can read only text. Please type your question in words.")


async def on_unsupported(update: Update, context: KeneshContext) -> None:
    """Asks for a typed question instead of a voice note, sticker, photo, file, location…"""
    await send_text(update, context, _reply_for(update, script_for(update, context)))


async def on_edited(update: Update, context: KeneshContext) -> None:
    """Explains that edits are not read, only new messages."""
    _ = gettext_for(script_for(update, context))
    await send_text(
        update, context, _("You changed a message. I read only new messages: please send your question again.")
    )


async def on_group(update: Update, context: KeneshContext) -> None:
    """Asks to talk in a private chat (a group is no place for these questions)."""
    _ = gettext_for(script_for(update, context))
    await send_text(
        update, context, _("I answer only in a private chat. For your safety, write to me directly, not in a group.")
    )
