"""The state folder (KENESH_STATE_DIR, default var/): every file Kenesh writes at run time is in it.

`state_folder()` is the one way to that folder or a subfolder of it: it makes the folder before
its first use and checks that a file can be written there. A folder that cannot be made or
written (a read-only disk, a file in its place) becomes one SetupError naming the path and the
setting, never a traceback from whichever library first opened a file there.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from pathlib import Path

from bot.errors import SetupError
from bot.settings import Settings

logger = logging.getLogger(__name__)
DESK_INTERNAL_SECRET_FILE = "desk-internal.key"


def state_folder(settings: Settings, subfolder: str = "") -> Path:
    """The state folder (or `subfolder` of it), made if missing; SetupError if it cannot be used."""
    folder = settings.state_dir / subfolder if subfolder else settings.state_dir
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # conversations and cases: the owner's only
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        reason = "a file is in its place" if isinstance(error, FileExistsError) else (error.strerror or "").lower()
        raise SetupError(
            f"cannot write Kenesh's state to {folder} ({reason or type(error).__name__}): "
            "set KENESH_STATE_DIR to a folder you can write to"
        ) from None
    return folder


def tracker_database_url(settings: Settings) -> str:
    """Rasa's tracker store: KENESH_TRACKER_DB_URL or PostgreSQL when set, else SQLite in the state folder."""
    if settings.tracker_db_url is None:
        state_folder(settings)
    return settings.tracker_database_url


def secret_file(settings: Settings, name: str) -> bytes:
    """A random secret kept in the state folder (mode 600), made by whichever process needs it first."""
    path = state_folder(settings) / name
    if not path.exists():
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_bytes().strip()
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        logger.info("Generated a new secret in %s", path)
    return path.read_bytes().strip()


def desk_internal_secret(settings: Settings) -> str:
    """What the bot shows the desk's /internal/ API: KENESH_DESK_INTERNAL_SECRET, else a secret both
    processes read from the state folder (they share it on one machine)."""
    if settings.desk_internal_secret:
        return settings.desk_internal_secret
    return secret_file(settings, DESK_INTERNAL_SECRET_FILE).decode()
