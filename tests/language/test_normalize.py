"""bot/language/normalize.py: one skeleton for the many ways to type a word."""

import pytest

from bot.language.normalize import normalize

SAME = [
    ("повестка", "povestka", "POVESTKA", "повеееестка"),
    ("кандай", "qanday", "kanday"),
    ("ўзбек", "o'zbek", "oʻzbek", "ozbek", "ozbek"),
    ("ҳарбӣ", "харби", "harbi", "xarbi"),
    ("шаҳрвандӣ", "шахрванди", "shahrvandi"),
    ("ҷазо", "jazo"),
    ("күнү", "куну", "kunu"),
    ("жарандык", "jarandyk", "zharandyk"),
]


@pytest.mark.parametrize("forms", SAME)
def test_forms_fold_to_one_skeleton(forms: tuple) -> None:
    assert len({normalize(form) for form in forms}) == 1, [normalize(f) for f in forms]


def test_different_words_stay_different() -> None:
    assert normalize("повестка") != normalize("контракт")


def test_digits_and_spaces() -> None:
    assert normalize("  Статья   328!! ") == "statya 328!!"
