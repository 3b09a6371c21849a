"""bot/telegram_ui/formatting.py: escaping and splitting at Telegram's limit."""

from __future__ import annotations

from bot.telegram_ui.formatting import MESSAGE_LIMIT, escape, split_message, telegram_length


def test_markup_is_escaped() -> None:
    assert escape('<b>x</b> & "y"') == '&lt;b&gt;x&lt;/b&gt; &amp; "y"'


def test_short_text_is_one_message() -> None:
    assert split_message("Салам!\n\nБул кыска.") == ["Салам!\n\nБул кыска."]


def test_long_text_is_split_on_paragraphs_within_the_limit() -> None:
    paragraphs = [f"Абзац {n}. " + "сөз " * 300 for n in range(10)]  # about 1,200 characters each
    parts = split_message("\n\n".join(paragraphs))
    assert len(parts) > 1
    assert all(telegram_length(part) <= MESSAGE_LIMIT for part in parts)
    assert "\n\n".join(parts) == "\n\n".join(paragraphs)  # nothing lost, nothing cut mid-paragraph
    assert all(part.startswith("Абзац") for part in parts)


def test_a_paragraph_longer_than_the_limit_is_split_on_words() -> None:
    text = "слово " * 2000
    parts = split_message(text.strip(), limit=1000)
    assert all(len(part) <= 1000 for part in parts)
    assert " ".join(parts) == text.strip()


def test_hard_cut_never_splits_an_html_entity() -> None:
    text = escape("a" * 95 + "&" + "b" * 50)  # no spaces: a hard cut near the entity
    parts = split_message(text, limit=100)
    assert "".join(parts) == text
    assert all(part.count("&") == part.count("&amp;") for part in parts)


def test_emoji_count_twice_as_telegram_counts() -> None:
    assert telegram_length("👍") == 2
    parts = split_message("👍" * 60, limit=100)
    assert [telegram_length(part) for part in parts] == [100, 20]
