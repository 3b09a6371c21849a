"""Async client for the desk's /internal/ API (docs/handoff.md): cases, messages, the outbox, the radar's counts.

The bot reaches the desk only here, over HTTP on loopback, with the shared secret as a bearer
token. A desk that does not answer (restarting, down, a 5xx, a body that is not its JSON) is
DeskUnavailable; a 4xx with an error code is DeskRefused. Only posting a user's message is
retried, with backoff: the desk drops a `client_id` it has seen, so a retry never stores a
message twice, and a message written while the desk restarts still reaches the case.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.errors import DeskRefused, DeskUnavailable

logger = logging.getLogger(__name__)

POST_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)  # about 30 s: long enough for the desk to restart


@dataclass(frozen=True)
class OpenedCase:
    number: str
    status: str
    staffed: bool


@dataclass(frozen=True)
class OutboxItem:
    id: int
    kind: str  # reply, claimed, waiting, closed, topic_open, topic_post, topic_delete
    case: str
    script: str
    reply_address: str | None = None
    text: str = ""
    thread_id: int | None = None

    @classmethod
    def of(cls, row: dict[str, Any]) -> OutboxItem:
        return cls(
            id=int(row["id"]),
            kind=str(row["kind"]),
            case=str(row.get("case") or ""),
            script=str(row.get("script") or ""),
            reply_address=row.get("reply_address") or None,
            text=str(row.get("text") or ""),
            thread_id=int(row["thread_id"]) if row.get("thread_id") is not None else None,
        )


@dataclass(frozen=True)
class Outbox:
    items: tuple[OutboxItem, ...] = ()
    open: dict[str, dict[str, str]] = field(default_factory=dict)  # desk pseudonym -> {"number", "status"}


class DeskClient:
    """Talks to the desk's /internal/ API; use as an async context manager."""

    def __init__(
        self,
        base_url: str,
        secret: str,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
        retry_delays: Sequence[float] = POST_RETRY_DELAYS,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry_delays = tuple(retry_delays)
        self._http = httpx.AsyncClient(
            base_url=f"{self.base_url}/internal",
            timeout=timeout,
            transport=transport,
            headers={"Authorization": f"Bearer {secret}"},
        )

    async def __aenter__(self) -> DeskClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._http.aclose()

    async def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """One request; the desk's JSON answer, DeskRefused on a 4xx, DeskUnavailable otherwise."""
        try:
            response = await self._http.request(method, path, json=body)
        except httpx.HTTPError as error:
            raise DeskUnavailable(f"the desk at {self.base_url} did not answer ({type(error).__name__})") from error
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if 400 <= response.status_code < 500:
            code = answer.get("error") if isinstance(answer, dict) else None
            raise DeskRefused(response.status_code, str(code or "refused"))
        if response.is_error or not isinstance(answer, dict):
            raise DeskUnavailable(f"the desk at {self.base_url} answered {response.status_code} without its JSON")
        return answer

    async def open_case(self, card: dict[str, Any]) -> OpenedCase:
        """Open a case with this card (or get the pseudonym's open one)."""
        answer = await self._call("POST", "/cases", card)
        return OpenedCase(str(answer["number"]), str(answer["status"]), bool(answer.get("staffed", True)))

    async def post_message(self, number: str, pseudonym: str, client_id: str, text: str) -> None:
        """Add the user's message to the case, retrying with backoff while the desk is unavailable.

        DeskRefused ("case_not_open") is not retried; DeskUnavailable after the last retry is raised."""
        body = {"pseudonym": pseudonym, "client_id": client_id, "text": text}
        for delay in (*self.retry_delays, None):
            try:
                await self._call("POST", f"/cases/{number}/messages", body)
                return
            except DeskUnavailable:
                if delay is None:
                    raise
                logger.info("The desk did not take a message for case %s; retrying in %g s", number, delay)
                await asyncio.sleep(delay)

    async def return_to_bot(self, number: str, pseudonym: str) -> None:
        await self._call("POST", f"/cases/{number}/return", {"pseudonym": pseudonym})

    async def outbox(self, limit: int = 50) -> Outbox:
        answer = await self._call("GET", f"/outbox?limit={limit}")
        try:
            items = tuple(OutboxItem.of(row) for row in answer.get("items") or [])
        except (KeyError, TypeError, ValueError) as error:
            raise DeskUnavailable("the desk's outbox has rows without an id or kind") from error
        return Outbox(items, dict(answer.get("open") or {}))

    async def acknowledge(
        self,
        item_id: int,
        *,
        telegram_message_id: int | None = None,
        thread_id: int | None = None,
        failed: str | None = None,
    ) -> None:
        """Tell the desk a row was sent (with the Telegram message id or the new topic's thread id) or failed."""
        if failed is not None:
            body: dict[str, Any] = {"failed": failed}
        elif thread_id is not None:
            body = {"thread_id": thread_id}
        else:
            body = {"telegram_message_id": telegram_message_id}
        await self._call("POST", f"/outbox/{item_id}/ack", body)

    async def forget(self, pseudonym: str) -> int:
        """Erase every case of this pseudonym; how many went."""
        return int((await self._call("POST", "/forget", {"pseudonym": pseudonym})).get("erased", 0))

    async def retention(self) -> int:
        """Erase the messages of cases closed longer ago than the retention limit; how many went."""
        return int((await self._call("POST", "/retention")).get("erased_messages", 0))

    async def staff_message(self, thread_id: int, staff_telegram_id: int, message_id: int, text: str) -> str:
        """Pass a staff member's message in a case's forum topic to the desk; what it did ("reply", "closed")."""
        body = {"thread_id": thread_id, "staff_telegram_id": staff_telegram_id, "message_id": message_id, "text": text}
        return str((await self._call("POST", "/staff", body)).get("done", ""))

    async def count(self, topic: str, script: str, outcome: str) -> None:
        """One more in this week's count of (topic, script, outcome) for the radar; nothing else is sent."""
        await self._call("POST", "/counts", {"topic": topic, "script": script, "outcome": outcome})
