"""Async client for Rasa's REST channel: one user message in, plain replies out.

Retries are not done here on purpose: a message must not be delivered twice to Rasa (it would
run the turn twice); callers show an apology instead and the user can resend. No answer at all is
never passed on as "nothing to say": Rasa answers `200 []` when its action server is down, and
that, or a body that is not Rasa's list of replies, is RasaUnavailable like a failed request.

The actions also send signals for the front ends (`json_message`, which the REST channel returns
as a reply of its own, `{"custom": {...}}`): what topic was answered, a "did you mean", a risk
card's levels. They come back as replies with `custom` set and no text; a turn of signals alone
is still "nothing to say".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.errors import RasaUnavailable

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reply:
    text: str = ""
    buttons: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (title, payload)
    custom: dict[str, Any] | None = field(default=None, hash=False)  # a signal, not for people

    @property
    def readable(self) -> bool:
        return bool(self.text or self.buttons)


def _parse(items: object) -> list[Reply]:
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValueError("not a list of replies")
    replies = []
    for item in items:
        buttons = tuple((b.get("title", ""), b.get("payload", "")) for b in item.get("buttons") or [])
        if item.get("text") or buttons:
            replies.append(Reply(item.get("text") or "", buttons))
        if isinstance(item.get("custom"), dict):
            replies.append(Reply(custom=item["custom"]))
    return replies


def signals(replies: list[Reply], key: str = "kenesh") -> list[dict[str, Any]]:
    """The actions' signals in a turn's replies (`{"custom": {"kenesh": {...}}}`), in order."""
    return [reply.custom[key] for reply in replies if reply.custom and isinstance(reply.custom.get(key), dict)]


class RasaClient:
    """Talks to one Rasa server over HTTP; use as an async context manager."""

    def __init__(self, base_url: str, timeout: float = 10.0, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)

    async def __aenter__(self) -> RasaClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._http.aclose()

    async def send(self, sender_id: str, text: str, metadata: dict | None = None) -> list[Reply]:
        """Send one message as `sender_id` (a pseudonym) and return Rasa's replies (at least one)."""
        payload = {"sender": sender_id, "message": text, "metadata": metadata or {}}
        try:
            response = await self._http.post(f"{self.base_url}/webhooks/rest/webhook", json=payload)
            response.raise_for_status()
        except httpx.HTTPError as error:
            logger.warning("Rasa did not answer: %s", type(error).__name__)
            raise RasaUnavailable(f"the Rasa server at {self.base_url} did not answer") from error
        try:
            replies = _parse(response.json())
        except ValueError as error:  # json.JSONDecodeError is one
            logger.warning("Rasa answered something that is not a list of replies")
            raise RasaUnavailable(f"the Rasa server at {self.base_url} answered nonsense") from error
        if not any(reply.readable for reply in replies):
            logger.warning("Rasa answered nothing (is the action server down?)")
            raise RasaUnavailable(f"the Rasa server at {self.base_url} answered nothing")
        return replies
