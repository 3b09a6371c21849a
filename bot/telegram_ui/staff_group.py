"""The staff group (KENESH_STAFF_CHAT_ID): a Telegram supergroup with forum topics, one per case.

Outbound, the outbox drain calls `deliver` for the rows meant for the group: make a case's topic
(`topic_open`, named by the desk: case number, language, urgency; never a user's name or id),
post into it (`topic_post`), delete it with all its messages (`topic_delete`). Inbound, a staff
member's text inside a case's topic goes to the desk (`/internal/staff`: thread, the staff
member's Telegram id, message id, text; `/close` too), and the desk decides what it means: only a
member linked to a desk account may answer, and only the case's claimant. Nothing else said in
the group is relayed to anyone. The bot needs the rights can_manage_topics and can_delete_messages.

"Message thread not found" (someone deleted the topic by hand): a post is acknowledged as failed
with reason `thread_not_found`, and the desk queues a new `topic_open` for the case; a delete of
a topic that is already gone counts as done.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, Update
from telegram.error import BadRequest

from bot.errors import DeskRefused, DeskUnavailable
from bot.handoff_client import OutboxItem
from bot.language.i18n import gettext_for
from bot.settings import Settings
from bot.telegram_ui.context import KeneshContext
from bot.telegram_ui.formatting import escape, split_message

logger = logging.getLogger(__name__)

KINDS = ("topic_open", "topic_post", "topic_delete")
STAFF_SCRIPT = "ru"  # the desk's language
TOPIC_NAME_LIMIT = 128  # Telegram's limit for a forum topic's name


def failure_reason(error: BadRequest) -> str | None:
    return "thread_not_found" if "thread not found" in error.message.lower() else None


async def deliver(bot: Bot, settings: Settings, item: OutboxItem) -> dict[str, Any]:
    """Do what a staff-group row says; the acknowledgement (Telegram errors are the caller's to sort)."""
    chat_id = settings.staff_chat_id
    if chat_id is None:
        return {"failed": "no_staff_group"}
    if item.kind == "topic_open":
        topic = await bot.create_forum_topic(chat_id, (item.text or item.case)[:TOPIC_NAME_LIMIT])
        return {"thread_id": topic.message_thread_id}
    if item.thread_id is None:
        return {"failed": "no_thread"}
    if item.kind == "topic_delete":
        try:
            await bot.delete_forum_topic(chat_id, item.thread_id)
        except BadRequest as error:
            if failure_reason(error) is None:
                raise
        return {"thread_id": item.thread_id}
    message_id = 0
    for part in split_message(escape(item.text)) or ["•"]:
        message_id = (await bot.send_message(chat_id, part, message_thread_id=item.thread_id)).message_id
    return {"telegram_message_id": message_id}


def _command_without_bot_name(text: str) -> str:
    """ "/close@kenesh_bot" -> "/close" (Telegram adds the bot's name in groups)."""
    first, _, rest = text.partition(" ")
    if first.startswith("/") and "@" in first:
        first = first.split("@", 1)[0]
    return f"{first} {rest}".strip() if rest else first


async def on_staff_message(update: Update, context: KeneshContext) -> None:
    """A message in the staff group: a text inside a case's topic goes to the desk; the rest is ignored."""
    message = update.message  # an edit is not passed on: the desk has the words as first sent
    sender = update.effective_user
    thread_id = message.message_thread_id if message is not None and message.is_topic_message else None
    if thread_id is None or sender is None or sender.is_bot or not isinstance(message.text, str):
        return
    _ = gettext_for(STAFF_SCRIPT)
    try:
        await context.services.desk.staff_message(
            thread_id, sender.id, message.message_id, _command_without_bot_name(message.text)
        )
    except DeskRefused as refused:
        note = (
            _("Your Telegram account is not linked to a desk account. This message was not sent.")
            if refused.code == "not_linked"
            else _("The desk did not take this message ({reason}). It was not sent.").format(reason=refused.code)
        )
        await message.reply_text(note)
    except DeskUnavailable:
        logger.warning("A staff message could not be passed to the desk: it is not reachable")
        await message.reply_text(_("The desk is not reachable. This message was not sent. Please send it again."))
