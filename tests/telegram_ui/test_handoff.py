"""The bot's side of the handoff (docs/handoff.md), with the real handlers in-process, the fake
Bot API, and stand-ins for Rasa and the desk (handoff_fakes.py): when a person is offered, what
the consent says, the case card, messages going to the case and not to Rasa, /bot, /forget, the
outbox drain (sent once, acknowledged with the message id, failed for a blocked user) and the
staff group's topics."""

from __future__ import annotations

import html
import itertools
import logging
import os
import shutil
from pathlib import Path

import pytest
import pytest_asyncio
from handoff_fakes import LINKED_STAFF, SECRET, STAFF_GROUP, FakeRasa, Harness, clarify_reply, topic_reply

from bot.knowledge import render
from bot.language.codes import LANGUAGES
from bot.language.i18n import gettext_for
from bot.privacy import Pseudonymizer, ReplyAddresses
from bot.settings import REPO_ROOT, Settings
from bot.telegram_ui import radar
from bot.telegram_ui.handoff import consent_text

KEY = "k" * 32
_users = itertools.count(700_001)  # the fake Bot API is shared by the session: each test its own users
STICKER = {
    "sticker": {
        "file_id": "f1",
        "file_unique_id": "u1",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
}


def answers(text: str) -> list[dict]:
    """What the Rasa stand-in says to each message."""
    if text.startswith("эээ"):
        return clarify_reply()
    if text == "/hotlines_human_help" or "человек" in text:
        return topic_reply("hotlines_human_help", "Горячие линии.")
    if "погода" in text:
        return [{"text": "Об этом я не знаю."}, {"custom": {"kenesh": {"declined": True}}}]
    if "приватность" in text:
        return topic_reply("bot_privacy")  # risk_level: low
    if "арест" in text:
        risk = {"levels": {"ru": "high"}, "deadlines": [{"id": "appeal", "date": "2026-12-10"}], "urgent": True}
        return [{"text": "Срочно."}, {"text": "Итог.", "buttons": []}, {"custom": {"kenesh": {"risk": risk}}}]
    return topic_reply("summons_received")  # risk_level: high


def settings_for(tmp_path: Path, fake_telegram, **changes) -> Settings:
    return Settings(
        state_dir=tmp_path / "state",
        model_path=tmp_path / "no-model" / "kenesh.tar.gz",  # no language model: rules only
        telegram_token=fake_telegram.token,
        telegram_api_base_url=fake_telegram.base_url,
        pseudonym_key=KEY,
        desk_internal_secret=SECRET,
        organisation_name="Hotline Test",
        case_retention_days=7,
        staff_chat_id=STAFF_GROUP,
        **changes,
    )


@pytest_asyncio.fixture(loop_scope="function")  # the test's own loop: the bot's clients live in it
async def bot(fake_telegram, tmp_path):
    harness = await Harness(fake_telegram, settings_for(tmp_path, fake_telegram), FakeRasa(answers)).start()
    yield harness
    await harness.stop()


def callbacks(sent) -> list[str]:
    return [button["callback_data"] for button in sent.buttons]


def desk_pseudonym(user: int) -> str:
    return Pseudonymizer(KEY.encode(), namespace="desk")(user)


async def open_case(bot: Harness, user: int) -> str:
    mark = bot.fake.mark()
    await bot.say(user, "/human")
    await bot.press(user, gettext_for("ru")("Yes, connect me"), mark)
    return bot.desk.open_case_of(desk_pseudonym(user))


# ---- the consent -------------------------------------------------------------------------------


@pytest.mark.parametrize("script", LANGUAGES)
def test_the_consent_names_who_reads_how_long_and_the_way_back_in_every_language(script: str) -> None:
    text = consent_text(script, "Hotline Test", 7)
    assert "Hotline Test" in text and "7" in text and "/bot" in text and "/forget" in text
    assert text != consent_text("en", "Hotline Test", 7), f"{script}: the consent is not translated"


# ---- when a person is offered ------------------------------------------------------------------


async def test_a_second_did_you_mean_in_a_row_offers_a_person(bot: Harness) -> None:
    user = next(_users)
    mark = bot.fake.mark()
    await bot.say(user, "эээ что-то")
    first = bot.fake.messages_to(user, mark)[-1]
    assert not any(data.startswith("c:") for data in callbacks(first))
    mark = bot.fake.mark()
    await bot.say(user, "эээ опять")
    second = bot.fake.messages_to(user, mark)[-1]
    assert callbacks(second)[-1] == "c:offer.clarify"
    assert gettext_for("ru")("Talk to a person now") in second.buttons[-1]["text"]


async def test_an_answer_between_two_did_you_means_resets_the_count(bot: Harness) -> None:
    user = next(_users)
    for text in ("эээ раз", "приватность", "эээ два"):
        mark = bot.fake.mark()
        await bot.say(user, text)
    assert "c:offer.clarify" not in callbacks(bot.fake.messages_to(user, mark)[-1])


async def test_a_high_risk_topic_offers_a_person_and_a_low_risk_one_does_not(bot: Harness) -> None:
    user = next(_users)
    mark = bot.fake.mark()
    await bot.say(user, "приватность")
    assert not any(data.startswith("c:") for data in callbacks(bot.fake.messages_to(user, mark)[-1]))
    mark = bot.fake.mark()
    await bot.say(user, "пришла повестка")
    answer = bot.fake.messages_to(user, mark)[-1]
    assert callbacks(answer) == ["p:/ask_more", "c:offer.high_risk"]  # under the answer, not a message of its own


async def test_a_risk_level_raised_on_disk_offers_a_person_without_a_restart(fake_telegram, tmp_path) -> None:
    """The bot's services read the live knowledge (bot.risk.live), not a copy taken at start."""
    knowledge = shutil.copytree(REPO_ROOT / "knowledge", tmp_path / "knowledge")
    settings = settings_for(tmp_path, fake_telegram, knowledge_dir=knowledge)
    bot = await Harness(fake_telegram, settings, FakeRasa(answers)).start()
    try:
        user = next(_users)
        mark = bot.fake.mark()
        await bot.say(user, "приватность")
        assert "c:offer.high_risk" not in callbacks(bot.fake.messages_to(user, mark)[-1])
        path = knowledge / "topics" / "bot_privacy.yaml"
        temporary = path.with_name("bot_privacy.yaml.tmp")
        temporary.write_text(path.read_text(encoding="utf-8").replace("risk_level: low", "risk_level: high", 1))
        os.replace(temporary, path)  # as the publisher writes
        bot.services.live.check(), bot.services.live.check()  # as its watcher does: see it, read it once settled
        mark = bot.fake.mark()
        await bot.say(user, "приватность")
        assert "c:offer.high_risk" in callbacks(bot.fake.messages_to(user, mark)[-1])
    finally:
        bot.services.live.stop()
        await bot.stop()


async def test_the_human_help_topic_and_an_urgent_risk_card_offer_a_person(bot: Harness) -> None:
    user = next(_users)
    mark = bot.fake.mark()
    await bot.say(user, "хочу поговорить с человеком")
    assert callbacks(bot.fake.messages_to(user, mark)[-1])[-1] == "c:offer.asked"
    mark = bot.fake.mark()
    await bot.say(user, "меня задержали, арест")
    card = bot.fake.messages_to(user, mark)
    assert [s.text for s in card] == ["Срочно.", "Итог."]  # the signal itself is never shown
    assert callbacks(card[-1]) == ["c:offer.urgent"]


# ---- consent, the case card, messages while a case is open -------------------------------------


async def test_yes_opens_a_case_with_the_card_and_messages_then_go_to_the_desk_not_rasa(bot: Harness) -> None:
    user = next(_users)
    await bot.say(user, "пришла повестка")
    await bot.say(user, "меня задержали, арест")
    mark = bot.fake.mark()
    await bot.press(user, gettext_for("ru")("Talk to a person now"))
    [consent] = bot.fake.messages_to(user, mark)
    assert "Hotline Test" in consent.text and callbacks(consent) == ["c:yes.urgent", "c:no"]
    assert bot.desk.cases == {}, "nothing is shared before Yes"

    await bot.press(user, gettext_for("ru")("Yes, connect me"), mark)
    [(number, case)] = bot.desk.cases.items()
    card = case["card"]
    assert card["pseudonym"] == desk_pseudonym(user) != bot.services.pseudonym(user)  # not Rasa's sender id
    assert card["topics"] == ["summons_received"] and card["reason"] == "urgent" and card["urgent"] is True
    assert card["risk"]["levels"] == {"ru": "high"} and card["risk"]["deadlines"][0]["id"] == "appeal"
    assert card["script"] == "ru" and str(user) not in str(card)
    assert ReplyAddresses(KEY.encode()).open(card["reply_address"]) == user
    assert number in bot.fake.messages_to(user, mark)[-1].text

    rasa_before = len(bot.rasa.texts)
    await bot.say(user, "мне нужна помощь, что делать")
    assert [m["text"] for m in case["messages"]] == ["мне нужна помощь, что делать"]
    assert len(bot.rasa.texts) == rasa_before, "Rasa never sees a message meant for the person"

    mark = bot.fake.mark()
    await bot.handle(bot.fake.message(user, queue=False, **STICKER))
    assert len(case["messages"]) == 1 and bot.fake.messages_to(user, mark)  # the polite reply, nothing relayed


async def test_the_same_telegram_message_reaches_the_case_once(bot: Harness) -> None:
    user = next(_users)
    number = await open_case(bot, user)
    update = await bot.say(user, "первое сообщение")
    await bot.handle(update)  # Telegram sends it again (a restart before it was confirmed)
    bodies = [body for m, path, body in bot.desk.requests if path == f"/cases/{number}/messages"]
    assert len(bodies) == 2 and bodies[0]["client_id"] == bodies[1]["client_id"]
    assert len(bot.desk.cases[number]["messages"]) == 1


async def test_no_shares_nothing_and_rasa_keeps_answering(bot: Harness) -> None:
    user = next(_users)
    mark = bot.fake.mark()
    await bot.say(user, "/human")
    await bot.press(user, gettext_for("ru")("No"), mark)
    assert bot.desk.cases == {}
    await bot.say(user, "пришла повестка")
    assert bot.rasa.texts[-1] == "пришла повестка"


async def test_a_desk_that_is_down_gets_an_apology_with_the_contacts(bot: Harness) -> None:
    user = next(_users)
    bot.desk.down = True
    mark = bot.fake.mark()
    await bot.say(user, "/human")
    await bot.press(user, gettext_for("ru")("Yes, connect me"), mark)
    apology = html.unescape("\n\n".join(s.text for s in bot.fake.messages_to(user, mark)[1:]))
    sorry = gettext_for("ru")(
        "Sorry, I cannot connect you with a person right now. You can contact these people yourself:"
    )
    assert apology.startswith(sorry)
    assert render.topic_answer(bot.services.knowledge, render.HUMAN_HELP_TOPIC, "ru").text in apology
    assert bot.services.open_cases.get(desk_pseudonym(user)) is None


async def test_bot_command_closes_the_case_and_rasa_answers_again(bot: Harness) -> None:
    user = next(_users)
    number = await open_case(bot, user)
    mark = bot.fake.mark()
    await bot.say(user, "/bot")
    assert ("POST", f"/cases/{number}/return") in [(m, p) for m, p, _ in bot.desk.requests]
    assert bot.desk.cases[number]["status"] == "closed"
    assert "/bot" not in bot.fake.messages_to(user, mark)[-1].text  # "You are back with the bot…"
    await bot.say(user, "пришла повестка")
    assert bot.rasa.texts[-1] == "пришла повестка"


async def test_a_case_closed_at_the_desk_sends_the_next_message_to_rasa(bot: Harness) -> None:
    user = next(_users)
    number = await open_case(bot, user)
    bot.desk.cases[number]["status"] = "closed"  # the bot has not polled since
    await bot.say(user, "пришла повестка")
    assert bot.rasa.texts[-1] == "пришла повестка"


async def test_a_message_the_desk_refuses_for_another_reason_keeps_the_case_and_tells_the_user(bot: Harness) -> None:
    user = next(_users)
    number = await open_case(bot, user)
    bot.desk.refusals["/messages"] = (400, "text_too_long")
    mark = bot.fake.mark()
    await bot.say(user, "очень длинный текст")
    [told] = bot.fake.messages_to(user, mark)
    assert told.text == gettext_for("ru")(
        "Your message did not reach the person. Please send it again in a few minutes."
    )
    assert bot.services.open_cases.get(desk_pseudonym(user)).number == number and "очень" not in bot.rasa.texts


async def test_forget_erases_the_users_cases_at_the_desk(bot: Harness) -> None:
    user = next(_users)
    await open_case(bot, user)
    mark = bot.fake.mark()
    await bot.say(user, "/forget")
    await bot.press(user, gettext_for("ru")("Yes, erase"), mark)
    assert ("POST", "/forget", {"pseudonym": desk_pseudonym(user)}) in bot.desk.requests
    assert bot.desk.cases == {}


# ---- the outbox drain --------------------------------------------------------------------------


async def test_outbox_rows_are_sent_once_and_acknowledged_with_the_message_id(bot: Harness) -> None:
    user = next(_users)
    number = await open_case(bot, user)
    address = bot.desk.cases[number]["card"]["reply_address"]
    rows = [
        bot.desk.queue("claimed", number, reply_address=address),
        bot.desk.queue("reply", number, reply_address=address, text="Здравствуйте, <b>я</b> юрист."),
        bot.desk.queue("waiting", number, reply_address=address),
    ]
    mark = bot.fake.mark()
    await bot.drain.round()
    await bot.drain.round()
    sent = bot.fake.messages_to(user, mark)
    assert len(sent) == 3
    assert sent[1].text == "Здравствуйте, &lt;b&gt;я&lt;/b&gt; юрист."  # as typed, escaped
    assert {bot.desk.acks[row]["telegram_message_id"] for row in rows} == {s.message_id for s in sent}
    assert bot.services.open_cases.get(desk_pseudonym(user)).number == number

    closed = bot.desk.queue("closed", number, reply_address=address)
    bot.desk.cases[number]["status"] = "closed"
    await bot.drain.round()
    assert bot.desk.acks[closed]["telegram_message_id"] == bot.fake.messages_to(user, mark)[-1].message_id
    assert bot.services.open_cases.get(desk_pseudonym(user)) is None


async def test_a_row_sent_but_not_acknowledged_is_acknowledged_later_not_sent_again(bot: Harness) -> None:
    user = next(_users)
    number = await open_case(bot, user)
    address = bot.desk.cases[number]["card"]["reply_address"]
    row = bot.desk.queue("reply", number, reply_address=address, text="Ответ.")
    bot.desk.ack_down = True
    mark = bot.fake.mark()
    await bot.drain.round()
    assert row not in bot.desk.acks
    bot.desk.ack_down = False
    await bot.drain.round()
    [sent] = bot.fake.messages_to(user, mark)
    assert bot.desk.acks[row] == {"telegram_message_id": sent.message_id}


async def test_a_user_who_blocked_the_bot_is_acknowledged_as_failed(bot: Harness) -> None:
    user = next(_users)
    number = await open_case(bot, user)
    row = bot.desk.queue("reply", number, reply_address=bot.desk.cases[number]["card"]["reply_address"], text="x")
    bot.fake.blocked.add(user)
    try:
        await bot.drain.round()
    finally:
        bot.fake.blocked.discard(user)
    assert bot.desk.acks[row] == {"failed": "blocked"}


async def test_a_desk_that_is_down_is_retried_quietly(bot: Harness, caplog) -> None:
    bot.desk.down = True
    with caplog.at_level(logging.INFO, logger="bot.telegram_ui.outbox"):
        for _ in range(3):
            await bot.drain.round()
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
    bot.desk.down = False
    await bot.drain.round()
    assert not bot.drain.desk_down


async def test_a_reply_address_from_another_key_is_acknowledged_as_failed(bot: Harness) -> None:
    row = bot.desk.queue("reply", "K99", reply_address=ReplyAddresses(b"o" * 32).seal(1), text="x")
    await bot.drain.round()
    assert bot.desk.acks[row] == {"failed": "bad_reply_address"}


# ---- the staff group ---------------------------------------------------------------------------


async def test_a_case_topic_is_made_posted_in_and_deleted(bot: Harness) -> None:
    opened = bot.desk.queue("topic_open", "K1", text="K1 · ky · urgent")
    await bot.drain.round()
    thread = bot.desk.acks[opened]["thread_id"]
    assert bot.fake.topics[STAFF_GROUP][thread] == "K1 · ky · urgent"

    posted = bot.desk.queue("topic_post", "K1", thread_id=thread, text="Новое сообщение <i>x</i>")
    mark = bot.fake.mark()
    await bot.drain.round()
    [message] = bot.fake.messages_to(STAFF_GROUP, mark)
    assert message.thread_id == thread and message.text == "Новое сообщение &lt;i&gt;x&lt;/i&gt;"
    assert bot.desk.acks[posted] == {"telegram_message_id": message.message_id}

    deleted = bot.desk.queue("topic_delete", "K1", thread_id=thread)
    await bot.drain.round()
    assert thread not in bot.fake.topics[STAFF_GROUP] and deleted in bot.desk.acks


async def test_a_post_into_a_topic_that_is_gone_is_acknowledged_as_thread_not_found(bot: Harness) -> None:
    row = bot.desk.queue("topic_post", "K1", thread_id=5555, text="x")
    bot.fake.fail_next("sendMessage", 400, description="Bad Request: message thread not found")
    await bot.drain.round()
    assert bot.desk.acks[row] == {"failed": "thread_not_found"}


async def test_staff_text_in_a_case_topic_goes_to_the_desk_and_nothing_else_is_relayed(bot: Harness) -> None:
    update = bot.fake.topic_text(LINKED_STAFF, STAFF_GROUP, 1001, "/close@kenesh_test_bot", queue=False)
    await bot.handle(update)
    message_id = update["message"]["message_id"]
    staff = [body for _, path, body in bot.desk.requests if path == "/staff"]
    assert staff == [{"thread_id": 1001, "staff_telegram_id": LINKED_STAFF, "message_id": message_id, "text": "/close"}]

    mark = bot.fake.mark()
    outside = bot.fake.message(LINKED_STAFF, chat={"id": STAFF_GROUP, "type": "supergroup"}, queue=False, text="hi")
    await bot.handle(outside)  # the group's general chat: not a case
    assert len([p for p in bot.desk.paths() if p == "/staff"]) == 1
    assert bot.fake.messages_to(STAFF_GROUP, mark) == [], "no 'write to me privately' in the staff group"


async def test_a_group_member_without_a_desk_account_is_told_in_the_topic(bot: Harness) -> None:
    mark = bot.fake.mark()
    await bot.handle(bot.fake.topic_text(999_111, STAFF_GROUP, 1001, "я отвечу", queue=False))
    [note] = bot.fake.messages_to(STAFF_GROUP, mark)
    assert note.thread_id == 1001 and "я отвечу" not in note.text


# ---- privacy -----------------------------------------------------------------------------------


async def test_the_handoff_logs_no_message_text_and_no_telegram_id(bot: Harness, caplog) -> None:
    user = next(_users)
    with caplog.at_level(logging.DEBUG):
        number = await open_case(bot, user)
        await bot.say(user, "секретный текст Zyxwvu")
        bot.desk.down = True
        await bot.say(user, "ещё один Zyxwvu")
        bot.desk.down = False
        row = bot.desk.queue("reply", number, reply_address=bot.desk.cases[number]["card"]["reply_address"], text="Qwe")
        await bot.drain.round()
        await bot.say(user, "/bot")
    assert row in bot.desk.acks
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot."))  # ours, not PTB's debug
    assert "Case K" in logged  # the handoff does log, by case number
    assert "Zyxwvu" not in logged and "Qwe" not in logged and str(user) not in logged


async def test_the_retention_round_asks_the_desk_to_erase_old_case_messages(bot: Harness) -> None:
    from bot.telegram_ui.app import enforce_retention

    await enforce_retention(bot.application)
    assert "/retention" in bot.desk.paths("POST")


async def test_an_edit_in_the_staff_group_is_neither_relayed_nor_answered(bot: Harness) -> None:
    mark = bot.fake.mark()
    chat = {"id": STAFF_GROUP, "type": "supergroup", "title": "Staff", "is_forum": True}
    edit = bot.fake.message(
        LINKED_STAFF, chat=chat, kind="edited_message", queue=False, text="исправил", message_thread_id=1001
    )
    await bot.handle(edit)
    assert "/staff" not in bot.desk.paths() and bot.fake.messages_to(STAFF_GROUP, mark) == []


async def test_post_init_starts_the_drain_and_the_menus_name_human_and_bot(fake_telegram, tmp_path) -> None:
    import asyncio

    from bot.telegram_ui.app import build_application, post_init, post_shutdown

    settings = settings_for(tmp_path, fake_telegram, desk_url="http://127.0.0.1:9")  # no desk listens there
    application = build_application(settings)
    await application.initialize()
    calls = len(fake_telegram.calls)
    await post_init(application)
    drain = application.bot_data["outbox"]
    await asyncio.sleep(0.2)
    assert not drain.done(), "a desk that does not answer does not stop the drain"
    await post_shutdown(application)
    await application.shutdown()
    assert drain.cancelled()
    menus = [params["commands"] for method, params in fake_telegram.calls[calls:] if method == "setMyCommands"]
    assert menus and all({"human", "bot"} <= {c["command"] for c in menu} for menu in menus)


# ---- the radar's counts ------------------------------------------------------------------------


async def test_each_turn_is_counted_for_the_radar_by_topic_language_and_outcome(bot: Harness) -> None:
    user = next(_users)
    await bot.say(user, "пришла повестка")
    await bot.say(user, "эээ непонятно")
    await bot.say(user, "какая погода")
    await bot.say(user, "меня задержали, арест")
    await open_case(bot, user)
    await radar.settled()
    assert bot.desk.counts == [
        ("summons_received", "ru", "answered"),
        ("", "ru", "clarified"),
        ("", "ru", "declined"),
        ("", "ru", "risk_check_finished"),
        ("summons_received", "ru", "handed_over"),  # the last topic of the conversation
    ]
    assert all(str(user) not in repr(body) for _, path, body in bot.desk.requests if path == "/counts")


async def test_a_desk_that_is_down_loses_the_count_but_not_the_answer(bot: Harness) -> None:
    user = next(_users)
    bot.desk.down = True
    mark = bot.fake.mark()
    await bot.say(user, "пришла повестка")
    await radar.settled()
    assert bot.fake.messages_to(user, mark) and bot.desk.counts == []
