"""Sending the bot's own text to a chat: escaped, split at Telegram's limit, ids kept for /forget."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update

from bot.telegram_ui.context import KeneshContext
from bot.telegram_ui.formatting import escape, split_message


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
