"""bot/knowledge/render.py: answers carry their sources, date, disclaimer and buttons."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from bot.knowledge import render
from bot.knowledge.loader import load_knowledge
from bot.language.codes import SCRIPTS
from bot.settings import REPO_ROOT

KB = load_knowledge(REPO_ROOT / "knowledge")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("topic_id", sorted(KB.topics))
def test_every_topic_renders_in_every_script(topic_id: str, script: str) -> None:
    answer = render.topic_answer(KB, topic_id, script)
    details = render.topic_details(KB, topic_id, script)
    topic = KB.topics[topic_id]
    for source in topic.sources:
        assert str(source.url or source.path) in details.text
    laws = [source for source in topic.sources if source.kind.value == "law"][: render.SHORT_ANSWER_SOURCES]
    for source in laws:
        assert str(source.url) in answer.text
    assert answer.text.count("\n• ") <= render.SHORT_ANSWER_SOURCES
    assert answer.buttons[0].payload == render.MORE_PAYLOAD
    assert ".." not in answer.text.replace("...", "")
    assert "{" not in answer.text


def test_uzbek_cyrillic_is_cyrillic_but_keeps_addresses() -> None:
    answer = render.topic_details(KB, "hotlines_human_help", "uz_Cyrl")
    body = answer.text.split("\n\n")[1]
    assert len(CYRILLIC.findall(body)) > 0.9 * len(re.findall(r"[^\W\d_]", body))
    for source in KB.topics["hotlines_human_help"].sources:
        assert str(source.url or source.path) in answer.text


def test_details_are_longer_than_the_short_answer() -> None:
    short = render.topic_answer(KB, "evasion_liability", "ru").text
    details = render.topic_details(KB, "evasion_liability", "ru").text
    assert len(details) > len(short)


def test_clarification_without_candidates_offers_the_menu() -> None:
    answer = render.clarification(KB, [], "ky")
    assert len(answer.buttons) >= 5


HUMAN = f"/{render.HUMAN_HELP_TOPIC}"


def payloads(answer: render.Answer) -> list:
    return [button.payload for button in answer.buttons]


@pytest.mark.parametrize("script", SCRIPTS)
def test_an_entry_past_review_is_shown_with_a_warning_and_a_person(script: str) -> None:
    from bot.language.i18n import format_day, gettext_for

    topic = KB.topics["bot_privacy"].copy(update={"related": []})  # low risk, no person among its related
    kb = dataclasses.replace(KB, topics={**KB.topics, "bot_privacy": topic})
    fresh = render.topic_answer(kb, "bot_privacy", script, today=topic.as_of)
    stale = render.topic_answer(kb, "bot_privacy", script, today=topic.review_by + dt.timedelta(days=1))
    warning = gettext_for(script)(
        "This answer was due for a check on {date}. The law may have changed since. Ask a person before you act."
    ).format(date=format_day(topic.review_by, script))
    assert warning not in fresh.text and HUMAN not in payloads(fresh)
    assert warning in stale.text and HUMAN in payloads(stale)
    assert stale.text.startswith(fresh.text.split("\n\n")[0])  # still the same answer


@pytest.mark.parametrize("topic_id", sorted(t for t in KB.topics if KB.topics[t].risk_level.value == "high"))
def test_high_risk_topics_always_offer_a_person(topic_id: str) -> None:
    topic = KB.topics[topic_id]
    for answer in (
        render.topic_answer(KB, topic_id, "ky", today=topic.as_of),
        render.topic_details(KB, topic_id, "ky", today=topic.as_of),
    ):
        assert HUMAN in payloads(answer)
