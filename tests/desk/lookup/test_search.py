"""The search box: the model's topics (a fake Rasa here), plus the answers' text for unseen words."""

from __future__ import annotations

import httpx
import pytest
from django.test import Client
from django.urls import reverse

from desk.lookup import rasa
from desk.lookup.search import AnswerIndex, answer_index, caller_language, search

pytestmark = pytest.mark.django_db
TAJIK_WITHOUT_SPECIAL_LETTERS = "барои чанг дар Украина дар Точикистон чазо медиханд?"


def test_the_models_topics_come_first_best_first(fake_rasa) -> None:
    fake_rasa([("nlu_fallback", 0.9), ("mercenarism_tj", 0.7), ("greet", 0.2), ("mercenarism_kg", 0.1)])
    result = search(TAJIK_WITHOUT_SPECIAL_LETTERS)
    assert [hit.topic_id for hit in result.hits][:2] == ["mercenarism_tj", "mercenarism_kg"]
    assert result.hits[0].confidence == 0.7
    assert result.model_answered


def test_the_callers_language_is_guessed_as_the_bot_guesses_it() -> None:
    assert caller_language(TAJIK_WITHOUT_SPECIAL_LETTERS) == "tg"
    assert caller_language("Men O'zbekiston fuqarosiman, povestka keldi") == "uz"
    assert caller_language("Мен Ўзбекистон фуқаросиман, повестка келди") == "uz_Cyrl"
    assert caller_language("What should I do with a summons?") == "ru"  # English: served in Russian


def test_words_the_model_never_saw_are_found_in_the_answers(fake_rasa) -> None:
    index = answer_index()
    assert "habibullo" not in index.seen  # a name in the Tajik answer, in no training question
    fake_rasa([])
    result = search("Хабибулло")
    assert [hit.topic_id for hit in result.hits] == ["mercenarism_tj"]
    assert result.unseen_words == ("habibullo",)


def test_a_typo_in_an_unseen_word_still_finds_it() -> None:
    index = answer_index()
    assert index.matches("habibulo") == ["habibullo"]  # by its stem
    assert index.matches("habubullo") == ["habibullo"]  # by its spelling


def test_without_rasa_every_word_is_looked_up_in_the_answers(no_rasa) -> None:
    result = search("povestka voenkomat")
    assert not result.model_answered
    assert "summons_received" in [hit.topic_id for hit in result.hits]


def test_an_empty_or_markup_only_question_finds_nothing(fake_rasa) -> None:
    fake_rasa([("summons_received", 0.9)])
    assert search("   ").hits == ()
    assert search("<b></b>").hits == ()


def test_the_index_folds_scripts_as_the_model_does(valid_kb) -> None:
    from bot.knowledge.loader import load_knowledge

    index = AnswerIndex(load_knowledge(valid_kb))
    assert index.seen
    assert all(word == word.lower() for word in index.topics_by_word)


def test_rasa_parse_is_read_and_a_failure_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/model/parse"
        return httpx.Response(200, json={"intent_ranking": [{"name": "summons_received", "confidence": 0.8}]})

    monkeypatch.setattr(
        rasa, "_client", lambda: httpx.Client(base_url="http://rasa", transport=httpx.MockTransport(answer))
    )
    assert rasa.intent_ranking("повестка") == [("summons_received", 0.8)]

    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    monkeypatch.setattr(
        rasa, "_client", lambda: httpx.Client(base_url="http://rasa", transport=httpx.MockTransport(fail))
    )
    assert rasa.intent_ranking("повестка") is None


def test_the_search_page_lists_topics_linked_in_the_callers_language(as_staff: Client, fake_rasa) -> None:
    fake_rasa([("mercenarism_tj", 0.8)])
    response = as_staff.post(reverse("lookup-search"), {"q": TAJIK_WITHOUT_SPECIAL_LETTERS})
    page = response.content.decode()
    assert reverse("lookup-topic", args=["mercenarism_tj"]) + "?lang=tg" in page
    assert response.headers["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response.headers["Cache-Control"]


def test_htmx_gets_the_results_panel_alone(as_staff: Client, fake_rasa) -> None:
    fake_rasa([("summons_received", 0.9)])
    response = as_staff.post(reverse("lookup-search"), {"q": "повестка"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page and "summons_received" in page


def test_what_was_typed_is_shown_escaped(as_staff: Client, no_rasa) -> None:
    typed = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'
    page = as_staff.post(reverse("lookup-search"), {"q": typed}).content.decode()
    assert "<img src=x" not in page and "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_question_is_posted_never_put_in_the_url(as_staff: Client) -> None:
    page = as_staff.get(reverse("lookup-search")).content.decode()
    assert 'method="post"' in page and 'autocomplete="off"' in page


def test_a_search_post_needs_the_csrf_token(cast, csrf_client: Client) -> None:
    csrf_client.force_login(cast["staff"])
    assert csrf_client.post(reverse("lookup-search"), {"q": "повестка"}).status_code == 403
