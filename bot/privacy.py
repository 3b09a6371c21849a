"""Pseudonyms for Telegram ids, reply addresses, the retention limit, and erasure of stored conversations.

Rasa never sees a Telegram id: conversations are keyed by an HMAC of it. The desk gets another
HMAC of it (namespace "desk"), so its cases cannot be joined with Rasa's tracker, and a reply
address: the chat id encrypted with a key only the bot holds (Fernet, derived from the same key).

Rasa Open Source has no API to delete a conversation, so erasure and retention delete rows of
its SQL tracker store (table `events`) directly, with SQLAlchemy, which Rasa already pins.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import time

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.settings import Settings
from bot.state import secret_file, tracker_database_url

logger = logging.getLogger(__name__)

KEY_FILE = "pseudonym.key"
_HEX_TO_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def pseudonym_key(settings: Settings) -> bytes:
    """The HMAC key: KENESH_PSEUDONYM_KEY, else a random key kept in state_dir (made on first run)."""
    if settings.pseudonym_key:
        return settings.pseudonym_key.encode()
    return secret_file(settings, KEY_FILE)


class Pseudonymizer:
    """Maps a Telegram user id to a stable pseudonym that cannot be reversed without the key.

    Each namespace gives other pseudonyms for the same ids ("" is Rasa's sender id, "desk" the
    desk's), so two stores keyed by them cannot be joined without the key."""

    def __init__(self, key: bytes, namespace: str = "") -> None:
        if len(key) < 16:
            raise ValueError("the pseudonym key must be at least 16 bytes")
        self._key = key
        self._prefix = f"{namespace}:" if namespace else ""

    def __call__(self, telegram_id: int | str) -> str:
        message = f"{self._prefix}{telegram_id}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]
        return f"tg-{digest.translate(_HEX_TO_LETTERS)}"  # letters only: no digit run for log filters to mangle


class ReplyAddresses:
    """A chat id sealed for the desk to keep (it cannot read it) and opened again by the bot."""

    def __init__(self, key: bytes) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"kenesh reply address").derive(key)
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, chat_id: int) -> str:
        return self._fernet.encrypt(str(chat_id).encode()).decode()

    def open(self, token: str) -> int:
        """The chat id in `token`; ValueError when it was not sealed with this key or is damaged."""
        try:
            return int(self._fernet.decrypt(token.encode()))
        except (InvalidToken, ValueError) as error:
            raise ValueError("not a reply address sealed by this bot") from error


class ConversationStore:
    """Deletes conversation state from Rasa's SQL tracker store (SQLite on a laptop, PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url, future=True)

    def _has_events_table(self) -> bool:
        return sa.inspect(self.engine).has_table("events")

    def erase(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; return how many rows went."""
        if not self._has_events_table():
            return 0
        with self.engine.begin() as connection:
            result = connection.execute(sa.text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender_id})
        return result.rowcount

    def purge_older_than(self, hours: float, now: float | None = None) -> int:
        """Delete every stored event older than `hours`; return how many rows went."""
        if not self._has_events_table():
            return 0
        cutoff = (time.time() if now is None else now) - hours * 3600
        with self.engine.begin() as connection:
            result = connection.execute(sa.text("DELETE FROM events WHERE timestamp < :cutoff"), {"cutoff": cutoff})
        if result.rowcount:
            logger.info("Retention: erased %d stored events older than %g hours", result.rowcount, hours)
        return result.rowcount

    def close(self) -> None:
        self.engine.dispose()


def conversation_store(settings: Settings) -> ConversationStore:
    return ConversationStore(tracker_database_url(settings))
