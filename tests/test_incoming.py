"""bot/incoming.py: what a person typed, cleaned for the model; never taken for an intent payload."""

from __future__ import annotations

import pytest

from bot.incoming import clean


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
