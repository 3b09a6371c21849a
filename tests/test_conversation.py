"""A conversation through the running Rasa server and action server (REST channel)."""

from __future__ import annotations

import uuid

import pytest

from bot.settings import Settings

pytestmark = pytest.mark.model

QUESTIONS = {
    "ky": ("мага электрондук повестка келди, эми эмне кылышым керек", "Булактар:", "Кененирээк"),
    "ru": ("мне пришла электронная повестка на госуслуги, что делать", "Источники:", "Подробнее"),
    "uz": ("menga elektron chaqiruv qog'ozi keldi, endi nima qilay", "Manbalar:", "Batafsil"),
    "uz_Cyrl": ("менга электрон чақирув қоғози келди, энди нима қилай", "Манбалар:", "Батафсил"),
    "tg": ("ба ман даъватномаи электронӣ омад, акнун чӣ кор кунам", "Манбаъҳо:", "Муфассалтар"),
}


@pytest.mark.parametrize("script", QUESTIONS)
def test_greeting_question_answer_more_related(running_servers: Settings, talk, script: str) -> None:
    question, sources_label, more_label = QUESTIONS[script]
    sender = f"test-{uuid.uuid4().hex[:8]}"
    greeting = talk(running_servers, sender, "/greet")
    assert greeting and greeting[0].buttons, "the greeting offers the topic menu"

    answer = talk(running_servers, sender, question)[0]
    assert sources_label in answer.text and "http" in answer.text
    assert answer.buttons[0] == (more_label, "/ask_more")

    details = talk(running_servers, sender, "/ask_more")[0]
    assert sources_label in details.text and len(details.text) > len(answer.text)

    related_payload = details.buttons[0][1]
    related = talk(running_servers, sender, related_payload)[0]
    assert sources_label in related.text and related.text != answer.text


def test_out_of_scope_gets_no_legal_answer(running_servers: Settings, talk) -> None:
    reply = talk(running_servers, "test-oos", "как приготовить плов с бараниной")[0]
    assert "Источники:" not in reply.text
    assert any(payload == "/summons_received" for _, payload in reply.buttons)


def test_gibberish_gets_no_legal_answer(running_servers: Settings, talk) -> None:
    reply = talk(running_servers, "test-gibberish", "ккк ззз щщщ ффф")[0]
    assert "Источники:" not in reply.text and reply.buttons


def test_language_choice_is_kept(running_servers: Settings, talk) -> None:
    sender = f"test-{uuid.uuid4().hex[:8]}"
    talk(running_servers, sender, '/choose_language{"language": "tg"}')
    reply = talk(running_servers, sender, "что будет если не пойти в военкомат по повестке")[0]
    assert "Манбаъҳо:" in reply.text


def test_server_logs_hold_no_message_text(running_servers: Settings, talk) -> None:
    marker = "уникальныйтекст " + uuid.uuid4().hex
    talk(running_servers, "test-privacy-4242424242", f"{marker} пришла повестка")
    for log in (running_servers.state_dir / "log").glob("*.log"):
        content = log.read_text(encoding="utf-8", errors="replace")
        assert marker not in content and "4242424242" not in content, log
