"""bot/language/style.py: the writing-style rows of the evaluation."""

import pytest

from bot.language.style import writing_style

CASES = [
    ("повестка келди", "ky", "fragment"),
    ("naemnik statya", "ru", "fragment"),
    ("mne prishla povestka chto delat teper", "ru", "latin"),
    ("povestka keldi emne kylam azyr", "ky", "latin"),
    ("мага повестка келди эми эмне кылам", "ky", "mixed russian"),
    ("мага чакыруу кагазы келди эми эмне кылышым керек", "ky", "no special"),
    ("менин оюмча бул маселе абдан оор көрүнөт", "ky", "standard"),
    ("rossiya grajdanstvosi yoq bolsa nima boladi", "uz", "mixed russian"),
    ("агар ман ба ҳарбӣ нараванд чӣ мешавад", "tg", "standard"),
    ("агар ман ба харби наравам чи мешавад", "tg", "no special"),
]


@pytest.mark.parametrize("text, language, style", CASES)
def test_writing_style(text: str, language: str, style: str) -> None:
    assert writing_style(text, language) == style
