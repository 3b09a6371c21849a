"""Inline keyboards: Rasa's buttons, the language choice and the /forget confirmation.

callback_data is at most 64 bytes, so it carries a one-letter kind and a short value:
    p:<Rasa payload>   send this payload to Rasa ("p:/summons_received")
    h:<digest>         a Rasa payload too long for 64 bytes, kept in a PayloadRegistry
    l:<script>         the language chosen ("l:uz_Cyrl")
    f:yes / f:no       the answer to "erase everything?"
    c:offer.<reason>   "Talk to a person" under an answer: show the consent (reason: why it was offered)
    c:yes.<reason>     "Yes, connect me": open a case;  c:no: stay with the bot

Short payloads travel in the button itself, so a forged button can carry any text. Only payloads
Kenesh issues reach Rasa (`is_issued`): `/intent` for one of its own intents (never Rasa's built-in
restart, back or session_start), or one of the payloads with entities its buttons carry (a
language, a risk-check answer), given whole to the registry.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.language.codes import NATIVE_NAMES

CALLBACK_LIMIT = 64  # bytes, Telegram's limit for callback_data
PAYLOAD, LONG_PAYLOAD, LANGUAGE, FORGET, HANDOFF = "p", "h", "l", "f", "c"
HANDOFF_REASONS = ("asked", "clarify", "urgent", "high_risk")  # docs/handoff.md: the case's `reason`
CHECK = "✓ "
RASA_BUILT_IN_INTENTS = frozenset({"restart", "back", "session_start", "nlu_fallback"})
_INTENT = re.compile(r"^/(?P<intent>[a-z][a-z0-9_]{0,63})$")


def is_issued(payload: str, registry: PayloadRegistry) -> bool:
    """True for a payload Kenesh's buttons carry: `/intent` with one of its intents, or one of its
    payloads with entities; never anything with text a person could have put in."""
    if payload in registry.payloads:
        return True
    shape = _INTENT.match(payload)
    return shape is not None and shape["intent"] in registry.intents


class PayloadRegistry:
    """The intents the bot's buttons may carry, and the most recent payloads too long for
    callback_data (in memory only)."""

    def __init__(self, intents: Iterable[str] = (), payloads: Iterable[str] = (), size: int = 10_000) -> None:
        self.allow(intents, payloads)
        self.size = size
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def allow(self, intents: Iterable[str], payloads: Iterable[str]) -> None:
        """Set what buttons may carry (again when the knowledge changes; long payloads are kept)."""
        self.intents = frozenset(intents) - RASA_BUILT_IN_INTENTS  # `/intent` alone
        self.payloads = frozenset(payloads)  # payloads with entities, whole

    def remember(self, payload: str) -> str:
        digest = hashlib.sha256(payload.encode()).hexdigest()[:24]
        self._payloads[digest] = payload
        self._payloads.move_to_end(digest)
        while len(self._payloads) > self.size:
            self._payloads.popitem(last=False)
        return digest

    def recall(self, digest: str) -> str | None:
        return self._payloads.get(digest)


def encode_payload(payload: str, registry: PayloadRegistry) -> str:
    data = f"{PAYLOAD}:{payload}"
    if len(data.encode()) <= CALLBACK_LIMIT:
        return data
    return f"{LONG_PAYLOAD}:{registry.remember(payload)}"


def decode(data: str, registry: PayloadRegistry) -> tuple[str, str | None]:
    """callback_data -> (kind, value); the value is None when it is unknown or has expired."""
    kind, _, value = (data or "").partition(":")
    if kind == LONG_PAYLOAD:
        return PAYLOAD, registry.recall(value)
    if kind == PAYLOAD:
        return PAYLOAD, value if is_issued(value, registry) else None
    if kind == LANGUAGE and value not in NATIVE_NAMES:
        return LANGUAGE, None
    if kind == FORGET:
        return FORGET, value if value in ("yes", "no") else None
    if kind == LANGUAGE:
        return LANGUAGE, value
    if kind == HANDOFF:
        step, _, reason = value.partition(".")
        valid = value == "no" or (step in ("offer", "yes") and reason in HANDOFF_REASONS)
        return HANDOFF, value if valid else None
    return kind, None


def rasa_keyboard(
    buttons: Iterable[tuple[str, str]], registry: PayloadRegistry, extra: InlineKeyboardButton | None = None
) -> InlineKeyboardMarkup | None:
    """Rasa's (title, payload) buttons, one per row (titles are whole questions), then `extra`."""
    rows = [
        [InlineKeyboardButton(title, callback_data=encode_payload(payload, registry))] for title, payload in buttons
    ]
    if extra is not None:
        rows.append([extra])
    return InlineKeyboardMarkup(rows) if rows else None


def offer_button(title: str, reason: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(title, callback_data=f"{HANDOFF}:offer.{reason}")


def consent_keyboard(yes: str, no: str, reason: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes, callback_data=f"{HANDOFF}:yes.{reason}"),
                InlineKeyboardButton(no, callback_data=f"{HANDOFF}:no"),
            ]
        ]
    )


def language_keyboard(selected: str | None) -> InlineKeyboardMarkup:
    """The five scripts, the selected one ticked; two per row."""
    buttons = [
        InlineKeyboardButton(f"{CHECK if script == selected else ''}{name}", callback_data=f"{LANGUAGE}:{script}")
        for script, name in NATIVE_NAMES.items()
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def forget_keyboard(yes: str, no: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes, callback_data=f"{FORGET}:yes"),
                InlineKeyboardButton(no, callback_data=f"{FORGET}:no"),
            ]
        ]
    )
