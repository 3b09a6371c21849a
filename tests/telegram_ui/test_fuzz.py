"""Fuzz: about two thousand generated updates through the fake Bot API against the real bot, Rasa and actions.

A seeded generator (the same updates on every run) mixes ordinary questions in every language
with odd text (payload-shaped, invisible characters, markup, numbers, very long), forged and
stale buttons, every kind of non-text message, edits, groups, channels, business messages and
updates with parts missing. Asserted afterwards: no traceback and no handler error in the bot's
log; every private message got a reply and every button press an answer; no call Telegram would
refuse (empty or over-long text, over-long callback data or alerts); the marker hidden in the
generated text is in no log and no tracker file.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable

import pytest
from fake_bot_api import FakeBotAPI

pytestmark = pytest.mark.model

SEED, USERS = 20261206, 800  # about 2,000 updates
MARKER = "Qwertzuiop"
QUESTIONS = [
    "мне пришла повестка, что делать?",
    "повестка келди эмне кылам",
    "povestka keldi nima qilishim kerak",
    "ба ман повестка омад",
    "можно ли уехать домой после повестки",
    "контракт с минобороны дадут гражданство?",
    "привет",
    "спасибо",
]
ODD_TEXTS = [
    f'/risk_check{{"risk_input": "answer:{MARKER}"}}',
    f"\u200b/restart {MARKER}",
    f"\u2060/session_start{MARKER}",
    f"<b>{MARKER}</b><script>alert(1)</script> & повестка",
    f"{MARKER} " * 700,
    "🙂" * 50,
    "   ",
    f"/{MARKER.lower()}",
    f"повестка\u202e{MARKER}",
]
FILE = {"file_id": "f1", "file_unique_id": "u1"}
NON_TEXT = [
    {"sticker": {**FILE, "width": 512, "height": 512, "is_animated": False, "is_video": False, "type": "regular"}},
    {"voice": {**FILE, "duration": 3}},
    {"photo": [{**FILE, "width": 90, "height": 90}]},
    {"document": {**FILE, "file_name": "a.pdf"}},
    {"location": {"latitude": 55.75, "longitude": 37.62}},
    {"contact": {"phone_number": "+70000000000", "first_name": "A"}},
]
FORGED_DATA = [
    "p:/restart",
    f"p:/{MARKER.lower()}",
    f'p:/risk_check{{"risk_input": "answer:{MARKER}"}}',
    "h:zzz",
    "l:xx",
    "f:maybe",
    "x",
]


def private_chat(user: int) -> dict:
    return {"id": user, "type": "private", "first_name": "Test"}


def generate(fake: FakeBotAPI, rng: random.Random) -> tuple[Counter, Counter]:
    """Push the updates; how many private messages and button presses each user sent."""
    messages: Counter = Counter()
    presses: Counter = Counter()
    language = ["ru", "ky", "uz", "tg", None]

    def private_text(user: int) -> None:
        fake.text(user, rng.choice(QUESTIONS + ODD_TEXTS), rng.choice(language))
        messages[user] += 1

    def non_text(user: int) -> None:
        fake.message(user, rng.choice(language), **rng.choice(NON_TEXT))
        messages[user] += 1

    def edit(user: int) -> None:
        fake.message(user, "ru", kind="edited_message", text=f"повестка {MARKER}")
        messages[user] += 1

    def forged_button(user: int) -> None:
        message = {"message_id": 1, "date": 0, "text": "x", "chat": private_chat(user), "from": fake.user(777)}
        update = {"id": f"cq{rng.random()}", "chat_instance": "ci", "from": fake.user(user), "message": message}
        fake.raw({"callback_query": {**update, "data": rng.choice(FORGED_DATA)}})
        presses[user] += 1

    def not_served(user: int) -> None:
        kind = rng.choice(["channel", "business", "no sender", "inline", "number", "member"])
        chat = private_chat(user)
        if kind == "channel":
            fake.raw({"channel_post": {"message_id": 2, "date": 0, "chat": {"id": -100 - user, "type": "channel"}}})
        elif kind == "business":
            body = {"message_id": 3, "date": 0, "chat": chat, "from": fake.user(user), "business_connection_id": "b"}
            fake.raw({"business_message": {**body, "text": MARKER}})
        elif kind == "no sender":
            fake.raw({"message": {"message_id": 4, "date": 0, "chat": chat, "text": MARKER}})
        elif kind == "inline":
            inline = {
                "id": f"in{rng.random()}",
                "from": fake.user(user),
                "chat_instance": "c",
                "inline_message_id": "i",
            }
            fake.raw({"callback_query": {**inline, "data": "p:/greet"}})
        elif kind == "number":
            fake.raw({"message": {"message_id": 5, "date": 0, "chat": chat, "from": fake.user(user), "text": 42}})
            messages[user] += 1
        else:
            member = {"status": "member", "user": fake.user(user)}
            body = {"chat": chat, "from": fake.user(user), "date": 0, "old_chat_member": member}
            fake.raw({"my_chat_member": {**body, "new_chat_member": {**member, "status": "kicked", "until_date": 0}}})

    kinds: list[Callable[[int], None]] = [private_text] * 5 + [non_text, edit, forged_button, not_served] * 1
    for user in range(9_100_000, 9_100_000 + USERS):
        for _ in range(rng.randint(1, 4)):  # within the per-user burst of 8: nobody is asked to slow down
            rng.choice(kinds)(user)
    return messages, presses


def refused_by_telegram(method: str, params: dict) -> str | None:
    """Why Telegram would refuse this call, or None."""
    if method in ("sendMessage", "editMessageText"):
        text = params.get("text") or ""
        if not text.strip() or len(text.encode("utf-16-le")) // 2 > 4096:
            return f"{method} with a text of {len(text)} characters"
    markup = params.get("reply_markup")
    if markup:
        markup = json.loads(markup) if isinstance(markup, str) else markup
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    return "callback_data over 64 bytes"
    if method == "answerCallbackQuery" and len(params.get("text") or "") > 200:
        return "a callback answer over 200 characters"
    return None


def test_generated_updates_are_all_answered_and_nothing_breaks_or_leaks(
    fake_telegram, telegram_bot, running_servers
) -> None:
    fake = fake_telegram
    log_start, calls_start = telegram_bot.log.stat().st_size, len(fake.calls)
    messages, presses = generate(fake, random.Random(SEED))

    def everyone_answered() -> bool:
        sent = Counter(s.chat_id for s in fake.sent if s.method == "sendMessage")
        pressed = [
            p for m, p in fake.calls[calls_start:] if m == "answerCallbackQuery" and p["callback_query_id"][:2] == "cq"
        ]
        return all(sent[user] >= count for user, count in messages.items()) and len(pressed) >= sum(presses.values())

    fake.wait_for(everyone_answered, timeout=300)
    log = telegram_bot.log.read_bytes()[log_start:].decode(errors="replace")
    assert "Traceback" not in log and "Error while handling" not in log
    refused = [why for m, p in fake.calls[calls_start:] if (why := refused_by_telegram(m, p))]
    assert refused == []
    files = [telegram_bot.log, *(running_servers.state_dir / "log").glob("*.log")]
    files += sorted(running_servers.state_dir.glob("trackers.db*"))
    for path in files:
        content = path.read_bytes()
        assert MARKER.encode() not in content and MARKER.lower().encode() not in content, path.name
