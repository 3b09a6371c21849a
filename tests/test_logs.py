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


def test_our_info_lines_survive_libraries_that_reset_the_root_level() -> None:
    """Loading the language model imports skops.io, which sets the root logger to WARNING; the
    Telegram bot's INFO lines (answers, retention) were silently lost after that."""
    import subprocess
    import sys

    code = (
        "import logging; from bot.settings import Settings; from bot.logs import setup_logging; "
        "setup_logging(Settings(log_level='INFO')); import skops.io; "
        "logging.getLogger('bot.telegram_ui.app').info('Telegram bot ready'); "
        "logging.getLogger('httpx').info('HTTP Request: POST https://api.telegram.org/bot123:abc/getMe')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "INFO bot.telegram_ui.app: Telegram bot ready" in done.stderr
    assert "HTTP Request" not in done.stderr  # libraries stay at WARNING: httpx would log the token's URL
