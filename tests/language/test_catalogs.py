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
        for _, _, message, _, _ in extract_from_dir(REPO_ROOT / folder, method_map=[("**.py", "python")],
                                                    keywords={"_": None}):
            found.add(message)
    return found


def catalog(language: str):
    with (REPO_ROOT / "locales" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete_and_clean(language: str) -> None:
    entries = {m.id: m for m in catalog(language) if m.id}
    missing = used_messages() - set(entries)
    assert not missing, f"{language}: not in the catalog: {missing}"
    for message in entries.values():
        assert message.string and not message.fuzzy, f"{language}: untranslated or fuzzy: {message.id!r}"
        assert set(PLACEHOLDER.findall(message.id)) == set(PLACEHOLDER.findall(message.string)), message.id


def test_the_code_uses_the_strings_it_translates() -> None:
    assert len(used_messages()) >= 10
