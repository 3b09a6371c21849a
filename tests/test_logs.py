"""bot/logs.py: ids, phone numbers and secrets never reach a log line, tracebacks included."""

from __future__ import annotations

import logging

from bot.logs import RedactingFormatter


def test_secrets_and_long_numbers_are_masked_in_messages_and_tracebacks() -> None:
    formatter = RedactingFormatter(["123456:SECRET-token"])
    try:
        raise RuntimeError("POST https://api.telegram.org/bot123456:SECRET-token/sendMessage chat 918273645")
    except RuntimeError:
        import sys

        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "user %s called +79991234567", (918273645,), sys.exc_info()
        )
    line = formatter.format(record)
    assert "SECRET-token" not in line and "918273645" not in line and "9991234567" not in line
    assert "[secret]" in line and "[redacted]" in line and "RuntimeError" in line
