"""Telegram's flood limits plus retries: nothing is lost to a 429 or a passing network error.

PTB's AIORateLimiter keeps to Telegram's limits and, with max_retries, waits out a 429's
retry_after. This subclass also retries requests that failed on the way (a 502 Bad Gateway,
a dropped connection, a timeout) a few times with a short pause. Hand-written, not tenacity:
it is one loop inside PTB's own rate-limiter hook.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter

logger = logging.getLogger(__name__)

NETWORK_RETRIES = 3
FIRST_PAUSE = 0.5  # seconds; doubles on every retry


class PatientRateLimiter(AIORateLimiter):
    """AIORateLimiter that also retries transient network failures."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        pause = FIRST_PAUSE
        for attempt in range(NETWORK_RETRIES + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except (BadRequest, Forbidden, InvalidToken, RetryAfter):
                raise  # the request itself is wrong, or the 429 retries are used up: retrying cannot help
            except NetworkError as error:
                if attempt == NETWORK_RETRIES:
                    raise
                logger.warning("Telegram %s failed (%s); retrying in %.1f s", endpoint, type(error).__name__, pause)
                await asyncio.sleep(pause)
                pause *= 2
        raise AssertionError("unreachable")
