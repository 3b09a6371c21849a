"""End to end: fake Telegram Bot API -> the real bot process -> the real Rasa and action servers."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import time
from collections import Counter

import httpx
import pytest
from bot_process import free_port, start_bot
from fake_bot_api import FakeBotAPI, Sent

from bot.knowledge import render
from bot.knowledge.loader import load_knowledge
from bot.language.codes import NATIVE_NAMES, SCRIPTS, base_language
from bot.language.i18n import gettext_for
from bot.settings import Settings
from bot.telegram_ui.formatting import escape
from bot.telegram_ui.webhook import SECRET_HEADER, WEBHOOK_PATH

pytestmark = pytest.mark.model

SUMMONS_QUESTIONS = {
    "ky": "электрондук повестка келди, эмне кылам?",
    "ru": "мне пришла электронная повестка, что делать?",
    "uz": "elektron povestka keldi, nima qilishim kerak?",
    "uz_Cyrl": "электрон повестка келди, нима қилишим керак?",
    "tg": "ба ман повесткаи электронӣ омад, чӣ кор кунам?",
}
_user_ids = itertools.count(7_000_001)


def new_user() -> int:
    return next(_user_ids)


def ui(script: str, message: str, **values: str) -> str:
    """An interface string as the bot sends it: translated, filled in, HTML-escaped."""
    return escape(gettext_for(script)(message).format(**values))


def answer_start(script: str, topic: str) -> str:
    """The first line of a topic's answer as the bot sends it."""
    kb = load_knowledge(Settings().knowledge_dir)
    return escape(render.topic_answer(kb, topic, script).text.split("\n", 1)[0])


def say(
    fake: FakeBotAPI, user: int, text: str, language_code: str = "ru", count: int = 1, timeout: float = 20.0
) -> list:
    mark = fake.mark()
    fake.text(user, text, language_code)
    return fake.wait_for_messages(user, mark, count, timeout)


def press(fake: FakeBotAPI, user: int, sent: Sent, title: str, language_code: str = "ru", count: int = 1) -> list:
    mark = fake.mark()
    fake.press(user, sent, sent.button(title), language_code)
    return fake.wait_for_messages(user, mark, count)


@pytest.mark.parametrize("script", SCRIPTS)
def test_start_choose_language_ask_and_follow_a_related_topic(fake_telegram, telegram_bot, script: str) -> None:
    fake, user, code = fake_telegram, new_user(), base_language(script)
    [greeting] = say(fake, user, "/start", code)
    assert ui(code, "Choose your language:") in greeting.text
    assert [b["text"] for b in greeting.buttons if b["text"].startswith("✓")] == [f"✓ {NATIVE_NAMES[code]}"]

    [chosen] = press(fake, user, greeting, NATIVE_NAMES[script], code)
    assert chosen.text == ui(script, "Language set: {language}.", language=NATIVE_NAMES[script])
    assert len(chosen.buttons) >= 5  # the menu of topics
    ticked = [s for s in fake.sent if s.method == "editMessageReplyMarkup" and s.chat_id == user][-1]
    assert f"✓ {NATIVE_NAMES[script]}" in [b["text"] for b in ticked.buttons]

    [answer] = say(fake, user, SUMMONS_QUESTIONS[script], code)
    assert answer.text.startswith(answer_start(script, "summons_received"))
    assert ui(script, "Sources:") in answer.text and "http" in answer.text
    related = next(b for b in answer.buttons if b["callback_data"] != "p:/ask_more")
    topic = related["callback_data"].split("/", 1)[1]
    [hop] = press(fake, user, answer, related["text"], code)
    assert hop.text.startswith(answer_start(script, topic))


def test_language_can_change_mid_chat(fake_telegram, telegram_bot) -> None:
    fake, user = fake_telegram, new_user()
    [answer] = say(fake, user, SUMMONS_QUESTIONS["ru"])
    assert answer.text.startswith(answer_start("ru", "summons_received"))
    [choice] = say(fake, user, "/language")
    [chosen] = press(fake, user, choice, NATIVE_NAMES["tg"])
    assert chosen.text == ui("tg", "Language set: {language}.", language=NATIVE_NAMES["tg"])
    [answer] = say(fake, user, SUMMONS_QUESTIONS["ru"])  # still written in Russian: the choice wins
    assert answer.text.startswith(answer_start("tg", "summons_received"))


def stored_events(settings, sender: str) -> int:
    with sqlite3.connect(settings.tracker_db_file) as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def test_forget_asks_then_erases_state_and_deletes_messages(fake_telegram, telegram_bot, running_servers) -> None:
    fake, user = fake_telegram, new_user()
    say(fake, user, SUMMONS_QUESTIONS["ky"], "ky")
    sender = telegram_bot.pseudonym(user)
    assert stored_events(running_servers, sender) > 0

    [question] = say(fake, user, "/forget", "ky")
    mark = fake.mark()
    fake.press(user, question, question.button(gettext_for("ky")("No")), "ky")
    kept = fake.wait_for(lambda: [s for s in fake.sent[mark:] if s.method == "editMessageText" and s.chat_id == user])
    assert kept[0].text == ui("ky", "Nothing was erased.")
    assert stored_events(running_servers, sender) > 0

    [question] = say(fake, user, "/forget", "ky")
    [done] = press(fake, user, question, gettext_for("ky")("Yes, erase"), "ky")
    assert done.text == ui("ky", "Done. Everything I kept about you is erased.")
    assert stored_events(running_servers, sender) == 0
    deleted = {message_id for chat, message_id in fake.deleted if chat == user}
    sent_before = {s.message_id for s in fake.messages_to(user) if s.message_id != done.message_id}
    assert sent_before <= deleted and 1 in deleted  # the bot's messages and the user's first message

    [answer] = say(fake, user, SUMMONS_QUESTIONS["ky"], "ky")  # a fresh start works
    assert answer.text.startswith(answer_start("ky", "summons_received"))


FILE = {"file_id": "f1", "file_unique_id": "u1"}
NON_TEXT = {
    "sticker": (
        {"sticker": {**FILE, "width": 512, "height": 512, "is_animated": False, "is_video": False, "type": "regular"}},
        "I can read only text. Please type your question in words.",
    ),
    "voice": ({"voice": {**FILE, "duration": 3}}, "I cannot listen to voice messages yet. Please type your question."),
    "video_note": (
        {"video_note": {**FILE, "length": 240, "duration": 3}},
        "I cannot listen to voice messages yet. Please type your question.",
    ),
    "photo": (
        {"photo": [{**FILE, "width": 90, "height": 90}]},
        "I can read only text. Please type your question in words.",
    ),
    "document": (
        {"document": {**FILE, "file_name": "summons.pdf"}},
        "I can read only text. Please type your question in words.",
    ),
    "location": (
        {"location": {"latitude": 55.75, "longitude": 37.62}},
        "Please do not send your location or phone number: I do not need them. Type your question in words.",
    ),
    "contact": (
        {"contact": {"phone_number": "+70000000000", "first_name": "A"}},
        "Please do not send your location or phone number: I do not need them. Type your question in words.",
    ),
    "poll": (
        {
            "poll": {
                "id": "p1",
                "question": "?",
                "options": [{"text": "a", "voter_count": 0, "persistent_id": "o1"}],
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
                "allows_revoting": False,
                "members_only": False,
            }
        },
        "I can read only text. Please type your question in words.",
    ),
}


@pytest.mark.parametrize("kind", NON_TEXT)
def test_non_text_messages_get_a_polite_reply_in_the_users_language(fake_telegram, telegram_bot, kind: str) -> None:
    fake, user = fake_telegram, new_user()
    content, expected = NON_TEXT[kind]
    mark = fake.mark()
    fake.message(user, "tg", **content)
    [reply] = fake.wait_for_messages(user, mark)
    assert reply.text == ui("tg", expected)


def test_edits_groups_and_other_updates_do_not_break_the_bot(fake_telegram, telegram_bot) -> None:
    fake, user = fake_telegram, new_user()
    mark = fake.mark()
    fake.message(user, "uz", kind="edited_message", text="povestka keldi")
    [reply] = fake.wait_for_messages(user, mark)
    assert reply.text == ui("uz", "You changed a message. I read only new messages: please send your question again.")

    group = {"id": -1001234, "type": "group", "title": "Migrants"}
    mark = fake.mark()
    fake.message(user, "ru", chat=group, text="повестка пришла")
    [reply] = fake.wait_for_messages(group["id"], mark)
    assert reply.text == ui(
        "ru", "I answer only in a private chat. For your safety, write to me directly, not in a group."
    )

    fake.raw({"message": {"message_id": 999, "a_field_from_a_future_bot_api": True}})  # unreadable: skipped
    fake.raw(
        {
            "my_chat_member": {
                "chat": {"id": user, "type": "private"},
                "from": fake.user(user),
                "date": 0,
                "old_chat_member": {"status": "member", "user": fake.user(user)},
                "new_chat_member": {"status": "kicked", "user": fake.user(user), "until_date": 0},
            }
        }
    )
    [answer] = say(fake, user, SUMMONS_QUESTIONS["uz"], "uz")
    assert answer.text.startswith(answer_start("uz", "summons_received"))


def test_long_messages_and_markup_are_handled_safely(fake_telegram, telegram_bot) -> None:
    fake, user = fake_telegram, new_user()
    long_text = " ".join([SUMMONS_QUESTIONS["ru"]] * 110)  # about 5000 characters
    notice, answer = say(fake, user, long_text, count=2)
    assert notice.text == ui("ru", "Your message is very long. I read only the beginning.")
    assert answer.text.startswith(answer_start("ru", "summons_received"))

    mark = fake.mark()
    fake.text(user, '<b>повестка</b> & <script>alert("x")</script> *жирный* [ссылка](http://example.com) `код`')
    fake.wait_for_messages(user, mark)
    assert all("<" not in sent.text for sent in fake.sent if sent.chat_id == user), "only escaped text is sent"


def test_flood_from_one_user_is_slowed_politely(fake_telegram, telegram_bot) -> None:
    fake, user = fake_telegram, new_user()
    mark = fake.mark()
    for _ in range(14):
        fake.text(user, "привет")
    warning = ui("ru", "You are sending many messages. Please wait a minute, then write again.")
    fake.wait_for(lambda: any(s.text == warning for s in fake.messages_to(user, mark)))
    time.sleep(2)
    replies = fake.messages_to(user, mark)
    assert [s.text for s in replies].count(warning) == 1
    assert len(replies) < 14


def test_telegram_429_and_502_are_retried(fake_telegram, telegram_bot) -> None:
    fake, user = fake_telegram, new_user()
    for status, retry_after in ((429, 1), (502, None)):
        fake.fail_next("sendMessage", status, retry_after)
        calls_before = len(fake.calls)
        started = time.perf_counter()
        [answer] = say(fake, user, SUMMONS_QUESTIONS["ru"])
        assert answer.text.startswith(answer_start("ru", "summons_received"))
        attempts = [p for m, p in fake.calls[calls_before:] if m == "sendMessage" and int(p["chat_id"]) == user]
        assert len(attempts) == 2
        if retry_after:
            assert time.perf_counter() - started >= retry_after


def barrier(fake: FakeBotAPI) -> None:
    """Wait until the bot has handled what was pushed before: a new user's question gets its answer."""
    say(fake, new_user(), SUMMONS_QUESTIONS["ru"])


@pytest.fixture
def bot_log(telegram_bot):
    """What the bot process logs from now on: bot_log() -> the text written since the test began."""
    start = telegram_bot.log.stat().st_size
    return lambda: telegram_bot.log.read_bytes()[start:].decode(errors="replace")


def test_a_user_who_blocked_the_bot_costs_one_quiet_log_line(fake_telegram, bot_log) -> None:
    fake, user = fake_telegram, new_user()
    fake.blocked.add(user)
    calls = len(fake.calls)
    fake.text(user, SUMMONS_QUESTIONS["ru"])
    fake.wait_for(lambda: "blocked the bot" in bot_log())
    barrier(fake)
    refused = [p for m, p in fake.calls[calls:] if m.startswith("send") and int(p["chat_id"]) == user]
    assert len(refused) == 1, "no apology is tried in a chat that refuses every message"
    assert "Traceback" not in bot_log()


def test_telegram_unreachable_through_the_retries_is_a_warning_not_a_traceback(fake_telegram, bot_log) -> None:
    fake, user = fake_telegram, new_user()
    for _ in range(4):  # the first try and three retries, each answered with Telegram's HTML 502 page
        fake.fail_next("sendMessage", 502)
    mark = fake.mark()
    fake.text(user, SUMMONS_QUESTIONS["ru"])
    [apology] = fake.wait_for_messages(user, mark, timeout=30)  # the apology goes through once Telegram is back
    assert apology.text.startswith(
        ui("ru", "Sorry, the assistant is not available right now. Please try again in a few minutes.")
    )
    assert "Telegram did not take a request" in bot_log() and "Traceback" not in bot_log()


def test_updates_the_bot_does_not_serve_are_dropped_without_a_word(fake_telegram, bot_log) -> None:
    fake, user = fake_telegram, new_user()
    channel = {"id": -1009876, "type": "channel", "title": "News"}
    private = {"id": user, "type": "private", "first_name": "Test"}
    post = {"message_id": 5, "date": 0, "chat": channel, "text": "повестка", "edit_date": 1}
    fake.raw({"edited_channel_post": post})
    fake.raw({"channel_post": {**post, "message_id": 6}})
    fake.raw({"message": {"message_id": 7, "date": 0, "chat": private, "text": "повестка"}})  # no sender
    fake.raw(
        {
            "business_message": {
                "message_id": 8,
                "date": 0,
                "chat": private,
                "from": fake.user(user),
                "business_connection_id": "bc1",
                "text": "повестка",
            }
        }
    )
    inline = {"id": "cq-inline", "from": fake.user(user), "chat_instance": "ci", "inline_message_id": "im1"}
    fake.raw({"callback_query": {**inline, "data": "p:/greet"}})
    barrier(fake)
    assert not [s for s in fake.sent if s.chat_id in (channel["id"], user)], "nothing is sent to them"
    assert ("answerCallbackQuery", "cq-inline") in [(m, p.get("callback_query_id")) for m, p in fake.calls]
    assert "Traceback" not in bot_log() and "Error while handling" not in bot_log()


def test_forged_buttons_and_hidden_slashes_never_reach_rasas_built_in_intents(fake_telegram, bot_log) -> None:
    fake, user = fake_telegram, new_user()
    [answer] = say(fake, user, SUMMONS_QUESTIONS["ru"])
    calls, mark = len(fake.calls), fake.mark()
    fake.press(user, answer, {"callback_data": "p:/restart"})
    fake.wait_for(lambda: any(m == "answerCallbackQuery" and p.get("text") for m, p in fake.calls[calls:]))
    [(_, refusal)] = [(m, p) for m, p in fake.calls[calls:] if m == "answerCallbackQuery"]
    assert refusal["text"] == ui("ru", "This button is out of date. Send /topics to see the topics.")
    barrier(fake)
    assert fake.messages_to(user, mark) == [], "a forged button sends nothing to Rasa"

    [reply] = say(fake, user, "\u200b/restart")  # as text, "restart": understood or declined, never silence
    apology = ui("ru", "Sorry, the assistant is not available right now. Please try again in a few minutes.")
    assert reply.text and not reply.text.startswith(apology)
    assert "Traceback" not in bot_log()


def test_a_text_that_is_not_a_string_gets_the_polite_reply(fake_telegram, bot_log) -> None:
    fake, user = fake_telegram, new_user()
    mark = fake.mark()
    chat = {"id": user, "type": "private", "first_name": "Test"}
    fake.raw({"message": {"message_id": 9, "date": 0, "chat": chat, "from": fake.user(user, "ky"), "text": 12345}})
    [reply] = fake.wait_for_messages(user, mark)
    assert reply.text == ui("ky", "Please write your question in words.")
    assert "Traceback" not in bot_log()


def apology_within_five_seconds(fake: FakeBotAPI, user: int, script: str) -> Sent:
    """Ask a question; the apology must come within 5 seconds of the update."""
    mark = fake.mark()
    update = fake.text(user, SUMMONS_QUESTIONS[script], script)
    [apology] = fake.wait_for_messages(user, mark, timeout=10)
    assert apology.at - fake.pushed_at[update["update_id"]] <= 5.0
    assert apology.text.startswith(
        ui(script, "Sorry, the assistant is not available right now. Please try again in a few minutes.")
    )
    return apology


def answered_again_within(fake: FakeBotAPI, user: int, seconds: float) -> float:
    """Ask again until a real answer comes (apologies meanwhile); how long it took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        [reply] = say(fake, user, SUMMONS_QUESTIONS["ky"], "ky", timeout=seconds)
        if reply.text.startswith(answer_start("ky", "summons_received")):
            return time.monotonic() - started
        time.sleep(2)
    raise AssertionError(f"no real answer within {seconds} s")


@pytest.mark.parametrize("server", ["rasa", "actions"])
def test_a_killed_server_gets_an_apology_at_once_and_answers_again_by_itself(
    servers, fake_telegram, telegram_bot, server: str
) -> None:
    """kill -9 of one server: the apology with human help within 5 s (with the action server dead,
    Rasa answers with nothing, which is never silence); supervisord restarts it; answers within 60 s."""
    fake, user = fake_telegram, new_user()
    servers.kill(server)
    apology = apology_within_five_seconds(fake, user, "ky")
    assert answer_start("ky", "hotlines_human_help") in apology.text
    assert answered_again_within(fake, user, 60) < 60
    asyncio.run(servers.wait_until_ready())


def test_no_telegram_id_or_message_text_in_any_log_or_database(fake_telegram, telegram_bot, running_servers) -> None:
    fake, user, marker = fake_telegram, 918273645, "Zyxwvutsrq"
    say(fake, user, f"мне пришла повестка {marker}, что делать?")
    [greeting] = say(fake, user, "/start")
    # Payload-shaped text, zero-width tricks and forged buttons carry the marker too.
    for text in (
        f'/risk_check{{"risk_input": "answer:{marker}"}}',
        f'\u200b/risk_check{{"risk_input": "{marker}"}}',
        f"\u2060/{marker}",
    ):
        say(fake, user, text)
    for data in (f'p:/risk_check{{"risk_input": "answer:{marker}"}}', f"p:/{marker.lower()}", f"h:{marker}"):
        calls = len(fake.calls)
        fake.press(user, greeting, {"callback_data": data})
        fake.wait_for(lambda calls=calls: "answerCallbackQuery" in fake.methods()[calls:])
    barrier(fake)
    files = [
        telegram_bot.log,
        *sorted((running_servers.state_dir / "log").glob("*.log")),
        *sorted(running_servers.state_dir.glob("trackers.db*")),
    ]
    assert any(path.name == "trackers.db" for path in files)
    for path in files:
        content = path.read_bytes()
        assert str(user).encode() not in content, f"Telegram id found in {path.name}"
        assert marker.encode() not in content, f"message text found in {path.name}"
        assert marker.lower().encode() not in content, f"a forged payload found in {path.name}"


@pytest.fixture
def own_fake():
    fake = FakeBotAPI().start()
    yield fake
    fake.stop()


def test_a_bot_killed_mid_batch_answers_every_waiting_message_exactly_once(own_fake, running_servers) -> None:
    """Messages wait at Telegram; kill -9 of the bot while it answers them; started again, it answers
    every message, none twice. The reply to the first message is held (never accepted by Telegram), so
    later ones finish first and Telegram cannot be told of them; after ten replies every reply is held."""
    fake, users = own_fake, [new_user() for _ in range(30)]
    for user in users:
        fake.text(user, SUMMONS_QUESTIONS["ky"], "ky")
    fake.hold("sendMessage", chat_id=users[0])
    bot = start_bot(fake, running_servers, "bot-killed-mid-batch")
    fake.wait_for(lambda: len(fake.messages_to_any()) >= 10, timeout=60)
    fake.hold("sendMessage")
    fake.wait_for(lambda: fake.held >= 2, timeout=30)
    time.sleep(0.3)  # the bot hears that its accepted replies were accepted
    bot.process.kill()
    bot.process.wait()
    fake.drop_held()
    answered_before_the_kill = {sent.chat_id for sent in fake.messages_to_any()}
    assert 10 <= len(answered_before_the_kill) < len(users) and users[0] not in answered_before_the_kill
    bot = start_bot(fake, running_servers, "bot-killed-mid-batch")
    try:
        fake.wait_for(lambda: {sent.chat_id for sent in fake.messages_to_any()} >= set(users), timeout=90)
        time.sleep(3)  # a second answer to anyone would come now
        replies = Counter(sent.chat_id for sent in fake.messages_to_any())
        assert {user: replies[user] for user in users} == dict.fromkeys(users, 1)
        answer = answer_start("ky", "summons_received")
        assert all(sent.text.startswith(answer) for sent in fake.messages_to_any())
    finally:
        bot.stop()


def test_retention_limit_erases_old_conversation_state(own_fake, running_servers) -> None:
    bot = start_bot(own_fake, running_servers, "bot-retention", KENESH_RETENTION_HOURS="0.0005")  # 1.8 s
    try:
        user = new_user()
        say(own_fake, user, SUMMONS_QUESTIONS["tg"], "tg")
        sender = bot.pseudonym(user)
        assert stored_events(running_servers, sender) > 0
        deadline = time.monotonic() + 20
        while stored_events(running_servers, sender) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert stored_events(running_servers, sender) == 0
    finally:
        bot.stop()


def test_webhook_mode_checks_the_secret_token(own_fake, running_servers) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    bot = start_bot(own_fake, running_servers, "bot-webhook", TELEGRAM_WEBHOOK_URL=url, KENESH_WEBHOOK_PORT=str(port))
    try:
        secret = own_fake.webhook["secret_token"]
        assert own_fake.webhook["url"] == url and len(secret) >= 32
        user = new_user()
        update = own_fake.text(user, SUMMONS_QUESTIONS["ru"], queue=False)
        assert httpx.post(url, json=update, headers={SECRET_HEADER: "wrong"}).status_code == 403
        assert httpx.post(url, json=update).status_code == 403
        mark = own_fake.mark()
        assert httpx.post(url, json=update, headers={SECRET_HEADER: secret}).status_code == 200
        [answer] = own_fake.wait_for_messages(user, mark)
        assert answer.text.startswith(answer_start("ru", "summons_received"))
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").json()["status"] == "ok"
    finally:
        bot.stop()


@pytest.fixture
def slow_rasa():
    """An HTTP server on localhost that accepts Rasa's REST requests and answers only after 30 s."""
    import threading

    from aiohttp import web

    loop = asyncio.new_event_loop()
    ready, address = threading.Event(), {}

    async def never_in_time(request: web.Request) -> web.Response:
        await asyncio.sleep(30)
        return web.json_response([])

    def serve() -> None:
        asyncio.set_event_loop(loop)
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", never_in_time)
        runner = web.AppRunner(app)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        address["url"] = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
        ready.set()
        loop.run_forever()

    async def shutdown() -> None:
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        loop.stop()

    threading.Thread(target=serve, daemon=True).start()
    ready.wait(10)
    yield address["url"]
    asyncio.run_coroutine_threadsafe(shutdown(), loop)


def test_a_slow_rasa_gets_an_apology_within_five_seconds(own_fake, running_servers, slow_rasa) -> None:
    import dataclasses

    settings = dataclasses.replace(running_servers, rasa_url=slow_rasa)
    bot = start_bot(own_fake, settings, "bot-slow-rasa")
    try:
        apology_within_five_seconds(own_fake, new_user(), "uz")
    finally:
        bot.stop()
