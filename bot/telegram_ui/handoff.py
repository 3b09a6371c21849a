"""The user's side of the handoff (docs/handoff.md): offer a person, ask consent, open the case,
pass the user's messages to it, and go back to the bot.

A person is offered (a button under the last reply) when the turn's signals from the actions say
so: the human-help topic was answered, a topic whose risk level is high, a second "did you mean"
in a row, or an urgent risk card. Only "Yes, connect me" under the consent opens a case; the desk
then sees the case card (the topics of this conversation, the risk check's levels) and the
messages written from then on, never the chat before. While the case is open, text goes to the
desk, not to Rasa; /bot closes it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.error import BadRequest

from bot.errors import DeskRefused, DeskUnavailable
from bot.knowledge import render
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import RiskLevel
from bot.language.i18n import gettext_for
from bot.rasa_client import Reply, signals
from bot.telegram_ui import radar
from bot.telegram_ui.cases import OpenCase
from bot.telegram_ui.context import KeneshContext, UserState, script_for
from bot.telegram_ui.keyboards import consent_keyboard, offer_button
from bot.telegram_ui.sending import send_text

logger = logging.getLogger(__name__)

ASKED, CLARIFY, URGENT, HIGH_RISK = "asked", "clarify", "urgent", "high_risk"
CLARIFY_TURNS = 2  # "did you mean" this many times in a row: offer a person
CASE_NOT_OPEN = "case_not_open"  # the desk's 404: the case was closed (or is not this user's)


def offer_reason(state: UserState, knowledge: KnowledgeBase, replies: Sequence[Reply]) -> str | None:
    """Note the turn's signals in the user's state; why a person should be offered now, if at all."""
    reasons: set[str] = set()
    clarified = False
    for signal in signals(list(replies)):
        topic = signal.get("topic")
        if isinstance(topic, str) and topic in knowledge.topics:
            state.note_topic(topic)
            if topic == render.HUMAN_HELP_TOPIC:
                reasons.add(ASKED)
            elif knowledge.topic(topic).risk_level is RiskLevel.high:
                reasons.add(HIGH_RISK)
        if signal.get("clarify") is True:
            clarified = True
        risk = signal.get("risk")
        if isinstance(risk, dict):
            urgent = bool(risk.get("urgent"))
            state.risk = {
                "levels": risk.get("levels") or {},
                "deadlines": risk.get("deadlines") or [],
                "urgent": urgent,
            }
            if urgent:
                reasons.add(URGENT)
    state.clarify_turns = state.clarify_turns + 1 if clarified else 0
    if state.clarify_turns >= CLARIFY_TURNS:
        reasons.add(CLARIFY)
        state.clarify_turns = 0
    return next((reason for reason in (URGENT, ASKED, HIGH_RISK, CLARIFY) if reason in reasons), None)


def offer_after(update: Update, context: KeneshContext, replies: Sequence[Reply]) -> InlineKeyboardButton | None:
    """The "Talk to a person" button to put under this turn's last reply, or None."""
    services, state = context.services, context.user_data
    if state is None or update.effective_user is None:
        return None
    reason = offer_reason(state, services.knowledge, replies)
    if reason is None or not services.settings.desk_enabled or open_case_of(update, context) is not None:
        return None
    _ = gettext_for(script_for(update, context))
    return offer_button(_("Talk to a person now"), reason)


def desk_pseudonym(update: Update, context: KeneshContext) -> str:
    return context.services.desk_pseudonym(update.effective_user.id)


def open_case_of(update: Update, context: KeneshContext) -> OpenCase | None:
    return context.services.open_cases.get(desk_pseudonym(update, context))


def consent_text(script: str, organisation: str, retention_days: float) -> str:
    """Who reads, what they see, how long it is kept, how to go back: before anything is shared."""
    _ = gettext_for(script)
    return "\n\n".join(
        [
            _("I can connect you with a person from {organisation}.").format(organisation=organisation),
            _(
                "They will see a short card: the topics you asked about, the result of your risk check "
                "if you did one, and your language. They will see the messages you write from now on. "
                "They will not see our chat before this."
            ),
            _(
                "Your messages are kept while the conversation is open, and {days} days after it ends. "
                "Then they are erased. /forget erases them at once."
            ).format(days=f"{retention_days:g}"),
            _("To go back to the bot, send /bot."),
            _("Connect you with a person?"),
        ]
    )


def no_desk_text(script: str, context: KeneshContext) -> str:
    """Nobody can be reached through the bot now: say so, with the verified human-help contacts."""
    _ = gettext_for(script)
    apology = _("Sorry, I cannot connect you with a person right now. You can contact these people yourself:")
    human_help = render.topic_answer(context.services.knowledge, render.HUMAN_HELP_TOPIC, script).text
    return f"{apology}\n\n{human_help}"


async def show_consent(update: Update, context: KeneshContext, reason: str) -> None:
    """The consent message with "Yes, connect me" / "No", or the case that is already open."""
    script = script_for(update, context)
    _ = gettext_for(script)
    settings = context.services.settings
    if not settings.desk_enabled:
        await send_text(update, context, no_desk_text(script, context))
        return
    case = open_case_of(update, context)
    if case is not None:
        text = _("You are already talking with a person (case {number}). Write here. To go back to the bot, send /bot.")
        await send_text(update, context, text.format(number=case.number))
        return
    text = consent_text(script, settings.organisation_name, settings.case_retention_days)
    await send_text(update, context, text, consent_keyboard(_("Yes, connect me"), _("No"), reason))


def case_card(update: Update, context: KeneshContext, reason: str) -> dict[str, Any]:
    """What the desk gets when a case opens (docs/handoff.md, POST /internal/cases)."""
    state, services = context.user_data, context.services
    risk = state.risk if state is not None else None
    return {
        "pseudonym": desk_pseudonym(update, context),
        "script": script_for(update, context),
        "topics": list(state.topics) if state is not None else [],
        "risk": risk,
        "urgent": reason == URGENT or bool(risk and risk.get("urgent")),
        "reason": reason,
        "reply_address": services.reply_addresses.seal(update.effective_chat.id),
    }


async def connect(update: Update, context: KeneshContext, reason: str) -> None:
    """ "Yes, connect me": open the case (or find the open one) and say how it goes on."""
    _ = gettext_for(script_for(update, context))
    if update.callback_query is not None:
        with contextlib.suppress(BadRequest):  # the consent cannot be pressed twice
            await update.callback_query.edit_message_reply_markup(None)
    try:
        case = await context.services.desk.open_case(case_card(update, context, reason))
    except (DeskUnavailable, DeskRefused) as error:
        logger.warning("Could not open a case (%s)", type(error).__name__)
        await send_text(update, context, no_desk_text(script_for(update, context), context))
        return
    context.services.open_cases.set(desk_pseudonym(update, context), case.number, case.status)
    logger.info("Case %s opened (%s)", case.number, reason)
    topics = context.user_data.topics if context.user_data is not None else []
    radar.count(context, script_for(update, context), [(topics[-1] if topics else "", radar.HANDED_OVER)])
    text = _(
        "Connected. Your case number is {number}. Write your messages here: a person will answer in this chat. "
        "To go back to the bot, send /bot."
    )
    await send_text(update, context, text.format(number=case.number))


async def decline(update: Update, context: KeneshContext) -> None:
    """ "No": nothing is shared; the bot goes on."""
    _ = gettext_for(script_for(update, context))
    with contextlib.suppress(BadRequest):
        await update.callback_query.edit_message_text(_("Fine. Nothing was shared. Ask me your question."))


async def to_case(update: Update, context: KeneshContext, text: str) -> bool:
    """Pass the message to the user's open case; False when there is none (Rasa answers it then)."""
    services = context.services
    pseudonym = desk_pseudonym(update, context)
    case = services.open_cases.get(pseudonym)
    if case is None:
        return False
    message = update.effective_message
    client_id = services.message_keys(f"{message.chat_id}:{message.message_id}")
    _ = gettext_for(script_for(update, context))
    try:
        await services.desk.post_message(case.number, pseudonym, client_id, text)
    except DeskRefused as refused:
        if refused.code == CASE_NOT_OPEN:  # closed at the desk, and the bot has not heard yet
            services.open_cases.drop(pseudonym)
            await send_text(update, context, _("Your conversation with a person has ended. The bot answers again."))
            return False
        logger.warning("The desk refused a message for case %s (%s)", case.number, refused.code)
        await send_text(
            update, context, _("Your message did not reach the person. Please send it again in a few minutes.")
        )
    except DeskUnavailable:
        logger.warning("A message for case %s did not reach the desk", case.number)
        script = script_for(update, context)
        retry = _("Your message did not reach the person. Please send it again in a few minutes.")
        await send_text(update, context, f"{retry}\n\n{no_desk_text(script, context)}")
    return True


async def human(update: Update, context: KeneshContext) -> None:
    """/human: the consent at once."""
    await show_consent(update, context, ASKED)


async def back_to_bot(update: Update, context: KeneshContext) -> None:
    """/bot: close the open case (outcome returned_to_bot); Rasa answers again."""
    services = context.services
    _ = gettext_for(script_for(update, context))
    pseudonym = desk_pseudonym(update, context)
    case = services.open_cases.get(pseudonym)
    if case is None:
        await send_text(update, context, _("You are talking with the bot. Ask me your question."))
        return
    try:
        await services.desk.return_to_bot(case.number, pseudonym)
    except DeskRefused:  # already closed at the desk
        pass
    except DeskUnavailable:
        await send_text(update, context, _("I could not end the conversation now. Please send /bot again in a minute."))
        return
    services.open_cases.drop(pseudonym)
    logger.info("Case %s returned to the bot", case.number)
    await send_text(
        update,
        context,
        _("You are back with the bot. The person will not see your new messages. Ask me your question."),
    )


async def forget_cases(update: Update, context: KeneshContext) -> bool:
    """/forget, at the desk: erase every case of this user; False when the desk could not be reached."""
    services = context.services
    pseudonym = desk_pseudonym(update, context)
    services.open_cases.drop(pseudonym)
    if not services.settings.desk_enabled:
        return True
    try:
        erased = await services.desk.forget(pseudonym)
    except (DeskUnavailable, DeskRefused) as error:
        logger.warning("The desk could not erase a user's cases (%s)", type(error).__name__)
        return False
    logger.info("Erased %d cases at the desk on request", erased)
    return True
