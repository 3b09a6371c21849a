"""knowledge/contacts.yaml in the editor: each contact's fields as a form shows them, the file with a
form's values written in, and `kb lint`'s messages at those fields.

Cells are named "contacts.<id>.<field>" and "contacts.<id>.organisation.<language>"; the id is
not editable (texts refer to it). The file is rewritten by ruamel's round trip
(bot.knowledge.parity), so every line whose value did not change stays byte-identical.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from bot.knowledge.loader import CONTACTS_FILE, YAML_LOADER
from bot.knowledge.parity import SOURCE_LANGUAGE, dump, like, round_trip
from bot.knowledge.schema import ContactKind
from bot.language.codes import LANGUAGES
from desk.knowledge_editor import file_forms, files
from desk.knowledge_editor.file_forms import Edited, Item, Row
from desk.knowledge_editor.files import FieldProblem

RELATIVE_PATH = CONTACTS_FILE  # in the knowledge folder
FIELDS = ("kind", "value", "source", "last_verified_on")
KINDS = tuple(kind.value for kind in ContactKind)


def _name(contact_id: str, *where: str) -> str:
    return ".".join(("contacts", contact_id, *where))


def _contacts(file_text: str) -> list[dict[str, Any]]:
    data = yaml.load(file_text, Loader=YAML_LOADER)
    contacts = data.get("contacts") if isinstance(data, dict) else None
    return [contact for contact in contacts or [] if isinstance(contact, dict)]


def read(file_text: str) -> Edited:
    """Every editable value of every contact, by cell name (a date as YYYY-MM-DD)."""
    values: Edited = {}
    for contact in _contacts(file_text):
        for field in FIELDS:
            values[_name(contact["id"], field)] = _text(contact.get(field))
        for lang in LANGUAGES:
            values[_name(contact["id"], "organisation", lang)] = _text((contact.get("organisation") or {}).get(lang))
    return values


def _text(value: object) -> str:
    return "" if value is None else files.clean(str(value))


def parse(post_data: Any, file_text: str) -> Edited:
    """The contacts' values a form posted (only names the file has)."""
    return file_forms.parse(post_data, read(file_text))


def apply(file_text: str, edited: Edited) -> str:
    """contacts.yaml with the edited values written in; lines of values not changed stay as they were."""
    yaml_writer, data = round_trip(Path(RELATIVE_PATH), file_text)
    contacts = {contact["id"]: contact for contact in data["contacts"]}
    for name, value in file_forms.changed(read(file_text), edited).items():
        _, contact_id, *where = name.split(".")
        block = contacts[contact_id]
        if where[0] == "organisation":
            block, where = block["organisation"], where[1:]
        block[where[0]] = _typed(block.get(where[0]), value)
    return dump(yaml_writer, data)


def _typed(old: object, value: str) -> object:
    """A date stays a date when the new value is one (otherwise it is written as typed, and lint says why)."""
    if isinstance(old, dt.date):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return like(old, value)


def lint(new_text: str, today: dt.date | None = None) -> list[FieldProblem]:
    """`kb lint` with this contacts file in the knowledge folder: its problems, each at its cell."""
    ids = [str(contact.get("id")) for contact in _contacts(new_text)]
    known = set(read(new_text)) | {_name(contact_id) for contact_id in ids}
    return [
        _placed(problem.field, problem.message, problem.severity, ids, known)
        for problem in files.lint_file(RELATIVE_PATH, new_text, today)
    ]


def _placed(where: str, message: str, severity: str, ids: list[str], known: set[str]) -> FieldProblem:
    parts = where.split(".")
    if len(parts) >= 2 and parts[0] == "contacts":
        if parts[1].isdigit() and int(parts[1]) < len(ids):  # the schema names a contact by its place
            parts[1] = ids[int(parts[1])]
        elif len(parts) == 2:  # the linter names a contact by id only to say it was verified too long ago
            parts.append("last_verified_on")
    name = file_forms.nearest(".".join(parts), known)
    return FieldProblem(name, message if name else f"{where}: {message}" if where else message, severity)


def form(file_text: str, edited: Edited, problems: list[FieldProblem], language: str) -> list[Item]:
    """One item per contact: kind, value, source, date, and its organisation in Russian and in `language`."""
    values = read(file_text) | edited
    items = []
    for contact in _contacts(file_text):
        contact_id = contact["id"]
        title = values.get(_name(contact_id, "organisation", SOURCE_LANGUAGE), "")
        rows = tuple(_rows(contact_id, values, problems, language))
        items.append(Item(contact_id, title, rows, problems=file_forms.at(_name(contact_id), problems)))
    return items


def _rows(contact_id: str, values: Edited, problems: list[FieldProblem], language: str) -> list[Row]:
    def one(field: str, **options: Any) -> tuple[file_forms.Cell, ...]:
        return (file_forms.cell(_name(contact_id, field), values, problems, **options),)

    organisation = tuple(
        file_forms.cell(_name(contact_id, "organisation", lang), values, problems, lang=lang)
        for lang in (SOURCE_LANGUAGE, language)
    )
    return [
        Row(_("Kind"), one("kind", kind="select", choices=KINDS)),
        Row(_("What users see"), one("value")),
        Row(_("Organisation"), organisation),
        Row(_("Source (a public page that states it)"), one("source")),
        Row(_("Last verified on"), one("last_verified_on", kind="date")),
    ]
