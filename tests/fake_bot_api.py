"""A fake Telegram Bot API server on 127.0.0.1, for end-to-end tests and the benchmark.

It runs in its own thread (its own event loop), so tests can be plain functions. Users are
simulated by pushing updates; everything the bot calls is recorded. Failures can be injected:
`fail_next("sendMessage", 429, retry_after=1)`, `fail_next("sendMessage", 502)` or
`fail_next("sendMessage", 400, description="Bad Request: message thread not found")`.
A staff group with forum topics: createForumTopic, deleteForumTopic, sendMessage with
message_thread_id, and `topic_text()` for a staff member writing inside a topic.
Requests follow what python-telegram-bot sends: POST /bot<token>/<method>, form-encoded with
JSON-encoded non-string values (or an empty body).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

_bot_numbers = itertools.count(123456)  # each fake is another bot: its own token, its own update ids
DESCRIPTIONS = {429: "Too Many Requests", 403: "Forbidden: bot was blocked by the user"}
BLOCKED = {"ok": False, "error_code": 403, "description": DESCRIPTIONS[403]}
BAD_GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>"
    "\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"
)
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Kenesh",
    "username": "kenesh_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Sent:
    """A message the bot sent (or edited)."""

    method: str
    chat_id: int
    message_id: int
    text: str
    reply_markup: dict | None
    at: float = field(default_factory=time.perf_counter)
    thread_id: int | None = None  # message_thread_id: a forum topic in a group

    @property
    def buttons(self) -> list[dict]:
        return [button for row in (self.reply_markup or {}).get("inline_keyboard", []) for button in row]

    def button(self, title_part: str) -> dict:
        for button in self.buttons:
            if title_part.lower() in button["text"].lower():
                return button
        raise AssertionError(f"no button with {title_part!r} in {[b['text'] for b in self.buttons]}")


class FakeBotAPI:
    """Start with `.start()`, stop with `.stop()`; `base_url` is what the bot's base_url must be."""

    def __init__(self) -> None:
        self.token = f"{next(_bot_numbers)}:TEST-token-not-real"
        self.calls: list[tuple] = []  # (method, params)
        self.sent: list[Sent] = []
        self.deleted: list[tuple] = []  # (chat_id, message_id)
        self.webhook: dict[str, Any] = {}
        self.topics: dict[int, dict[int, str]] = {}  # group chat id -> {thread id: topic name}, deleted ones gone
        self._thread_ids = itertools.count(1001)
        self.blocked: set[int] = set()  # users who blocked the bot: sending to them is refused (403)
        self.revoked: set[str] = set()  # tokens Telegram no longer accepts (401, PTB's InvalidToken)
        self.pushed_at: dict[int, float] = {}  # update_id -> when it was pushed
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._failures: dict[str, list[tuple]] = {}
        self.held = 0  # requests waiting behind hold(): Telegram has not accepted them
        self._holding: set[tuple[str, int | None]] = set()  # (method, chat or None for every chat)
        self._release: asyncio.Event | None = None
        self._changed = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._new_update: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---- lifecycle ----------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> FakeBotAPI:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True, name="fake-bot-api")
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake Bot API did not start")
        return self

    def stop(self) -> None:
        if self._loop:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def _serve(self, ready: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._new_update = asyncio.Event()
        self._release = asyncio.Event()
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        runner = self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        self._loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        ready.set()
        try:
            self._loop.run_forever()
        finally:
            tasks = asyncio.all_tasks(self._loop)
            for task in tasks:
                task.cancel()
            self._loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            self._loop.close()

    # ---- simulated users ----------------------------------------------------------------
    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _push(self, update: dict) -> dict:
        update_id = next(self._update_ids)
        update = {"update_id": update_id, **update}
        with self._changed:
            self.pushed_at[update_id] = time.perf_counter()
            self._updates.append(update)
        self._loop.call_soon_threadsafe(self._new_update.set)
        return update

    @staticmethod
    def user(user_id: int, language_code: str | None = "ru") -> dict:
        user = {"id": user_id, "is_bot": False, "first_name": "Test"}
        return {**user, "language_code": language_code} if language_code else user

    def raw(self, update: dict) -> dict:
        """Push any update (e.g. {"my_chat_member": …}); an update_id is added."""
        return self._push(update)

    def message(
        self,
        user_id: int,
        language_code: str | None = "ru",
        chat: dict | None = None,
        kind: str = "message",
        queue: bool = True,
        **content: Any,
    ) -> dict:
        """Push a message update; `content` is the message's fields (text=…, sticker=…, voice=…).

        With queue=False the update is only returned (to POST it to a webhook)."""
        chat = chat or {"id": user_id, "type": "private", "first_name": "Test"}
        message = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id, language_code),
            **content,
        }
        if kind == "edited_message":
            message["edit_date"] = int(time.time())
        if not queue:
            return {"update_id": next(self._update_ids), kind: message}
        return self._push({kind: message})

    def text(self, user_id: int, text: str, language_code: str | None = "ru", queue: bool = True) -> dict:
        entities = (
            [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else []
        )
        return self.message(
            user_id, language_code, queue=queue, text=text, **({"entities": entities} if entities else {})
        )

    def topic_text(self, user_id: int, group_id: int, thread_id: int, text: str, queue: bool = True) -> dict:
        """A group member writes `text` inside the forum topic `thread_id` of the supergroup `group_id`."""
        chat = {"id": group_id, "type": "supergroup", "title": "Staff", "is_forum": True}
        return self.message(
            user_id, "ru", chat=chat, queue=queue, text=text, message_thread_id=thread_id, is_topic_message=True
        )

    def press(self, user_id: int, sent: Sent, button: dict, language_code: str | None = "ru") -> dict:
        """Press an inline button under a message the bot sent."""
        message = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "text": sent.text,
            "chat": {"id": sent.chat_id, "type": "private", "first_name": "Test"},
            "from": BOT_USER,
        }
        return self._push(
            {
                "callback_query": {
                    "id": f"cq{next(self._update_ids)}",
                    "chat_instance": "ci",
                    "from": self.user(user_id, language_code),
                    "message": message,
                    "data": button["callback_data"],
                }
            }
        )

    # ---- what the bot did ---------------------------------------------------------------
    def fail_next(
        self, method: str, status: int, retry_after: int | None = None, description: str | None = None
    ) -> None:
        self._failures.setdefault(method, []).append((status, retry_after, description))

    def hold(self, method: str, chat_id: int | None = None) -> None:
        """Calls of `method` (to `chat_id`, or to anyone) wait, not accepted, until drop_held(): a bot
        killed meanwhile never had them accepted."""
        self._holding.add((method, chat_id))

    def drop_held(self) -> None:
        """Refuse every held call (a 502) and hold no more."""
        self._holding.clear()
        self._loop.call_soon_threadsafe(self._release.set)

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]

    def wait_for(self, condition: Callable[[], Any], timeout: float = 20.0) -> Any:
        """Wait until `condition()` is truthy; return its value."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = condition()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out after {timeout} s; last calls: {self.methods()[-10:]}")
                self._changed.wait(min(remaining, 0.5))  # also notice a bot that died without a call

    def messages_to(self, chat_id: int, after: int = 0) -> list[Sent]:
        return [sent for sent in self.sent[after:] if sent.chat_id == chat_id and sent.method == "sendMessage"]

    def messages_to_any(self, after: int = 0) -> list[Sent]:
        return [sent for sent in self.sent[after:] if sent.method == "sendMessage"]

    def wait_for_messages(self, chat_id: int, after: int, count: int = 1, timeout: float = 20.0) -> list[Sent]:
        """Wait until the bot has sent `count` messages to `chat_id` since mark `after`; return them all."""
        return self.wait_for(
            lambda: (lambda found: found if len(found) >= count else None)(self.messages_to(chat_id, after)), timeout
        )

    def answer_to(self, user_id: int, text: str, timeout: float = 30.0) -> str:
        """Send `text`; every message the bot sends back until the one with buttons (an answer's last
        part), joined: on a busy machine an answer's parts can come apart."""
        mark = self.mark()
        self.text(user_id, text)
        self.wait_for(lambda: any(sent.reply_markup for sent in self.messages_to(user_id, mark)), timeout=timeout)
        return "\n\n".join(sent.text for sent in self.messages_to(user_id, mark))

    def mark(self) -> int:
        """A position in `sent`; pass it as `after` to see only what comes next."""
        with self._changed:
            return len(self.sent)

    # ---- the Bot API --------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        with self._changed:
            self.calls.append((method, params))
            self._changed.notify_all()
        if request.match_info["token"] in self.revoked:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        chat = int(params["chat_id"]) if str(params.get("chat_id", "")).lstrip("-").isdigit() else None
        if (method, None) in self._holding or (method, chat) in self._holding:
            with self._changed:
                self.held += 1
                self._changed.notify_all()
            await self._release.wait()
            return self._failure(502, None)
        failures = self._failures.get(method)
        if failures:
            return self._failure(*failures.pop(0))
        if str(params.get("chat_id")) in {str(chat) for chat in self.blocked} and method.startswith(("send", "edit")):
            return web.json_response(BLOCKED, status=403)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        result = await handler(params) if asyncio.iscoroutinefunction(handler) else handler(params)
        with self._changed:
            self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _failure(status: int, retry_after: int | None, description: str | None = None) -> web.Response:
        """A 502 is an HTML page from Telegram's front proxy, as the real one sends; the rest is JSON."""
        if status == 502:
            return web.Response(status=502, text=BAD_GATEWAY_PAGE, content_type="text/html")
        body: dict[str, Any] = {
            "ok": False,
            "error_code": status,
            "description": description or DESCRIPTIONS.get(status, "Error"),
        }
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return web.json_response(body, status=status)

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if "json" in (request.content_type or ""):
            return await request.json()
        params = {}
        for key, value in (await request.post()).items():
            try:
                params[key] = json.loads(value)
            except (TypeError, ValueError):
                params[key] = value
        return params

    def _api_getMe(self, params: dict) -> dict:
        return BOT_USER

    def _api_deleteWebhook(self, params: dict) -> bool:
        self.webhook = {}
        return True

    def _api_setWebhook(self, params: dict) -> bool:
        self.webhook = params
        return True

    def _api_getWebhookInfo(self, params: dict) -> dict:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}

    def _api_setMyCommands(self, params: dict) -> bool:
        return True

    def _api_answerCallbackQuery(self, params: dict) -> bool:
        return True

    def _api_sendChatAction(self, params: dict) -> bool:
        return True

    def _api_close(self, params: dict) -> bool:
        return True

    async def _api_getUpdates(self, params: dict) -> list[dict]:
        offset, timeout = int(params.get("offset") or 0), float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        while True:
            with self._changed:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = list(self._updates)
                self._new_update.clear()
            if ready or time.monotonic() >= deadline:
                return ready
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())

    def _api_createForumTopic(self, params: dict) -> dict:
        chat_id, thread_id = int(params["chat_id"]), next(self._thread_ids)
        with self._changed:
            self.topics.setdefault(chat_id, {})[thread_id] = params["name"]
        return {"message_thread_id": thread_id, "name": params["name"], "icon_color": 7322096}

    def _api_deleteForumTopic(self, params: dict) -> bool:
        with self._changed:
            self.topics.get(int(params["chat_id"]), {}).pop(int(params["message_thread_id"]), None)
        return True

    def _api_sendMessage(self, params: dict) -> dict:
        chat_id = int(params["chat_id"])
        thread_id = int(params["message_thread_id"]) if params.get("message_thread_id") else None
        sent = Sent(
            "sendMessage",
            chat_id,
            self._next_message_id(chat_id),
            params["text"],
            params.get("reply_markup"),
            thread_id=thread_id,
        )
        with self._changed:
            self.sent.append(sent)
        return self._message_json(sent)

    def _api_editMessageText(self, params: dict) -> dict:
        sent = Sent(
            "editMessageText",
            int(params["chat_id"]),
            int(params["message_id"]),
            params["text"],
            params.get("reply_markup"),
        )
        with self._changed:
            self.sent.append(sent)
        return self._message_json(sent)

    def _api_editMessageReplyMarkup(self, params: dict) -> dict:
        sent = Sent(
            "editMessageReplyMarkup", int(params["chat_id"]), int(params["message_id"]), "", params.get("reply_markup")
        )
        with self._changed:
            self.sent.append(sent)
        return self._message_json(sent)

    def _api_deleteMessage(self, params: dict) -> bool:
        with self._changed:
            self.deleted.append((int(params["chat_id"]), int(params["message_id"])))
        return True

    def _api_deleteMessages(self, params: dict) -> bool:
        with self._changed:
            self.deleted.extend((int(params["chat_id"]), int(m)) for m in params["message_ids"])
        return True

    @staticmethod
    def _message_json(sent: Sent) -> dict:
        message = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "text": sent.text,
            "from": BOT_USER,
            "chat": {"id": sent.chat_id, "type": "private" if sent.chat_id > 0 else "group"},
        }
        if sent.reply_markup:
            message["reply_markup"] = sent.reply_markup
        if sent.thread_id is not None:
            message.update(message_thread_id=sent.thread_id, is_topic_message=True)
        return message
