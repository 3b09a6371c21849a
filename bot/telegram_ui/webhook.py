"""Webhook mode: a small aiohttp server that checks Telegram's secret token and queues updates.

Shaped like PTB's custom-webhook example: the web layer only checks and parses the request and
puts the update on `application.update_queue`; `/healthz` tells a load balancer the bot is up.
aiohttp rather than PTB's tornado server, for the health route (aiohttp comes with Rasa).
"""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram.ext import Application

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram"
HEALTH_PATH = "/healthz"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_app(application: Application, secret: str) -> web.Application:
    """The aiohttp application: POST /telegram (secret checked) and GET /healthz."""

    async def receive(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), secret.encode()):
            logger.warning("Webhook request with a wrong secret token refused")
            return web.Response(status=403)
        try:
            data = await request.json()
        except json.JSONDecodeError:
            return web.Response(status=400)
        if not isinstance(data, dict) or "update_id" not in data:
            return web.Response(status=400)
        # Parsed like polled updates: one this version cannot read is skipped, not retried forever.
        await application.update_queue.put(application.bot.parse_update(data))
        return web.Response()

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "running": application.running})

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post(WEBHOOK_PATH, receive)
    app.router.add_get(HEALTH_PATH, health)
    return app
