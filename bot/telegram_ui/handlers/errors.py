"""The one application-wide error handler: log first (no personal data), then apologise."""

from __future__ import annotations

import logging

from telegram import Update

from bot.telegram_ui.context import KeneshContext
from bot.telegram_ui.conversation import apologise

logger = logging.getLogger(__name__)


async def on_error(update: object, context: KeneshContext) -> None:
    """Logs the exception (never the update: it holds ids and text) and tells the user."""
    logger.error("Error while handling an update: %s", type(context.error).__name__, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat and update.effective_chat.type == "private":
        try:
            await apologise(update, context)
        except Exception:  # noqa: BLE001 - the apology is best effort; the error is logged above
            logger.error("Could not send the apology either", exc_info=True)
