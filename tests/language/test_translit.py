"""bot/language/translit.py: Uzbek Latin <-> Cyrillic."""

import pytest

from bot.language.translit import cyrillic_to_latin, latin_to_cyrillic

PAIRS = [
    ("O'zbekiston Respublikasi", "Ўзбекистон Республикаси"),
    ("chaqiruv qog'ozi keldi", "чақирув қоғози келди"),
    ("harbiy xizmat", "ҳарбий хизмат"),
    ("yo'q", "йўқ"),
    ("Men shartnoma imzolamayman.", "Мен шартнома имзоламайман."),
    ("ta'lim", "таълим"),
]


@pytest.mark.parametrize("latin, cyrillic", PAIRS)
def test_latin_to_cyrillic(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize("latin, cyrillic", PAIRS)
def test_cyrillic_to_latin(latin: str, cyrillic: str) -> None:
    assert cyrillic_to_latin(cyrillic) == latin


@pytest.mark.parametrize("apostrophe", ["'", "‘", "’", "ʻ", "`"])
def test_every_apostrophe_variant_gives_the_same_cyrillic(apostrophe: str) -> None:
    assert latin_to_cyrillic(f"o{apostrophe}zbek") == "ўзбек"


def test_urls_and_numbers_are_left_alone() -> None:
    text = "Batafsil: https://lex.uz/docs/111457 va 328-modda"
    assert "https://lex.uz/docs/111457" in latin_to_cyrillic(text)
    assert "328" in latin_to_cyrillic(text)


@pytest.mark.parametrize(
    "latin, cyrillic",
    [
        ("voenkomatga bordim", "военкоматга бордим"),
        ("Gosuslugi'da tekshiring", "Госуслугида текширинг"),
        ("reestrdan", "реестрдан"),
        ("saytlar: mfa.gov.kg va mfa.uz", "сайтлар: mfa.gov.kg ва mfa.uz"),
    ],
)
def test_russian_loanwords_and_bare_domains(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic
