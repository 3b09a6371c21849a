"""The door: updates the bot does not serve stop here, before any handler can trip over them.

The bot talks with people, one to one (and tells groups to write privately). Everything else is
dropped in silence: channel posts and their edits, business-account messages (the bot has no
business connection to answer through), updates with no sender, and button presses on inline
messages, which have no chat to answer in (those are acknowledged, so the button stops spinning).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.telegram_ui.context import KeneshContext

BUSINESS_UPDATES = ("business_connection", "business_message", "edited_business_message", "deleted_business_messages")


async def admit(update: Update, context: KeneshContext) -> None:
    """Lets through updates from a person with a chat to answer in; stops every other one."""
    query = update.callback_query
    if query is not None and query.message is None:  # a press on an inline message: no chat to answer in
        await query.answer()
        raise ApplicationHandlerStop
    if update.effective_user is None or update.effective_chat is None:
        raise ApplicationHandlerStop
    if any(getattr(update, kind, None) is not None for kind in BUSINESS_UPDATES):
        raise ApplicationHandlerStop
