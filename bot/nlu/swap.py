"""A model swap in progress, as a marker file the bot reads: a turn sent meanwhile waits instead of failing.

Rasa loads a model given to `PUT /model` inside its event loop, so requests that arrive during the
load wait in its queue (measured: about 1 s for this model, every request answered). On a busy
machine the load may outlast the bot's reply timeout; then the bot would apologise for a question
Rasa is about to answer. While this marker says a swap is on (or ended a moment ago), the bot keeps
waiting for that same request: it is never sent twice, and never given up on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.settings import Settings

SWAP_WAIT = 60.0  # seconds a turn may wait for a swap to end, beyond the reply timeout
GRACE = 10.0  # seconds after a swap during which Rasa may still be working through its queue
MARKER = "model-swap"


def marker(settings: Settings) -> Path:
    return settings.state_dir / MARKER


@contextmanager
def swapping(settings: Settings) -> Iterator[None]:
    """Mark a swap for the duration of the block; the end time stays in the marker."""
    path = marker(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("swapping\n")
    try:
        yield
    finally:
        path.write_text("done\n")


def in_progress(settings: Settings) -> bool:
    """True while a swap runs, and for GRACE seconds after it ended."""
    try:
        state, changed = marker(settings).read_text().strip(), marker(settings).stat().st_mtime
    except OSError:
        return False
    return state == "swapping" or time.time() - changed < GRACE
