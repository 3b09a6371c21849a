"""What handlers can reach: per-user state and the bot's services (PTB's ContextTypes pattern).

UserState lives in memory only (PTB's user_data). It holds the language, the ids of recent
messages in the chat, so /forget can delete them, and what a case card would say (the topics
asked about, the last risk check's levels); it is dropped by /forget and after the retention
limit. A restart loses it: the language then comes from Telegram's language_code until the user
writes or chooses again (Rasa's tracker keeps its own copy for answers).
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.handoff_client import DeskClient
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.render import choose_language_payload
from bot.language.codes import DEFAULT_LANGUAGE, SCRIPTS, from_telegram_code
from bot.language.identifier import LanguageIdentifier
from bot.privacy import ConversationStore, Pseudonymizer, ReplyAddresses
from bot.rasa_client import RasaClient
from bot.risk.answers import every_payload
from bot.risk.live import LiveKnowledge, Served
from bot.settings import Settings
from bot.telegram_ui.cases import OpenCases
from bot.telegram_ui.keyboards import PayloadRegistry
from bot.telegram_ui.throttle import Throttle

DELETABLE_FOR = 47 * 3600  # Telegram lets a bot delete messages younger than 48 hours
RECENT_MESSAGES = 200
RECENT_TOPICS = 20


@dataclass
class UserState:
    script: str | None = None  # the script the user chose, or last wrote in
    chosen: bool = False  # True once the user picked a language with a button
    last_seen: float = field(default_factory=time.time)
    recent_messages: deque[tuple[int, float]] = field(default_factory=lambda: deque(maxlen=RECENT_MESSAGES))
    topics: list[str] = field(default_factory=list)  # intents answered in this conversation, oldest first
    risk: dict[str, Any] | None = None  # the last risk card's levels, deadlines and urgency
    clarify_turns: int = 0  # "did you mean" turns in a row

    def note_topic(self, topic_id: str) -> None:
        if topic_id in self.topics:
            self.topics.remove(topic_id)
        self.topics = [*self.topics, topic_id][-RECENT_TOPICS:]

    def remember_message(self, message_id: int) -> None:
        self.recent_messages.append((message_id, time.time()))

    def deletable_messages(self) -> list[int]:
        cutoff = time.time() - DELETABLE_FOR
        return [message_id for message_id, sent in self.recent_messages if sent > cutoff]


@dataclass
class Services:
    """Everything the handlers share; built once in post_init. The knowledge base is the live one
    (bot.risk.live), and so are the intents and payloads the buttons may carry."""

    settings: Settings
    live: LiveKnowledge
    rasa: RasaClient
    pseudonym: Pseudonymizer
    conversations: ConversationStore
    throttle: Throttle
    language_model: LanguageIdentifier | None  # None: detection by rules only
    registry: PayloadRegistry  # the intents buttons may carry, and long payloads: read `payloads`
    desk: DeskClient  # the desk's /internal/ API (docs/handoff.md)
    desk_pseudonym: Pseudonymizer  # the desk's namespace: not Rasa's sender id
    reply_addresses: ReplyAddresses
    message_keys: Pseudonymizer  # "chat:message" -> the client_id that makes posting to a case idempotent
    open_cases: OpenCases = field(default_factory=OpenCases)
    _issued_from: Served | None = field(
        default=None, init=False, repr=False
    )  # the version the registry's intents and payloads were taken from

    @property
    def knowledge(self) -> KnowledgeBase:
        return self.live.current().knowledge

    @property
    def payloads(self) -> PayloadRegistry:
        """The registry, with the intents and payloads of the knowledge served now."""
        served = self.live.current()
        if served is not self._issued_from:
            self.registry.allow(*issued(served))
            self._issued_from = served
        return self.registry


def issued(served: Served) -> tuple[list[str], set[str]]:
    """What the bot's buttons may carry to Rasa: each knowledge-base entry is an intent; the language
    buttons and the risk check's buttons carry entities, listed whole."""
    languages = {choose_language_payload(script) for script in SCRIPTS}
    return [*served.knowledge.topics, *served.knowledge.meta], languages | every_payload(served.rules)


class KeneshContext(CallbackContext[ExtBot, UserState, dict, dict]):
    """CallbackContext with typed access to the services (user_data is a UserState)."""

    @property
    def services(self) -> Services:
        return self.bot_data["services"]


def script_for(update: object, context: KeneshContext) -> str:
    """The script for the bot's own words: the user's choice or last language, else Telegram's setting."""
    if context.user_data is not None and context.user_data.script:
        return context.user_data.script
    user = update.effective_user if isinstance(update, Update) else None
    return from_telegram_code(user.language_code if user else None) or DEFAULT_LANGUAGE


def services_of(application: Application) -> Services:
    return application.bot_data["services"]
