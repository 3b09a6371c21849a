"""The state folder (KENESH_STATE_DIR, default var/): every file Kenesh writes at run time is in it.

`state_folder()` is the one way to that folder or a subfolder of it: it makes the folder before
its first use and checks that a file can be written there. A folder that cannot be made or
written (a read-only disk, a file in its place) becomes one SetupError naming the path and the
setting, never a traceback from whichever library first opened a file there.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bot.errors import SetupError
from bot.settings import Settings


def state_folder(settings: Settings, subfolder: str = "") -> Path:
    """The state folder (or `subfolder` of it), made if missing; SetupError if it cannot be used."""
    folder = settings.state_dir / subfolder if subfolder else settings.state_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
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
