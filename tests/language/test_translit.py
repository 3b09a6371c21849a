"""bot/language/translit.py: Uzbek Latin <-> Cyrillic, and every Uzbek text users see, in Cyrillic.

When `test_every_uzbek_text_comes_out_as_clean_cyrillic` fails, it names the file, the field and
the word. Add the word to bot/language/uz_cyrillic_words.yaml (its header says how), or write a
Russian gloss in Cyrillic in the Latin text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from bot.knowledge.loader import YAML_LOADER
from bot.knowledge.render import CONTACT_TOKEN
from bot.language.i18n import gettext_for
from bot.language.translit import cyrillic_to_latin, latin_to_cyrillic, transliterate
from bot.settings import REPO_ROOT

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
        ("mfa.gov.kg/ru/consular saytida", "mfa.gov.kg/ru/consular сайтида"),
    ],
)
def test_russian_loanwords_and_bare_domains(latin: str, cyrillic: str) -> None:
    assert latin_to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    "latin, cyrillic",
    [
        # TR-01: «ng'» is n + gʻ.
        ("Konsullikka qo'ng'iroq qiling", "Консулликка қўнғироқ қилинг"),
        ("tong", "тонг"),
        # TR-02: Russian abbreviations, also with an Uzbek suffix.
        ("KoAP, ChVK, MChS, YaTT, YeOII", "КоАП, ЧВК, МЧС, ЯТТ, ЕОИИ"),
        ("MFCda, KoAPning", "МФЦда, КоАПнинг"),
        # TR-03: Russian loanwords and names.
        ("vypiska, vydvorenie, otsrochka", "выписка, выдворение, отсрочка"),
        ("«Obyasnyaem.rf», «Obyasnyayem.rf»", "«Объясняем.рф», «Объясняем.рф»"),
        ("Azattyk, Asia-Plus, Tyumen", "Азаттык, Азия-Плюс, Тюмень"),
        ("zakaznoy pismo, bolnichniy", "заказное письмо, больничный"),
        ("vypiskani oling", "выпискани олинг"),
        ("(The Moscow Times, Forbes)", "(The Moscow Times, Forbes)"),
        ("Forbesda yozilgan", "Forbesда ёзилган"),
        # TR-04: the soft sign, dropped before a suffix.
        ("1-yanvar, 2-fevral, 3-aprel, 4-iyun, 5-iyul", "1-январь, 2-февраль, 3-апрель, 4-июнь, 5-июль"),
        ("sentabr, sentyabr, oktabr, oktyabr", "сентябрь, сентябрь, октябрь, октябрь"),
        ("noyabr, dekabr, 100 rubl", "ноябрь, декабрь, 100 рубль"),
        ("1-yanvardan 30-sentyabrgacha, 500 rublga", "1-январдан 30-сентябргача, 500 рублга"),
        ("Yanvar", "Январь"),
        # t + s before an Uzbek suffix, not ц; ц in Russian loans.
        ("hujjatsiz, etsangiz, o'tsa, ketsin", "ҳужжатсиз, этсангиз, ўтса, кетсин"),
        ("politsiya, protsess, meditsina, Donetsk", "полиция, процесс, медицина, Донецк"),
        # «shch» is ш + ч.
        ("ishchilar", "ишчилар"),
        # Kept as written: /commands, {placeholders}, {contact:…}, Roman numerals.
        ("/forget buyrug'i, {date}, {contact:mfa_kg}", "/forget буйруғи, {date}, {contact:mfa_kg}"),
        ("I guruh, VII-son, IIV, F.I.Sh.", "I гуруҳ, VII-сон, ИИВ, Ф.И.Ш."),
    ],
)
def test_what_alifbo_cannot_know(latin: str, cyrillic: str) -> None:
    result = transliterate(latin)
    assert result.text == cyrillic
    assert result.problems == ()


@pytest.mark.parametrize(
    "latin, rule",
    [
        ("Zoom orqali", "latin.foreign"),  # a foreign name not in the list: left in Latin
        ("Kyivda", "cyrillic.odd"),  # й after a consonant: Кйивда
        ("poezdda", "cyrillic.odd"),  # э inside a word: поэздда
    ],
)
def test_problems_are_reported_not_dropped(latin: str, rule: str) -> None:
    """TR-05: alifbo's warnings, and spellings that look garbled, come back with the text."""
    assert rule in {problem.rule for problem in transliterate(latin).problems}


def test_routine_notes_are_no_problem() -> None:
    result = transliterate("Elchixonaga yozing")
    assert result.warnings  # alifbo notes e -> э
    assert result.problems == ()


# --- Every Uzbek text users see -------------------------------------------------------------

KNOWLEDGE = REPO_ROOT / "knowledge"
CATALOG = REPO_ROOT / "locales" / "uz" / "LC_MESSAGES" / "messages.po"
Piece = tuple[str, str, str]  # file, field, Latin text the bot transliterates in one call


def _yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}


def _with_contacts(where: str, field: str, text: str) -> Iterator[Piece]:
    """As render.with_contacts: the text around each {contact:id} token, one piece each."""
    for index, part in enumerate(CONTACT_TOKEN.split(text)):
        if index % 2 == 0 and part:
            yield where, field, part


def _entries() -> Iterator[Piece]:
    for folder in ("topics", "meta"):
        for path in sorted((KNOWLEDGE / folder).glob("*.yaml")):
            texts = (_yaml(path).get("text") or {}).get("uz") or {}
            for field in ("title", "short", "details"):
                if texts.get(field):
                    yield from _with_contacts(f"knowledge/{folder}/{path.name}", f"text.uz.{field}", texts[field])


def _risk_rules() -> Iterator[Piece]:
    """As bot/risk/card.py and rasa_project/actions/risk_check.py show them (in_script each)."""
    where = "knowledge/risk_rules.yaml"
    rules = _yaml(KNOWLEDGE / "risk_rules.yaml")
    for code, names in (rules.get("jurisdictions") or {}).items():
        yield where, f"jurisdictions.{code}.uz", names["uz"]
    for control, texts in (rules.get("controls") or {}).items():
        yield where, f"controls.{control}.uz.label", texts["uz"]["label"]
    for question in rules.get("questions") or []:
        text = question["text"]["uz"]
        yield where, f"questions[{question['id']}].text.uz.question", text["question"]
        for option, label in (text.get("options") or {}).items():
            yield where, f"questions[{question['id']}].text.uz.options.{option}", label
    for finding in rules.get("findings") or []:
        text, name = finding["text"]["uz"], f"findings[{finding['id']}].text.uz"
        yield where, f"{name}.title", text["title"]
        yield where, f"{name}.says", text["says"]
        for number, step in enumerate(text.get("steps") or [], 1):
            yield where, f"{name}.steps[{number}]", step
        for deadline, label in (text.get("deadlines") or {}).items():
            # {date} is filled in with a date already in the user's script
            for part in label.split("{date}"):
                yield where, f"{name}.deadlines.{deadline}", part


def _contacts() -> Iterator[Piece]:
    """The organisation's name stands in for a contact not verified lately."""
    for contact in _yaml(KNOWLEDGE / "contacts.yaml").get("contacts") or []:
        yield "knowledge/contacts.yaml", f"contacts[{contact['id']}].organisation.uz", contact["organisation"]["uz"]


def _catalog() -> list:
    with CATALOG.open("rb") as handle:
        return [message for message in read_po(handle, locale="uz") if message.id and message.string]


def _messages() -> Iterator[Piece]:
    for message in _catalog():
        yield "locales/uz/LC_MESSAGES/messages.po", f"msgstr of {message.id!r}", message.string


SOURCES = {"topics and meta": _entries, "risk_rules": _risk_rules, "contacts": _contacts, "messages.po": _messages}


@pytest.mark.parametrize("source", SOURCES)
def test_every_uzbek_text_comes_out_as_clean_cyrillic(source: str) -> None:
    """No alifbo warning, no Latin left (beyond names, URLs, tokens, /commands), no odd spelling."""
    found = []
    for where, field, text in SOURCES[source]():
        for problem in transliterate(text).problems:
            found.append(f"{where}: {field}: «{problem.word}» ({problem.rule}: {problem.message})")
    assert not found, (
        f"{len(found)} word(s) do not come out as clean Uzbek Cyrillic; add them to "
        "bot/language/uz_cyrillic_words.yaml:\n" + "\n".join(dict.fromkeys(found))
    )


def test_the_catalog_is_transliterated_as_users_get_it() -> None:
    """gettext_for("uz_Cyrl") keeps {placeholders} and /commands, as `transliterate` does."""
    _ = gettext_for("uz_Cyrl")
    for message in _catalog():
        assert _(message.id) == latin_to_cyrillic(message.string), message.id


def test_uzbek_cyrillic_dates_are_written_like_the_answers() -> None:
    """Babel's uz_Cyrl months lack the soft sign that the transliterated answers have."""
    import datetime as dt

    from bot.language.i18n import format_day

    assert format_day(dt.date(2026, 11, 27), "uz_Cyrl") == "27-ноябрь, 2026"
    assert format_day(dt.date(2026, 11, 27), "uz") == "27-noyabr, 2026"
