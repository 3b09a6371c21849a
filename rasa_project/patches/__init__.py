"""Kenesh's changes to Rasa's internals, applied by `python -m rasa_project` (the only supported way
to start Kenesh's Rasa server: a plain `rasa run` or `rasa shell` runs without them).

- speedups: the same results, computed once (a validator, event-class lookups);
- session_limit: a session also ends after 60 events (dialogue behaviour);
- action_failure: a custom action that fails ends the turn, instead of leaving the user unanswered
  for good (dialogue behaviour).

They replace private methods of Rasa 3.6.21, so `apply()` refuses any other Rasa version: after
an upgrade, re-read the replaced methods, re-run tests/test_patches.py, then raise RASA_VERSION.
"""

from __future__ import annotations

import rasa

from rasa_project.patches import action_failure, session_limit, speedups

RASA_VERSION = "3.6.21"  # the version whose private methods these patches were written against


class UnsupportedRasa(RuntimeError):
    """The installed Rasa is not the version the patches were written for."""


def apply() -> None:
    """Install every patch (idempotent); UnsupportedRasa, before changing anything, on another version."""
    if rasa.__version__ != RASA_VERSION:
        raise UnsupportedRasa(
            f"rasa_project.patches were written for Rasa {RASA_VERSION}, not {rasa.__version__}: "
            "check the methods they replace, then update RASA_VERSION"
        )
    speedups.apply()
    session_limit.apply()
    action_failure.apply()
