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


def setup_logging(settings: Settings) -> None:
    """Configure the root logger once: level from settings, redaction on every line."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter([settings.telegram_token, settings.telegram_webhook_secret, settings.pseudonym_key])
    )
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    # httpx logs request URLs, which hold the bot token; PTB's debug logs hold whole updates.
    for noisy in ("httpx", "httpcore", "asyncio", "urllib3", "matplotlib", "telegram", "aiohttp"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
