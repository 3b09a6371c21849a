"""The outbox drain: what the desk has to say (staff replies, notices, staff-group topics) reaches
Telegram, once.

Twice a second the drain asks the desk for its outbox, sends each row, and acknowledges it with
the Telegram message id (or the new topic's thread id). A row is acknowledged only after Telegram
took it; one Telegram will never take (the user blocked the bot, the chat is gone) is acknowledged
as failed. If the desk is down, the drain tries again quietly (one log line). A row sent whose
acknowledgement did not reach the desk is acknowledged on the next round without being sent again.
The user's texts are rendered here, in the case's script; the staff member's words are sent as typed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import Application

from bot.errors import DeskRefused, DeskUnavailable
from bot.handoff_client import OutboxItem
from bot.knowledge import render
from bot.language.codes import DEFAULT_LANGUAGE, SCRIPTS
from bot.language.i18n import gettext_for
from bot.telegram_ui import staff_group
from bot.telegram_ui.context import Services, services_of
from bot.telegram_ui.formatting import escape, split_message

logger = logging.getLogger(__name__)

POLL_EVERY = 0.5  # seconds
USER_KINDS = ("reply", "claimed", "waiting", "closed")
PERMANENT = {"chat not found": "chat_not_found", "user is deactivated": "user_deactivated"}


def user_text(item: OutboxItem, services: Services) -> str:
    """The text a user gets for a row, in the case's script."""
    script = item.script if item.script in SCRIPTS else DEFAULT_LANGUAGE
    _ = gettext_for(script)
    if item.kind == "reply":
        return item.text
    if item.kind == "claimed":
        return _("A person is reading your messages now. Write here. To go back to the bot, send /bot.")
    if item.kind == "waiting":
        human_help = render.topic_answer(services.knowledge, render.HUMAN_HELP_TOPIC, script).text
        nobody = _(
            "Nobody can answer you right now. Your case stays in the queue: a person will write here later. "
            "If it is urgent, contact these people:"
        )
        return f"{nobody}\n\n{human_help}"
    return _("The person has ended this conversation. The bot answers your questions again.")


class OutboxDrain:
    """One per bot: `run()` is the task post_init starts; `round()` is one poll."""

    def __init__(self, application: Application) -> None:
        self.application = application
        self.acks_owed: dict[int, dict[str, Any]] = {}  # row id -> the ack Telegram's answer earned
        self.desk_down = False

    @property
    def services(self) -> Services:
        return services_of(self.application)

    async def run(self) -> None:
        while True:
            try:
                await self.round()
            except Exception:  # noqa: BLE001 - a fault of ours: keep draining; the error is logged
                logger.exception("Outbox round failed")
            await asyncio.sleep(POLL_EVERY)

    async def round(self) -> None:
        """Poll once, send every row, acknowledge each one Telegram took or refused for good."""
        desk, started = self.services.desk, time.monotonic()
        try:
            outbox = await desk.outbox()
        except (DeskUnavailable, DeskRefused) as error:
            if not self.desk_down:
                logger.warning("The desk's outbox cannot be read (%s); trying again quietly", type(error).__name__)
            self.desk_down = True
            return
        if self.desk_down:
            logger.info("The desk's outbox can be read again")
            self.desk_down = False
        self.services.open_cases.refresh(outbox.open, started)
        for item in outbox.items:
            ack = self.acks_owed.get(item.id) or await self.deliver(item)
            if ack is None:  # Telegram did not take it this time: next round
                continue
            self.acks_owed[item.id] = ack
            try:
                await desk.acknowledge(item.id, **ack)
            except DeskUnavailable:
                return  # owed: acknowledged next round, never sent again
            except DeskRefused as refused:
                logger.warning("The desk refused the acknowledgement of outbox row %d (%s)", item.id, refused.code)
            self.acks_owed.pop(item.id, None)

    async def deliver(self, item: OutboxItem) -> dict[str, Any] | None:
        """Send one row; the acknowledgement it earned, or None to try again next round."""
        try:
            if item.kind in USER_KINDS:
                return {"telegram_message_id": await self.to_user(item)}
            if item.kind in staff_group.KINDS:
                return await staff_group.deliver(self.application.bot, self.services.settings, item)
            logger.warning("Outbox row %d has a kind the bot does not know", item.id)
            return {"failed": "unknown_kind"}
        except ValueError:  # the reply address was not sealed by this bot (another key, damaged)
            logger.warning("Outbox row %d has a reply address this bot cannot open", item.id)
            return {"failed": "bad_reply_address"}
        except Forbidden:
            logger.info("Outbox row %d not delivered: the user blocked the bot", item.id)
            return {"failed": "blocked"}
        except ChatMigrated:
            logger.error("The staff group became a supergroup with a new id: set KENESH_STAFF_CHAT_ID to it")
            return {"failed": "chat_migrated"}
        except BadRequest as error:
            reason = staff_group.failure_reason(error) or next(
                (code for words, code in PERMANENT.items() if words in error.message.lower()), "bad_request"
            )
            logger.warning("Outbox row %d refused by Telegram for good (%s)", item.id, reason)
            return {"failed": reason}
        except TelegramError as error:  # 429 after the retries, 5xx, time-outs: not this row's fault
            logger.info("Outbox row %d not taken by Telegram now (%s); next round", item.id, type(error).__name__)
            return None

    async def to_user(self, item: OutboxItem) -> int:
        """Send the row's text to the user's chat; the id of its last message."""
        services = self.services
        chat_id = services.reply_addresses.open(item.reply_address or "")
        parts = split_message(escape(user_text(item, services))) or ["•"]
        message_id = 0
        for part in parts:
            message_id = (await self.application.bot.send_message(chat_id, part)).message_id
            state = self.application.user_data.get(chat_id)  # a private chat's id is the user's
            if state is not None:
                state.remember_message(message_id)
        if item.kind == "closed":
            services.open_cases.drop_case(item.case)
        return message_id
