"""Ask the running Rasa server which topics a question is about (`/model/parse`); the desk never
loads the model itself (about 50 s and 1.5 GB). Nothing is written to Rasa's tracker store."""

from __future__ import annotations

import logging
from functools import lru_cache

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _client() -> httpx.Client:
    """One keep-alive client per process (httpx.Client is safe to share between threads)."""
    return httpx.Client(base_url=settings.KENESH.rasa_base_url, timeout=settings.KENESH.desk_lookup_timeout)


def intent_ranking(text: str) -> list[tuple[str, float]] | None:
    """The model's intents for `text`, best first, with their confidences; None when Rasa does not
    answer in time (the desk then searches the answers' text alone). The text is never logged."""
    try:
        response = _client().post("/model/parse", json={"text": text})
        response.raise_for_status()
        ranking = response.json().get("intent_ranking") or []
        return [(str(item["name"]), float(item["confidence"])) for item in ranking]
    except (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError) as error:
        logger.warning("Rasa's /model/parse did not answer: %s", type(error).__name__)
        return None
