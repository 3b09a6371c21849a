"""What the forms of a whole knowledge file (contacts, risk rules) are made of: cells a template renders,
the values a form posts, and `kb lint`'s problems placed at the cell they are about.

A cell is named by where its value is in the file, with ids in place of list positions
("contacts.mfa_kg.value", "findings.ru_detained.text.ru.title"), so a name says what it edits
and a problem's place in the file leads to its cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from desk.knowledge_editor.files import FieldProblem, clean

Edited = dict[str, str]  # cell name -> the value a form holds


@dataclass(frozen=True)
class Cell:
    """One input: its name, the language it is in ("" when none), what it holds and what lint says of it."""

    name: str
    value: str
    lang: str = ""
    kind: str = "text"  # text, textarea, number, date or select
    choices: tuple[str, ...] = ()  # a select's options
    problems: tuple[FieldProblem, ...] = ()


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]  # the Russian cell and the translation's, or one cell with no language


@dataclass(frozen=True)
class Item:
    """One contact, question or finding: its rows, what is shown but not edited, and its own problems."""

    id: str
    title: str
    rows: tuple[Row, ...]
    readonly: str = ""  # conditions, as the file writes them
    problems: tuple[FieldProblem, ...] = field(default=())


def parse(post_data: Mapping[str, str], names: Iterable[str]) -> Edited:
    """The values a form posted for the cells `names` (anything else posted is ignored), as the files keep them."""
    return {name: clean(post_data[name]) for name in names if name in post_data}


def changed(current: Edited, edited: Edited) -> Edited:
    """The cells whose edited value differs from the file's; KeyError names a cell the file does not have."""
    unknown = sorted(set(edited) - set(current))
    if unknown:
        raise KeyError(f"not fields of this file: {', '.join(unknown)}")
    return {name: clean(value) for name, value in edited.items() if clean(value) != current[name]}


def nearest(name: str, known: set[str]) -> str:
    """`name` if a cell or item has it, else the nearest enclosing one ("" for the whole file)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name


def cell(name: str, values: Edited, problems: list[FieldProblem], **options: object) -> Cell:
    """The cell `name` holding its value in `values`, with the problems at it."""
    return Cell(name=name, value=values.get(name, ""), problems=at(name, problems), **options)  # type: ignore[arg-type]


def at(name: str, problems: list[FieldProblem]) -> tuple[FieldProblem, ...]:
    """The problems at the cell or item `name`."""
    return tuple(problem for problem in problems if problem.field == name)
