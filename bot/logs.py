"""Logging, set up once per process, with a redaction filter as the last line of defence.

Kenesh logs topic ids, pseudonymous conversation ids and timings, never message text or
Telegram ids. The filter masks long digit runs (ids, phone numbers) in case one slips through.
"""

from __future__ import annotations

import logging
import re

from bot.settings import Settings

_DIGITS = re.compile(r"\d{6,}")


class RedactDigits(logging.Filter):
    """Mask runs of six or more digits in every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _DIGITS.search(message):
            record.msg, record.args = _DIGITS.sub("[redacted]", message), ()
        return True


def setup_logging(settings: Settings) -> None:
    """Configure the root logger once: level from settings, redaction on every handler."""
    handler = logging.StreamHandler()
    handler.addFilter(RedactDigits())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    for noisy in ("httpx", "httpcore", "asyncio", "urllib3", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
