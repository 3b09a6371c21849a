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


OTHER_TOPICS = {
    "ky": ("Орусия үчүн согушсам Кыргызстанда канча жыл беришет", "mercenarism_kg"),
    "ru": ("полиция задержала и заставляет подписать контракт, что делать", "police_pressure"),
    "uz": ("O'zbekistonda rossiya armiyasida xizmat qilganim uchun jazo bormi", "mercenarism_uz"),
    "uz_Cyrl": ("патентим тугади, Россияда қанча қолишим мумкин", "legal_status_registration"),
    "tg": ("дар Тоҷикистон барои ҷанг дар Украина ҷазо ҳаст?", "mercenarism_tj"),
}
# Two topics at once: the assistant must not pick one, but ask.
UNCLEAR = {
    "ky": "элчилик контракт",
    "ru": "посольство контракт",
    "uz": "elchixona kontrakt",
    "uz_Cyrl": "элчихона контракт",
    "tg": "сафорат контракт",
}


def chosen(talk, settings: Settings, script: str) -> str:
    sender = f"test-{script}-{uuid.uuid4().hex[:8]}"
    talk(settings, sender, f'/choose_language{{"language": "{script}"}}')
    return sender


@pytest.mark.parametrize("script", OTHER_TOPICS)
def test_another_topic_in_every_language(running_servers: Settings, talk, script: str) -> None:
    from bot.knowledge.loader import load_knowledge
    from bot.language.i18n import in_script

    question, topic = OTHER_TOPICS[script]
    replies = talk(running_servers, chosen(talk, running_servers, script), question)
    title = load_knowledge(running_servers.knowledge_dir).topic(topic).text[script.split("_")[0]].title
    assert replies[0].text.startswith(in_script(script, title))
    assert QUESTIONS[script][1] in "\n".join(reply.text for reply in replies)


@pytest.mark.parametrize("script", UNCLEAR)
def test_an_unclear_question_gets_did_you_mean_with_a_person(running_servers: Settings, talk, script: str) -> None:
    from bot.language.i18n import gettext_for

    sender = chosen(talk, running_servers, script)
    reply = talk(running_servers, sender, UNCLEAR[script])[0]
    assert reply.text == gettext_for(script)("I am not sure I understood. Did you mean one of these?")
    payloads = [payload for _, payload in reply.buttons]
    assert len(payloads) == 3 and payloads[-1] == "/hotlines_human_help" and "/consular_help" in payloads[:2]
    answer = talk(running_servers, sender, payloads[0])
    assert QUESTIONS[script][1] in "\n".join(r.text for r in answer)  # pressing a topic answers it


def test_the_actions_signals_reach_the_bot_through_rasas_rest_channel(running_servers: Settings) -> None:
    """What the Telegram bot reads to offer a person: a signal per turn, beside the replies."""
    import asyncio

    from bot.rasa_client import RasaClient, signals

    async def exchange(texts: list[str]) -> list[list]:
        async with RasaClient(running_servers.rasa_base_url, timeout=30) as client:
            return [await client.send(f"test-signals-{uuid.uuid4().hex[:8]}", text) for text in texts]

    answer, unclear = asyncio.run(exchange([QUESTIONS["ru"][0], UNCLEAR["ru"]]))
    assert signals(answer) == [{"topic": "summons_received"}]
    assert signals(unclear) == [{"clarify": True}]
    assert all(reply.readable for reply in answer if not reply.custom)
