"""The whole risk-check interview through the running Rasa and action servers, in every script,
with answers typed and pressed, "back", "change" and "stop"."""

from __future__ import annotations

import uuid

import pytest

from bot.language.i18n import in_script
from bot.rasa_client import Reply
from bot.risk.answers import payload
from bot.risk.rules import load_rules
from bot.settings import REPO_ROOT

pytestmark = pytest.mark.model

RULES = load_rules(REPO_ROOT / "knowledge")
COUNTRY_TYPED = {
    "ky": "Кыргызстан",
    "ru": "Кыргызстан",
    "uz": "Qirg'iziston",
    "uz_Cyrl": "Қирғизистон",
    "tg": "Қирғизистон",
}
SCRIPTS = list(COUNTRY_TYPED)


def question_text(question_id: str, script: str) -> str:
    return in_script(script, RULES.question(question_id).text[script.split("_")[0]].question)


def control_word(control: str, script: str) -> str:
    return in_script(script, RULES.controls[control][script.split("_")[0]].label).lower()


def asked(replies: list[Reply], question_id: str, script: str) -> bool:
    return any(question_text(question_id, script) in reply.text for reply in replies)


class Chat:
    """One person's conversation in one script."""

    def __init__(self, settings, talk, script: str) -> None:
        self.settings, self.talk, self.script = settings, talk, script
        self.sender = f"risk-{script}-{uuid.uuid4().hex[:8]}"
        talk(settings, self.sender, f'/choose_language{{"language": "{script}"}}')

    def say(self, text: str) -> list[Reply]:
        return self.talk(self.settings, self.sender, text)

    def press(self, kind: str, value: str = "") -> list[Reply]:
        return self.say(payload(kind, value))


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_whole_interview_with_back_and_change(running_servers, talk, script: str) -> None:
    chat = Chat(running_servers, talk, script)
    replies = chat.say("/risk_check")
    assert asked(replies, "situation_now", script) and replies[-1].buttons
    assert asked(chat.press("answer", "none"), "home_country", script)
    assert asked(chat.say(COUNTRY_TYPED[script]), "russian_citizen", script)  # typed, not pressed
    assert asked(chat.say(control_word("back", script)), "home_country", script)  # "back", typed
    assert asked(chat.press("answer", "kg"), "russian_citizen", script)
    assert asked(chat.press("answer", "citizen"), "location", script)
    assert asked(chat.press("answer", "russia"), "sex", script)
    assert asked(chat.press("answer", "male"), "age_band", script)
    assert asked(chat.say("35"), "military_registration", script)  # an age typed as a number
    assert asked(chat.press("answer", "registered"), "summons", script)
    assert asked(chat.press("answer", "electronic"), "summons_date", script)
    assert asked(chat.say("20.11.2026"), "appearance_date", script)
    assert asked(chat.press("answer", "unknown"), "contract", script)
    listing = chat.press("change")
    assert any(p == payload("edit", "summons") for _, p in listing[-1].buttons)
    assert asked(chat.press("edit", "summons"), "summons", script)
    assert asked(chat.press("answer", "none"), "contract", script)  # the summons dates drop out
    assert asked(chat.press("answer", "none"), "occupied_work", script)
    assert asked(chat.press("answer", "none"), "family", script)
    card = chat.press("answer", "none")
    text = "\n".join(reply.text for reply in card)
    language = script.split("_")[0]
    for jurisdiction in ("ru", "kg"):
        assert in_script(script, RULES.jurisdictions[jurisdiction][language]) + ":" in text
    assert "ru_summons" not in text and "http" in text
    assert any(p == payload("restart") for _, p in card[-1].buttons)
    assert not asked(chat.say("/greet"), "family", script)  # the form is over


@pytest.mark.parametrize("script", SCRIPTS)
def test_stop_ends_the_check_at_any_step(running_servers, talk, script: str) -> None:
    chat = Chat(running_servers, talk, script)
    chat.say("/risk_check")
    chat.press("answer", "none")
    stopped = chat.say(control_word("stop", script))
    assert stopped and not asked(stopped, "russian_citizen", script)
    assert not asked(chat.say("/greet"), "russian_citizen", script)


@pytest.mark.parametrize("script", SCRIPTS)
def test_detained_now_gets_the_urgent_card_after_three_questions(running_servers, talk, script: str) -> None:
    chat = Chat(running_servers, talk, script)
    chat.say("/risk_check")
    chat.press("answer", "detained")
    chat.press("answer", "uz")
    card = "\n".join(reply.text for reply in chat.press("answer", "not_citizen"))
    uzbekistan = in_script(script, RULES.jurisdictions["uz"][script.split("_")[0]]) + ":"
    assert 0 <= card.find("mfa.uz") < card.find(uzbekistan)  # rights and human help come first
