"""bot/logs.py: ids, phone numbers and secrets never reach a log line, tracebacks included."""

from __future__ import annotations

import json
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


MARKER = "Zyxwvutsrq"


def library_record(message: str, args: tuple = (), error: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(error), error, error.__traceback__) if error else None
    return logging.LogRecord("rasa.core.processor", logging.WARNING, __file__, 1, message, args, exc_info)


def raised(error: BaseException) -> BaseException:
    try:
        raise error
    except BaseException as caught:  # noqa: BLE001 - the test wants the traceback
        return caught


def test_library_records_lose_quoted_text_and_arguments() -> None:
    from bot.logs import clean_record

    record = library_record(f"Failed to parse arguments in line '/greet@0.9 {MARKER}'. Continuing without {MARKER}")
    clean_record(record)
    assert record.getMessage() == "Failed to parse arguments in line '…'."
    record = library_record("user %r said %s", (f"{MARKER}", 918273645))
    clean_record(record)
    assert record.getMessage() == "user '…' said [redacted]"


def test_structlog_events_keep_only_their_name() -> None:
    from bot.logs import clean_record

    record = library_record(json.dumps({"event": "processor.message.parsed", "text": MARKER, "log_level": "error"}))
    clean_record(record)
    assert record.getMessage() == "processor.message.parsed (error)"


def test_tracebacks_keep_where_and_what_but_not_the_message() -> None:
    from bot.logs import RedactingFormatter, clean_record

    try:
        raise KeyError(f"no option {MARKER}")
    except KeyError as first:
        error = raised(ValueError(f"expected one of [...], got {MARKER!r}"))
        error.__context__ = first
    record = library_record("Exception in action", error=error)
    clean_record(record)
    line = RedactingFormatter().format(record)
    assert MARKER not in line
    assert "ValueError: (message not logged)" in line and "KeyError: (message not logged)" in line
    assert "test_logs.py" in line and "raise error" in line  # where it happened is still there


def test_our_own_records_are_left_to_our_formatter() -> None:
    import subprocess
    import sys

    code = (
        "import logging; from bot.logs import keep_user_text_out_of_library_logs as k; k(); "
        "logging.basicConfig(format='%(name)s %(message)s'); "
        f"logging.getLogger('bot.x').warning('topic %s', 'summons_received'); "
        f"logging.getLogger('rasa.y').warning('text %s', '{MARKER}'); "
        f"import warnings; warnings.warn('a warning quoting \"{MARKER}\"')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "bot.x topic summons_received" in done.stderr
    assert "rasa.y text" in done.stderr and "py.warnings" in done.stderr
    assert MARKER not in done.stderr
