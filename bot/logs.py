"""Logging, set up once per process, with redaction as the last line of defence.

Kenesh logs topic ids, pseudonymous conversation ids and timings, never message text or
Telegram ids. The formatter masks long digit runs (ids, phone numbers) and known secrets (the
bot token, the webhook secret) in every line it writes, tracebacks included.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from bot.settings import Settings

_DIGITS = re.compile(r"\d{6,}")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    """Formats a record, then masks secrets and runs of six or more digits in the whole line."""

    def __init__(self, secrets: Iterable[str | None] = (), fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self.secrets = [secret for secret in secrets if secret]

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        text = text.replace(secret, "[secret]")
    return _DIGITS.sub("[redacted]", text)


OUR_LOGGERS = ("bot", "rasa_project", "actions")


def setup_logging(settings: Settings) -> None:
    """Configure logging once: redaction on every line; our loggers at the configured level, every
    library's at WARNING. The level is set on our loggers, not on the root one, because importing
    some libraries resets the root's level (skops.io, through numpy.distutils, sets it to WARNING,
    which silenced every INFO line of the Telegram bot once it loaded its language model)."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter([settings.telegram_token, settings.telegram_webhook_secret, settings.pseudonym_key])
    )
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
    for ours in OUR_LOGGERS:
        logging.getLogger(ours).setLevel(settings.log_level)
