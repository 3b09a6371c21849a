"""The one application-wide error handler: log first (no personal data), then apologise.

Two failures are Telegram's word, not a fault of ours, and get one line without a traceback: the
user blocked the bot (Forbidden: nothing can be sent to them, so no apology is tried either), and
Telegram stayed unreachable through the retries (a 502, a dropped connection, a time-out).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.telegram_ui.context import KeneshContext
from bot.telegram_ui.conversation import apologise

logger = logging.getLogger(__name__)


async def on_error(update: object, context: KeneshContext) -> None:
    """Logs the exception (never the update: it holds ids and text) and tells the user if it can."""
    error = context.error
    if isinstance(error, Forbidden):
        logger.info("Telegram refused a message: the user blocked the bot or left the chat")
        return
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        logger.warning("Telegram did not take a request, retries included (%s)", type(error).__name__)
    else:
        logger.error("Error while handling an update: %s", type(error).__name__, exc_info=error)
    if isinstance(update, Update) and update.effective_chat and update.effective_chat.type == "private":
        try:
            await apologise(update, context)
        except TelegramError as failed:  # the apology is best effort; the error is logged above
            logger.warning("Could not send the apology either (%s)", type(failed).__name__)
        except Exception:  # noqa: BLE001 - a fault of ours while apologising: keep its traceback
            logger.error("Could not send the apology either", exc_info=True)
