"""Load the trained Rasa model in-process (lazily): the only bot module that imports rasa.

`classify` and the evaluation parse messages with exactly the model and the NLU thresholds
(FallbackClassifier) that the live assistant uses.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from bot.errors import ModelError
from bot.settings import Settings, quiet_environment

logger = logging.getLogger(__name__)
FALLBACK_INTENT = "nlu_fallback"


class LoadedModel:
    """A trained model that parses texts into intents."""

    def __init__(self, settings: Settings) -> None:
        if not settings.model_path.exists():
            raise ModelError(f"no trained model at {settings.model_path}; run `make train`")
        os.environ.update(quiet_environment())
        from rasa.core.agent import Agent
        from rasa.utils.log_utils import configure_structlog

        # Rasa's structured logs carry message texts at debug level, and print to stdout, where
        # `classify` writes its answers: route them through logging, at WARNING, to stderr.
        configure_structlog(logging.WARNING)
        for name in ("rasa", "rasa_sdk", "tensorflow", "absl"):
            logging.getLogger(name).setLevel(logging.WARNING)

        self._loop = asyncio.new_event_loop()
        self.agent = Agent.load(str(settings.model_path))
        if not self.agent.is_ready():
            raise ModelError(f"the model at {settings.model_path} could not be loaded")

    def parse(self, text: str) -> dict[str, Any]:
        """Rasa's parse result for one text: intent, confidence and ranking."""
        return self._loop.run_until_complete(self.agent.parse_message(text))
