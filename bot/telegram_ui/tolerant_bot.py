"""An ExtBot that does not stall on an update it cannot read.

python-telegram-bot parses a whole getUpdates batch at once: one update it cannot read (a field
of a newer Bot API, say) fails the batch, the updater asks for the same batch again, forever,
and the raw batch (ids and message text) is logged at CRITICAL. PTB's get_updates is never used
here: delivery.ConfirmingBot fetches the raw batch itself. Updates are parsed one at a time
(`parse_update`, for polling and the webhook): an update that cannot be read becomes an empty
Update with its id (no handler answers it, polling moves on), and the log names only its kind.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ExtBot

logger = logging.getLogger(__name__)

PARSE_ERRORS = (TypeError, ValueError, KeyError, AttributeError)


class DropInvalidJsonLogs(logging.Filter):
    """Drop PTB's 'Can not load invalid JSON data' record: Telegram's front proxy answers a 502 with an
    HTML page, and PTB logs the page with a traceback at ERROR. The request is retried, and the
    retry (bot.telegram_ui.rate_limit) or the error handler says so in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Can not load invalid JSON data")


class TolerantBot(ExtBot):
    """ExtBot that parses one update at a time, skipping (and logging the kind of) those it cannot read."""

    def parse_update(self, data: dict) -> Update:
        try:
            update = Update.de_json(data, self)
        except PARSE_ERRORS as error:
            kinds = ", ".join(key for key in data if key != "update_id")
            logger.error("Skipped an update this version cannot read (%s: %s)", kinds, type(error).__name__)
            return Update(update_id=data["update_id"])
        self.insert_callback_data(update)
        return update


def install_log_filter() -> None:
    logging.getLogger("telegram.request.BaseRequest").addFilter(DropInvalidJsonLogs())
