"""locales/: every interface string is translated into every language, with matching placeholders."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.language.codes import LANGUAGES
from bot.settings import REPO_ROOT

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def used_messages() -> set:
    found = set()
    for folder in ("bot", "rasa_project/actions"):
        for _, _, message, _, _ in extract_from_dir(
            REPO_ROOT / folder, method_map=[("**.py", "python")], keywords={"_": None}
        ):
            found.add(message)
    return found


def catalog(language: str):
    with (REPO_ROOT / "locales" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


CATALOGS = LANGUAGES + ("en",)  # uz_Cyrl has none: it is the uz catalog, transliterated


@pytest.mark.parametrize("language", CATALOGS)
def test_catalog_is_complete_and_clean(language: str) -> None:
    po = catalog(language)
    entries = {m.id: m for m in po if m.id}
    missing = used_messages() - set(entries)
    assert not missing, f"{language}: not in the catalog (run make i18n-extract i18n-update): {missing}"
    unused = set(entries) - used_messages()
    assert not unused, f"{language}: no longer used by the code (run make i18n-update): {unused}"
    assert not po.obsolete, f"{language}: obsolete entries: {list(po.obsolete)}"
    for message in entries.values():
        assert message.string and not message.fuzzy, f"{language}: untranslated or fuzzy: {message.id!r}"
        assert set(PLACEHOLDER.findall(message.id)) == set(PLACEHOLDER.findall(message.string)), message.id
    for message, errors in po.check():
        assert not errors, f"{language}: {message.id!r}: {errors}"


def test_template_matches_the_code() -> None:
    """locales/messages.pot is what `make i18n-extract` makes from the code today."""
    with (REPO_ROOT / "locales" / "messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert template == used_messages()


def test_uzbek_cyrillic_keeps_commands_and_placeholders() -> None:
    from bot.language.i18n import gettext_for

    text = gettext_for("uz_Cyrl")("/privacy - what I keep about you")
    assert text.startswith("/privacy") and "ҳ" in text
    assert "{language}" in gettext_for("uz_Cyrl")("Language set: {language}.")


def test_the_code_uses_the_strings_it_translates() -> None:
    assert len(used_messages()) >= 10
