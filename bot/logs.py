"""Logging, set up once per process, with redaction as the last line of defence.

Kenesh logs topic ids, pseudonymous conversation ids and timings, never message text or
Telegram ids. The formatter masks long digit runs (ids, phone numbers) and known secrets (the
bot token, the webhook secret) in every line it writes, tracebacks included.

Rasa and its libraries log what they like (a warning quoting the user's message, a traceback whose
last line holds a value the user typed, structlog events carrying the text). In the Rasa and action
server processes, `keep_user_text_out_of_library_logs` cleans every record of theirs when it is
made, before any of Rasa's handlers or formatters see it.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections.abc import Iterable

from bot.settings import Settings

_DIGITS = re.compile(r"\d{6,}")
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
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


def keep_user_text_out_of_library_logs(secrets: Iterable[str | None] = ()) -> None:
    """From now on every log record of a logger that is not ours is cleaned when it is made: arguments
    and quoted text masked, only the first sentence kept, structlog events cut to their name,
    tracebacks without exception messages, then digits and secrets redacted. Python warnings go
    through logging, so they are cleaned too."""
    known = [secret for secret in secrets if secret]
    make_record = logging.getLogRecordFactory()

    def make_clean_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if not record.name.startswith(OUR_LOGGERS):
            clean_record(record, known)
        return record

    logging.setLogRecordFactory(make_clean_record)
    logging.captureWarnings(True)


def clean_record(record: logging.LogRecord, secrets: Iterable[str] = ()) -> None:
    """Replace the record's message and exception by versions without anything a user could have typed."""
    if record.name == "py.warnings":  # logging.captureWarnings passes the whole warning as an argument
        record.msg, record.args = record.getMessage(), ()
    if isinstance(record.args, dict):
        record.args = {key: _masked(value) for key, value in record.args.items()}
    elif record.args:
        record.args = tuple(_masked(value) for value in record.args)
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # arguments that do not fit the message
        message = str(record.msg)
    record.msg, record.args = redact(_without_user_text(message), secrets), ()
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = redact(_traceback_without_messages(record.exc_info[1]), secrets)
    record.exc_info = None  # a handler that formats the live exception itself would show its message


def _masked(value: object) -> object:
    """A library's log argument: numbers stay (ports, counts), anything else could be text."""
    return value if isinstance(value, (int, float, type(None))) else "…"


def _without_user_text(message: str) -> str:
    try:
        event = json.loads(message)
    except ValueError:
        return _first_sentence(_QUOTED.sub("'…'", message))
    if isinstance(event, dict) and "event" in event:  # structlog (Rasa's JSON logs): the event's name only
        return f"{event['event']} ({event.get('log_level', '')})"
    return "(data not logged)"


def _first_sentence(message: str) -> str:
    """What happened, not the details after it: Rasa's f-string warnings go on to quote input unquoted
    ("… Continuing without <the rest of the user's text>")."""
    ends = [end for end in (message.find(". "), message.find("\n")) if end >= 0]
    return message[: min(ends) + 1].rstrip() if ends else message


def _traceback_without_messages(error: BaseException) -> str:
    """Where the error happened (files, lines, code) and its type; never its message, which may quote input."""
    lines = []
    for part in traceback.TracebackException.from_exception(error).format():
        if part.startswith(("Traceback", "  ", "\nDuring handling", "\nThe above exception")):
            lines.append(part)
        else:  # "module.ErrorType: message"
            lines.append(part.split(":", 1)[0].rstrip() + ": (message not logged)\n")
    return "".join(lines).rstrip("\n")
