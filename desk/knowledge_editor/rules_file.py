"""knowledge/risk_rules.yaml in the editor: the texts of each question and finding and each deadline's
days as form cells, the file with a form's values written in, `kb lint`'s messages at those cells,
and the rules' diagram drawn for a draft.

Cells are named by where the value is, with ids for list positions:
"questions.<id>.text.<lang>.question", "….options.<option>", "….aliases.<option>" (the words
separated by commas), "findings.<id>.text.<lang>.title", "….says", "….steps" (one step a line),
"….deadlines.<deadline>", and "findings.<id>.deadlines.<deadline>.days". Conditions (ask_if, when,
unless…) are not editable: the form shows them as the file writes them, and the diagram draws them.

The file is rewritten by ruamel's round trip (bot.knowledge.parity), so every line whose value did
not change stays byte-identical. A changed Russian text makes that item's translations stale
(their fingerprints, bot.risk.translations): `russian_changes` says which.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _
from pydantic import ValidationError

from bot.knowledge.loader import YAML_LOADER
from bot.knowledge.parity import SOURCE_LANGUAGE, dump, like, round_trip
from bot.language.codes import LANGUAGES
from bot.risk.diagram import to_dot
from bot.risk.rules import RULES_FILE, RiskRules
from desk.knowledge_editor import file_forms, files
from desk.knowledge_editor.file_forms import Edited, Item, Row
from desk.knowledge_editor.files import FieldProblem

RELATIVE_PATH = RULES_FILE  # in the knowledge folder
KINDS = ("questions", "findings")
READONLY = {  # what the form shows of each item but does not edit
    "questions": ("kind", "options", "ranges", "ask_if", "ask_unless"),
    "findings": ("jurisdiction", "risk", "urgent", "when", "unless", "conflicts_with", "topics", "sources"),
}
_NUMBER = re.compile(r"-?\d+")


def _items(data: Any, kind: str) -> list[dict[str, Any]]:
    items = data.get(kind) if isinstance(data, dict) else None
    return [item for item in items or [] if isinstance(item, dict) and "id" in item]


def _plain(file_text: str) -> Any:
    return yaml.load(file_text, Loader=YAML_LOADER)


def _question_cells(question: dict[str, Any]) -> dict[str, str]:
    values: Edited = {}
    for lang, text in (question.get("text") or {}).items():
        where = f"questions.{question['id']}.text.{lang}"
        values[f"{where}.question"] = _text(text.get("question"))
        for option, label in (text.get("options") or {}).items():
            values[f"{where}.options.{option}"] = _text(label)
        if "aliases" in text:  # a language that has none gets no cells (the file would need a new mapping)
            for option in question.get("options") or []:
                values[f"{where}.aliases.{option}"] = ", ".join(text["aliases"].get(option) or [])
    return values


def _finding_cells(finding: dict[str, Any]) -> dict[str, str]:
    where = f"findings.{finding['id']}"
    values = {f"{where}.deadlines.{d['id']}.days": str(d.get("days", "")) for d in finding.get("deadlines") or []}
    for lang, text in (finding.get("text") or {}).items():
        values[f"{where}.text.{lang}.title"] = _text(text.get("title"))
        values[f"{where}.text.{lang}.says"] = _text(text.get("says"))
        values[f"{where}.text.{lang}.steps"] = "\n".join(_text(step) for step in text.get("steps") or [])
        for deadline, label in (text.get("deadlines") or {}).items():
            values[f"{where}.text.{lang}.deadlines.{deadline}"] = _text(label)
    return values


def _text(value: object) -> str:
    return "" if value is None else files.clean(str(value))


def read(file_text: str) -> Edited:
    """Every editable value of every question and finding, in every language, by cell name."""
    data = _plain(file_text)
    values: Edited = {}
    for question in _items(data, "questions"):
        values |= _question_cells(question)
    for finding in _items(data, "findings"):
        values |= _finding_cells(finding)
    return values


def parse(post_data: Any, file_text: str) -> Edited:
    """The rules' values a form posted (only names the file has)."""
    return file_forms.parse(post_data, read(file_text))


def changed_fields(file_text: str, edited: Edited) -> list[str]:
    """The cells a draft changes, for the log and the commit message."""
    return sorted(file_forms.changed(read(file_text), edited))


def russian_changes(file_text: str, edited: Edited) -> list[str]:
    """The Russian cells a draft changes: the translations of their questions and findings become stale."""
    return [name for name in changed_fields(file_text, edited) if f".text.{SOURCE_LANGUAGE}." in name]


def apply(file_text: str, edited: Edited) -> str:
    """risk_rules.yaml with the edited values written in; lines of values not changed stay as they were."""
    yaml_writer, data = round_trip(Path(RELATIVE_PATH), file_text)
    items = {kind: {item["id"]: item for item in data[kind]} for kind in KINDS}
    for name, value in file_forms.changed(read(file_text), edited).items():
        kind, item_id, *where = name.split(".")
        item = items[kind][item_id]
        if where[0] == "deadlines":  # deadlines.<id>.days
            deadline = next(d for d in item["deadlines"] if d["id"] == where[1])
            deadline["days"] = int(value) if _NUMBER.fullmatch(value) else value  # not a number: lint says so
        else:
            _write_text(item["text"][where[1]], where[2:], value)
    return dump(yaml_writer, data)


def _write_text(block: Any, where: list[str], value: str) -> None:
    """One text of a language's block: a string, a label in a mapping, or a list (steps, aliases)."""
    field = where[0]
    if field == "steps":
        _replace_list(block[field], [line.strip() for line in value.split("\n") if line.strip()])
    elif field == "aliases":
        words = [word.strip() for word in value.split(",") if word.strip()]
        if where[1] in block[field]:
            _replace_list(block[field][where[1]], words)
        else:
            block[field][where[1]] = words
    elif len(where) == 2:  # options.<option>, deadlines.<deadline>
        block[field][where[1]] = like(block[field].get(where[1]), value)
    else:
        block[field] = like(block.get(field), value)


def _replace_list(sequence: Any, values: list[str]) -> None:
    """The list's items become `values`, written as its first item was (so quoting and layout stay)."""
    model = sequence[0] if sequence else None
    del sequence[len(values) :]
    for index, value in enumerate(values):
        if index < len(sequence):
            if sequence[index] != value:
                sequence[index] = like(sequence[index], value)
        else:
            sequence.append(like(model, value))


def lint(new_text: str, today: dt.date | None = None) -> list[FieldProblem]:
    """`kb lint` with this rules file in the knowledge folder, the exhaustive check included (seconds):
    its problems, each at its cell, item or (when it is about the whole file) nowhere."""
    data = _plain(new_text)
    known = set(read(new_text))
    for kind in KINDS:
        for item in _items(data, kind):
            known.add(f"{kind}.{item['id']}")
            known |= {f"{kind}.{item['id']}.text.{lang}" for lang in LANGUAGES}
    return [_placed(problem, data, known) for problem in files.lint_file(RELATIVE_PATH, new_text, today, rules=True)]


def _placed(problem: Any, data: Any, known: set[str]) -> FieldProblem:
    parts = re.sub(r"\[([^\]]+)\]", r".\1", problem.field).split(".")  # the glossary check writes findings[id]
    if len(parts) >= 2 and parts[0] in KINDS and parts[1].isdigit():  # the schema names an item by its place
        items = _items(data, parts[0])
        if int(parts[1]) < len(items):
            item = items[int(parts[1])]
            parts[1] = item["id"]
            if len(parts) >= 4 and parts[2] == "deadlines" and parts[3].isdigit():
                deadlines = item.get("deadlines") or []
                parts[3] = deadlines[int(parts[3])].get("id", parts[3]) if int(parts[3]) < len(deadlines) else parts[3]
    name = file_forms.nearest(".".join(parts), known)
    stale = len(parts) == 4 and parts[2] == "text" and name == ".".join(parts)  # check_parity: <kind>.<id>.text.<lang>
    message = problem.message if name else f"{problem.field}: {problem.message}" if problem.field else problem.message
    return FieldProblem(name, message, problem.severity, stale=stale)


def diagram_svg(rules_text: str, language: str = SOURCE_LANGUAGE) -> bytes:
    """The rules' diagram (bot.risk.diagram) as SVG, drawn by Graphviz from a draft's text;
    ValueError when the text is not valid rules (lint says where)."""
    try:
        rules = RiskRules(**_plain(rules_text))
    except (TypeError, yaml.YAMLError, ValidationError) as error:
        raise ValueError(f"{RELATIVE_PATH}: not valid rules: {error}") from error
    dot = shutil.which("dot")
    if dot is None:
        raise RuntimeError("Graphviz is not installed (`dot` not found)")
    drawn = subprocess.run(  # noqa: S603 (dot's path, fixed arguments; the draft goes in on stdin)
        [dot, "-Tsvg"], input=to_dot(rules, language).encode("utf-8"), capture_output=True, check=True, timeout=60
    )
    return drawn.stdout


def form(file_text: str, edited: Edited, problems: list[FieldProblem], language: str) -> tuple[list[Item], list[Item]]:
    """The questions and the findings, each with its texts in Russian and in `language`, side by side."""
    data = _plain(file_text)
    values = read(file_text) | edited
    questions = [
        _item("questions", q, _question_rows(q, values, problems, language), problems, values, language)
        for q in _items(data, "questions")
    ]
    findings = [
        _item("findings", f, _finding_rows(f, values, problems, language), problems, values, language)
        for f in _items(data, "findings")
    ]
    return questions, findings


def _item(
    kind: str, item: dict[str, Any], rows: list[Row], problems: list[FieldProblem], values: Edited, language: str
) -> Item:
    where = f"{kind}.{item['id']}"
    title = values.get(f"{where}.text.{SOURCE_LANGUAGE}.{'question' if kind == 'questions' else 'title'}", "")
    shown = [(key, item[key]) for key in READONLY[kind] if item.get(key) not in (None, [], {})]
    readonly = "\n".join(f"{key}: {_flow(value)}" for key, value in shown)
    mine = [p for p in problems if p.field in (where, f"{where}.text.{SOURCE_LANGUAGE}", f"{where}.text.{language}")]
    return Item(item["id"], title, tuple(rows), readonly=readonly.strip(), problems=tuple(mine))


def _flow(value: object) -> str:
    """A value on one line, as the file writes conditions: {question: [answer, …]}."""
    return (
        yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
        .strip()
        .removesuffix("...")
        .strip()
    )


def _pair(
    where: str, field: str, values: Edited, problems: list[FieldProblem], language: str, kind: str = "text"
) -> tuple[file_forms.Cell, ...]:
    """The Russian cell and the translation's cell of one text."""
    return tuple(
        file_forms.cell(f"{where}.text.{lang}.{field}", values, problems, lang=lang, kind=kind)
        for lang in (SOURCE_LANGUAGE, language)
    )


def _question_rows(question: dict[str, Any], values: Edited, problems: list[FieldProblem], language: str) -> list[Row]:
    where = f"questions.{question['id']}"
    rows = [Row(_("Question"), _pair(where, "question", values, problems, language, "textarea"))]
    for option in question.get("options") or []:
        rows.append(
            Row(
                _("Button «%(option)s»") % {"option": option},
                _pair(where, f"options.{option}", values, problems, language),
            )
        )
        if f"{where}.text.{SOURCE_LANGUAGE}.aliases.{option}" in values:
            label = _("Other words for «%(option)s» (separated by commas)") % {"option": option}
            rows.append(Row(label, _pair(where, f"aliases.{option}", values, problems, language)))
    return rows


def _finding_rows(finding: dict[str, Any], values: Edited, problems: list[FieldProblem], language: str) -> list[Row]:
    where = f"findings.{finding['id']}"
    rows = [
        Row(_("Title"), _pair(where, "title", values, problems, language)),
        Row(_("What it says"), _pair(where, "says", values, problems, language, "textarea")),
        Row(_("Steps (one a line)"), _pair(where, "steps", values, problems, language, "textarea")),
    ]
    for deadline in finding.get("deadlines") or []:
        days = f"{where}.deadlines.{deadline['id']}.days"
        label = _("Deadline «%(deadline)s»: days after %(after)s") % {
            "deadline": deadline["id"],
            "after": deadline.get("after"),
        }
        rows.append(Row(label, (file_forms.cell(days, values, problems, kind="number"),)))
        label = _("Deadline «%(deadline)s»: what the card says ({date} is filled in)") % {"deadline": deadline["id"]}
        rows.append(Row(label, _pair(where, f"deadlines.{deadline['id']}", values, problems, language)))
    return rows
