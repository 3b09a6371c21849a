"""An ExtBot that does not stall on an update it cannot read.

python-telegram-bot parses a whole getUpdates batch at once: one update it cannot read (a field
of a newer Bot API, say) fails the batch, the updater asks for the same batch again, forever,
and the raw batch (ids and message text) is logged at CRITICAL. Here such a batch is fetched
again and parsed one update at a time; an update that cannot be read becomes an empty Update
with its id (no handler answers it, polling moves on), and the log names only its kind.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

logger = logging.getLogger(__name__)

PARSE_ERRORS = (TypeError, ValueError, KeyError, AttributeError)


class DropRawUpdateLogs(logging.Filter):
    """Drop PTB's 'Error while parsing updates! Received data was …' record: it holds the raw data."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Error while parsing updates")


class DropInvalidJsonLogs(logging.Filter):
    """Drop PTB's 'Can not load invalid JSON data' record: Telegram's front proxy answers a 502 with an
    HTML page, and PTB logs the page with a traceback at ERROR. The request is retried, and the
    retry (bot.telegram_ui.rate_limit) or the error handler says so in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Can not load invalid JSON data")


class TolerantBot(ExtBot):
    """ExtBot whose get_updates skips (and logs the kind of) updates it cannot parse."""

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: Any = None,
        allowed_updates: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> tuple[Update, ...]:
        try:
            return await super().get_updates(offset, limit, timeout, allowed_updates, **kwargs)
        except PARSE_ERRORS:
            raw = await self._post(
                "getUpdates", {"offset": offset, "limit": limit, "timeout": 0, "allowed_updates": allowed_updates}
            )
            return tuple(self.parse_update(item) for item in raw)

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
    for name in ("telegram.Bot", "telegram.ext.ExtBot"):  # PTB logs under the class it runs in
        logging.getLogger(name).addFilter(DropRawUpdateLogs())
    logging.getLogger("telegram.request.BaseRequest").addFilter(DropInvalidJsonLogs())
