"""bot/incoming.py: what a person typed, cleaned for the model; never taken for an intent payload."""

from __future__ import annotations

import pytest

from bot.incoming import as_typed, clean


@pytest.mark.parametrize(
    "typed, sent",
    [
        ("\u200b/restart", "restart"),  # a zero-width space before Rasa's built-in intent
        ("\u2060/session_start", "session_start"),
        ("/greet", "greet"),
        (" / /ask_more", "ask_more"),
        ("\ufeff<b>повестка</b>  келди", "повестка келди"),
        ("повестка/ковид", "повестка/ковид"),  # a slash inside the text stays
    ],
)
def test_typed_text_never_starts_with_the_intent_mark(typed: str, sent: str) -> None:
    assert clean(typed, 2000).text == sent


def test_long_text_is_cut_at_a_word_and_says_so() -> None:
    incoming = clean("повестка " * 300, 2000)
    assert incoming.truncated and len(incoming.text) <= 2000 and incoming.text.endswith("повестка")


def test_for_a_person_the_text_keeps_its_markup_and_lines_but_not_invisible_characters() -> None:
    typed = "<img src=x onerror=alert(1)>\u200b меня держат\n\nв отделе\u0007"
    assert as_typed(typed, 2000).text == "<img src=x onerror=alert(1)> меня держат\n\nв отделе"
    assert clean(typed, 2000).text == "меня держат в отделе"  # the model gets words only
    assert as_typed("слово " * 500, 100).truncated
