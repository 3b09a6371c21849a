"""The editor's sections below the texts: a topic's facts (risk level, dates, related topics, sources)
and its example questions. The inputs the page shows, the values a POST carries, and what a draft
changes in them on the review page.

Input names: `risk_level`, `as_of`, `review_by`, `related` (checkboxes), `sources` (how many source
rows the form has, the last one empty for a new source), `source-<row>-<field>` with
`source-<row>-position` and `source-<row>-remove`, and `examples-<lang>` (one question a line).
A form carries facts only with `facts=1` (translators' pages do not: their facts are not theirs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from desk.knowledge_editor import fields
from desk.knowledge_editor.files import FieldProblem

MAX_SOURCES = 200  # a form with more rows is not one this page made
SOURCE_LABELS = {
    "id": _("Id"),
    "kind": _("Kind"),
    "title": _("Title"),
    "note": _("Working note (desk only)"),
    "issuer": _("Issuer"),
    "number": _("Number"),
    "adopted": _("Adopted"),
    "url": _("URL"),
    "path": _("Path (project sources)"),
    "checked_on": _("Checked on"),
}
FACT_LABELS = {"risk_level": _("Risk level"), "as_of": _("As of"), "review_by": _("Review by")}


@dataclass(frozen=True)
class Input:
    name: str  # the form's input name
    path: str  # the field `kb lint` names ("sources.2.url")
    label: Any
    value: str
    kind: str  # text, date, url, select, textarea
    problems: tuple[FieldProblem, ...]
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SourceRow:
    row: int
    inputs: tuple[Input, ...]
    problems: tuple[FieldProblem, ...]  # about the whole source ("sources.2")

    @property
    def position(self) -> int:
        return self.row + 1


def _at(problems: Iterable[FieldProblem], path: str) -> tuple[FieldProblem, ...]:
    return tuple(problem for problem in problems if problem.field == path)


def _kind(field: str) -> str:
    return "date" if field in fields.DATES else "url" if field == "url" else "textarea" if field == "note" else "text"


def fact_inputs(facts: fields.Facts, problems: list[FieldProblem]) -> list[Input]:
    level = Input(
        "risk_level",
        "risk_level",
        FACT_LABELS["risk_level"],
        facts["risk_level"],
        "select",
        _at(problems, "risk_level"),
        tuple((value, value) for value in fields.RISK_LEVELS),
    )
    dates = [
        Input(key, key, FACT_LABELS[key], facts[key], "date", _at(problems, key)) for key in ("as_of", "review_by")
    ]
    return [level, *dates]


def source_rows(facts: fields.Facts, problems: list[FieldProblem]) -> list[SourceRow]:
    """One row per source, in the draft's order, and an empty one for a new source."""
    empty = dict.fromkeys(fields.SOURCE_FIELDS, "")
    rows = []
    for row, source in enumerate([*facts["sources"], empty]):
        inputs = tuple(
            Input(
                f"source-{row}-{field}",
                f"sources.{row}.{field}",
                SOURCE_LABELS[field],
                source[field],
                "select" if field == "kind" else _kind(field),
                _at(problems, f"sources.{row}.{field}"),
                (("", "—"), *((kind, kind) for kind in fields.SOURCE_KINDS)) if field == "kind" else (),
            )
            for field in fields.SOURCE_FIELDS
        )
        rows.append(SourceRow(row, inputs, _at(problems, f"sources.{row}")))
    return rows


def example_input(examples: fields.Examples, problems: list[FieldProblem], lang: str, label: str) -> Input:
    path = f"examples.{lang}"
    return Input(f"examples-{lang}", path, label, "\n".join(examples[lang]), "textarea", _at(problems, path))


def related_choices(facts: fields.Facts, topic_ids: list[str], topic_id: str) -> list[tuple[str, bool]]:
    """(topic id, checked): the related ones first, in their order, then every other topic."""
    others = [other for other in topic_ids if other not in facts["related"] and other != topic_id]
    return [(other, True) for other in facts["related"]] + [(other, False) for other in others]


def posted_facts(post: QueryDict) -> fields.Facts | None:
    """The facts a form carries (None: it carries none)."""
    if post.get("facts") != "1":
        return None
    rows = []
    for row in range(min(_number(post.get("sources"), 0), MAX_SOURCES)):
        prefix = f"source-{row}-"
        values = {field: fields.one_line(post.get(prefix + field, "")) for field in fields.SOURCE_FIELDS}
        if post.get(prefix + "remove") or not any(values.values()):
            continue  # removed, or the empty row for a new source left empty
        rows.append((_number(post.get(prefix + "position"), MAX_SOURCES + 1), row, values))
    return {
        **{key: post.get(key, "").strip() for key in fields.SCALAR_FACTS},
        "related": [topic for topic in dict.fromkeys(post.getlist("related")) if topic],
        "sources": [values for _position, _row, values in sorted(rows, key=lambda item: item[:2])],
    }


def posted_examples(post: QueryDict, languages: Iterable[str]) -> fields.Examples:
    return {lang: fields.question_lines(post[f"examples-{lang}"]) for lang in languages if f"examples-{lang}" in post}


def _number(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default


# ---- the review page ------------------------------------------------------------------------------


def _change(old: str, new: str) -> SafeString:
    return format_html("<del>{}</del> → <ins>{}</ins>", old or "—", new or "—")


def _added_removed(old: list[str], new: list[str]) -> SafeString:
    removed = [format_html("<del>− {}</del>", item) for item in old if item not in new]
    added = [format_html("<ins>+ {}</ins>", item) for item in new if item not in old]
    return format_html_join("\n", "{}", ((line,) for line in removed + added))


def fact_changes(base: fields.Flat, draft: fields.Flat) -> list[tuple[str, SafeString]]:
    """(label, html) for every fact and example language the draft changes: old → new, ids and
    questions added and removed, each source's fields."""
    base_facts, draft_facts = fields.unflatten(base)[1], fields.unflatten(draft)[1]
    before = {source["id"]: source for source in base_facts["sources"]}
    out: list[tuple[str, SafeString]] = []
    for key in fields.SCALAR_FACTS:
        if base[key] != draft[key]:
            out.append((str(FACT_LABELS[key]), _change(base[key], draft[key])))
    if base["related"] != draft["related"]:
        out.append((str(_("Related topics")), _added_removed(base["related"], draft["related"])))
    for row, source in enumerate(draft_facts["sources"]):
        old = before.get(source["id"])
        label = f"{_('Source')} {row + 1} ({source['id']})"
        if old is None:
            lines = [(SOURCE_LABELS[field], source[field]) for field in fields.SOURCE_FIELDS if source[field]]
            out.append((f"{label}: {_('new')}", format_html_join("\n", "{}: <ins>{}</ins>", lines)))
            continue
        for field in fields.SOURCE_FIELDS[1:]:
            if old[field] != source[field]:
                out.append((f"{label}: {SOURCE_LABELS[field]}", _change(old[field], source[field])))
    for source_id in before:
        if source_id not in draft["sources"]:
            out.append((f"{_('Source')} {source_id}", format_html("<del>{}</del>", _("removed"))))
    if [i for i in base["sources"] if i in draft["sources"]] != [i for i in draft["sources"] if i in base["sources"]]:
        out.append((str(_("Order of the sources")), format_html("{}", ", ".join(draft["sources"]))))
    for path in fields.changed_paths(base, draft):
        if path.startswith("examples."):
            lang = path.partition(".")[2]
            out.append((f"{_('Example questions')} ({lang})", _added_removed(base[path], draft[path])))
    return out
