"""The whole knowledge files a draft edits besides the topics: contacts.yaml and risk_rules.yaml.

A draft of one of them has the entry's name as its `Draft.topic_id` ("contacts", "risk_rules"; no
topic has either id) and keeps only the cells it changes (`DraftRevision.edited`, {cell name: value})
against the file it started from (`Draft.base_files`). Publishing writes those cells into the file as
it is now (`merged`), so a change to other cells meanwhile (another contact, a translator's
`kb confirm`) is kept. `EntryFile` gives the workflow in services.py the little it needs of each file;
the files' own logic is in contacts_file.py and rules_file.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desk.knowledge_editor import contacts_file, file_forms, files, rules_file
from desk.knowledge_editor.file_forms import Edited
from desk.knowledge_editor.files import FieldProblem

ENTRY_FILES = {"contacts": contacts_file.RELATIVE_PATH, "risk_rules": rules_file.RELATIVE_PATH}
RISK_RULES = "risk_rules"


@dataclass(frozen=True)
class EntryFile:
    """One whole file: where it is, how its cells are read, written and linted, and its form's template."""

    entry: str
    read: Callable[[str], Edited]
    apply: Callable[[str, Edited], str]
    lint: Callable[[str], list[FieldProblem]]
    form: Callable[[str, Edited, list[FieldProblem], str], Any]
    template: str

    @property
    def relative(self) -> str:
        return ENTRY_FILES[self.entry]

    def current(self) -> str:
        return (files.knowledge_dir() / self.relative).read_text(encoding="utf-8")

    def changed(self, base_text: str, edited: Edited) -> Edited:
        """The cells of `edited` whose value is not the one in `base_text`."""
        return file_forms.changed(self.read(base_text), edited)

    def merged(self, base_text: str, now_text: str, edited: Edited) -> tuple[str, list[str]]:
        """`now_text` with the draft's cells written in; and the cells someone changed since `base_text`,
        to another value than the draft's (publishing would undo their change)."""
        base, now = self.read(base_text), self.read(now_text)
        clashes = sorted(name for name, value in edited.items() if now.get(name) not in (base.get(name), value))
        return self.apply(now_text, {name: value for name, value in edited.items() if name in now}), clashes

    def form_context(self, base_text: str, edited: Edited, problems: list[FieldProblem], language: str) -> dict:
        """What the form's template needs: the contacts, or the rules' questions and findings."""
        shown = self.form(base_text, edited, problems, language)
        return {"questions": shown[0], "findings": shown[1]} if self.entry == RISK_RULES else {"items": shown}


KINDS = {
    "contacts": EntryFile(
        "contacts",
        contacts_file.read,
        contacts_file.apply,
        contacts_file.lint,
        contacts_file.form,
        "knowledge_editor/_contacts_form.html",
    ),
    RISK_RULES: EntryFile(
        RISK_RULES,
        rules_file.read,
        rules_file.apply,
        rules_file.lint,
        rules_file.form,
        "knowledge_editor/_rules_form.html",
    ),
}


def cell_language(name: str) -> str:
    """The language of a cell ("contacts.<id>.organisation.<lang>", "<kind>.<id>.text.<lang>.…"), "" if none
    (a contact's value, kind, source and date; a deadline's days)."""
    parts = name.split(".")
    return parts[3] if len(parts) > 3 and parts[2] in ("organisation", "text") else ""
