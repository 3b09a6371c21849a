"""bot/telegram_ui/keyboards.py: callback_data stays within 64 bytes and round-trips."""

from __future__ import annotations

import pytest

from bot.risk.answers import every_payload, payload
from bot.risk.rules import load_rules
from bot.settings import REPO_ROOT
from bot.telegram_ui.keyboards import (
    CALLBACK_LIMIT,
    FORGET,
    LANGUAGE,
    PAYLOAD,
    PayloadRegistry,
    decode,
    forget_keyboard,
    is_issued,
    language_keyboard,
    offer_button,
    rasa_keyboard,
)

INTENTS = ["summons_received", "ask_more", "choose_language", "risk_check", "inform"]  # a knowledge base's ids


def test_rasa_buttons_round_trip() -> None:
    registry = PayloadRegistry(INTENTS)
    keyboard = rasa_keyboard([("Повестка", "/summons_received"), ("Кененирээк", "/ask_more")], registry)
    data = [row[0].callback_data for row in keyboard.inline_keyboard]
    assert [decode(d, registry) for d in data] == [(PAYLOAD, "/summons_received"), (PAYLOAD, "/ask_more")]


def test_long_payloads_are_kept_in_the_registry() -> None:
    registry = PayloadRegistry(INTENTS)
    payload = '/inform{"summons_kind": "electronic", "summons_date": "2026-11-20", "where": "russia"}'
    [[button]] = rasa_keyboard([("x", payload)], registry).inline_keyboard
    assert len(button.callback_data.encode()) <= CALLBACK_LIMIT
    assert decode(button.callback_data, registry) == (PAYLOAD, payload)
    assert decode(button.callback_data, PayloadRegistry(INTENTS)) == (PAYLOAD, None)  # after a restart: expired


def test_registry_forgets_the_oldest() -> None:
    registry = PayloadRegistry(size=2)
    first = registry.remember("a" * 80)
    registry.remember("b" * 80)
    registry.remember("c" * 80)
    assert registry.recall(first) is None


def test_language_keyboard_ticks_the_selected_script() -> None:
    keyboard = language_keyboard("tg")
    buttons = [b for row in keyboard.inline_keyboard for b in row]
    assert [b.text for b in buttons if b.text.startswith("✓")] == ["✓ Тоҷикӣ"]
    assert decode(buttons[3].callback_data, PayloadRegistry(INTENTS)) == (LANGUAGE, "uz_Cyrl")


def test_unknown_or_forged_data_decodes_to_nothing() -> None:
    registry = PayloadRegistry(INTENTS)
    assert decode("l:xx", registry) == (LANGUAGE, None)
    assert decode("zzz", registry)[1] is None
    assert decode("", registry)[1] is None


@pytest.mark.parametrize(
    "forged",
    [
        "p:/restart",
        "p:/session_start",
        "p:/not_an_intent_of_ours",
        "p:/back",
        'p:/risk_check{"risk_input": "answer:any text I like"}',
        'p:/risk_check{"risk_input": 5}',
        "p:hello",
        "p:\u200b/restart",
        "f:maybe",
    ],
)
def test_forged_buttons_never_reach_rasa(forged: str) -> None:
    """Only payloads shaped like Kenesh's own reach Rasa: no built-in intent, no free text in an entity."""
    assert decode(forged, PayloadRegistry(INTENTS))[1] is None


def test_the_payloads_kenesh_issues_pass() -> None:
    """The bot's own registry: its intents alone, and its payloads with entities whole."""
    rules = load_rules(REPO_ROOT / "knowledge")
    registry = PayloadRegistry(INTENTS, payloads=every_payload(rules) | {'/choose_language{"language": "uz_Cyrl"}'})
    issued = ["/ask_more", '/choose_language{"language": "uz_Cyrl"}', payload("answer", "kg"), payload("back")]
    issued += [payload("edit", "home_country"), payload("answer", "detained")]
    assert all(is_issued(each, registry) and decode(f"p:{each}", registry) == (PAYLOAD, each) for each in issued)
    assert not is_issued(payload("answer", "Zyxwvutsrq"), registry), "an id-shaped value that no button carries"


def test_forget_keyboard() -> None:
    [[yes, no]] = forget_keyboard("Ооба", "Жок").inline_keyboard
    assert decode(yes.callback_data, PayloadRegistry(INTENTS)) == (FORGET, "yes")
    assert decode(no.callback_data, PayloadRegistry(INTENTS)) == (FORGET, "no")


@pytest.mark.parametrize(
    "data, value",
    [
        ("c:offer.clarify", "offer.clarify"),
        ("c:yes.urgent", "yes.urgent"),
        ("c:no", "no"),
        ("c:yes.anything", None),
        ("c:open.asked", None),
        ("c:yes", None),
    ],
)
def test_handoff_buttons_carry_only_known_steps_and_reasons(data: str, value: str | None) -> None:
    assert decode(data, PayloadRegistry()) == ("c", value)


def test_the_offer_goes_under_rasas_buttons() -> None:
    keyboard = rasa_keyboard([("Ещё", "/ask_more")], PayloadRegistry(), offer_button("Человек", "asked"))
    assert [[b.callback_data for b in row] for row in keyboard.inline_keyboard] == [["p:/ask_more"], ["c:offer.asked"]]
