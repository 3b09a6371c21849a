"""knowledge/risk_rules.yaml: the risk check's questions and the rules that turn answers into findings.

Lawyers edit the file; these models check one file (fields, languages, references between its
parts). What needs the knowledge base (topics and sources a finding rests on) and every
combination of answers is checked by bot.risk.check, which `kb lint` runs.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import Field, PrivateAttr, ValidationError, root_validator, validator

from bot.errors import KnowledgeError
from bot.knowledge.loader import YAML_LOADER, KnowledgeBase
from bot.knowledge.schema import (
    FINGERPRINT,
    FINGERPRINT_HELP,
    ID_PATTERN,
    Source,
    Strict,
    every_language,
    unique_ids,
)

RULES_FILE = "risk_rules.yaml"
GIVEN = "given"  # the one value a date answer has in a condition: the person gave a date


class QuestionKind(str, Enum):
    choice = "choice"  # one of `options`
    date = "date"  # a day; "not known" is an option too


class Control(str, Enum):
    """What a person can do at any step of the interview, besides answering."""

    back = "back"  # undo the last answer
    change = "change"  # pick an earlier answer to change
    stop = "stop"  # end the check; answers are erased
    restart = "restart"  # erase the answers and start again


class Level(str, Enum):
    """How likely a legal consequence is in the finding's jurisdiction (docs/risk-check.md, "Levels").

    A note is information, not a risk: nothing in it leads to a legal consequence there by itself
    (a second passport that is no offence, a relative's situation). A jurisdiction with notes only
    gets the level `note`; a note never raises the level of a jurisdiction that has risks.
    """

    note = "note"
    low = "low"
    medium = "medium"
    high = "high"


LEVELS = (Level.note, Level.low, Level.medium, Level.high)  # from the least to the most serious


class Jurisdiction(str, Enum):
    ru = "ru"
    kg = "kg"
    uz = "uz"
    tj = "tj"
    ua = "ua"


Condition = dict[str, list[str]]  # question id -> accepted answers; every question must match
# A mapping is one condition; a list of mappings holds when any one of them holds.
Alternatives = list[Condition]


def _as_alternatives(value: object) -> object:
    return [value] if isinstance(value, dict) else value


class QuestionText(Strict):
    question: str = Field(..., min_length=3, max_length=300)
    options: dict[str, str] = Field(default_factory=dict, description="button label of each option")
    # Other words people type for an option ("кыргыз", "kg"); labels count already.
    aliases: dict[str, list[str]] = Field(default_factory=dict)
    source_fingerprint: str | None = Field(None, regex=FINGERPRINT, description=FINGERPRINT_HELP)


class ControlText(Strict):
    label: str = Field(..., min_length=1, max_length=40, description="button title")
    aliases: list[str] = Field(default_factory=list, description="words a person types for it")


class Question(Strict):
    id: str = Field(..., regex=ID_PATTERN)
    kind: QuestionKind
    options: list[str] = Field(default_factory=list, description="answer values (choice); date: extra values")
    # A typed number that falls in a range answers with that option (an age typed as "25").
    ranges: dict[str, tuple[int, int]] = Field(default_factory=dict)
    ask_if: Alternatives = Field(default_factory=list, description="asked only when one of these holds")
    ask_unless: Alternatives = Field(default_factory=list, description="not asked when one of these holds")
    text: dict[str, QuestionText]

    _languages = validator("text", allow_reuse=True)(lambda v: every_language(v, "text"))
    _alternatives = validator("ask_if", "ask_unless", pre=True, allow_reuse=True)(_as_alternatives)

    @root_validator(skip_on_failure=True)
    def _labels_for_every_option(cls, values: dict) -> dict:
        if values["kind"] is QuestionKind.choice and len(values["options"]) < 2:
            raise ValueError("a choice question needs at least two options")
        if set(values["ranges"]) - set(values["options"]):
            raise ValueError("ranges must name options")
        for lang, text in values["text"].items():
            missing = set(values["options"]) - set(text.options)
            extra = (set(text.options) | set(text.aliases)) - set(values["options"])
            if missing or extra:
                raise ValueError(
                    f"text.{lang}.options must label exactly the options "
                    f"(missing: {sorted(missing)}, unknown: {sorted(extra)})"
                )
        return values

    def values(self) -> list[str]:
        """Every answer this question can have, as conditions see it."""
        return ([GIVEN] if self.kind is QuestionKind.date else []) + self.options


class Deadline(Strict):
    id: str = Field(..., regex=ID_PATTERN)
    after: str = Field(..., description="a date question")
    days: int = Field(..., ge=0, le=3650)
    # True: the person must act by this date, and within 48 hours it makes the card urgent.
    # False: a date to know (e.g. when a summons counts as delivered).
    act_by: bool = True


class FindingText(Strict):
    title: str = Field(..., min_length=3, max_length=100)
    says: str = Field(..., min_length=10, max_length=400, description="one or two plain sentences")
    steps: list[str] = Field(..., min_items=1, description="what to do, in order")
    deadlines: dict[str, str] = Field(default_factory=dict, description="label of each deadline: {date} is filled in")
    source_fingerprint: str | None = Field(None, regex=FINGERPRINT, description=FINGERPRINT_HELP)


class Finding(Strict):
    id: str = Field(..., regex=ID_PATTERN)
    jurisdiction: Jurisdiction
    risk: Level
    urgent: bool = Field(False, description="put human help and the rights-when-detained advice first")
    when: Alternatives = Field(default_factory=list, description="one must hold (none listed: always)")
    unless: Alternatives = Field(default_factory=list, description="none may hold")
    conflicts_with: list[str] = Field(default_factory=list, description="findings that must never come together")
    topics: list[str] = Field(..., min_items=1, description="knowledge-base topics it rests on")
    sources: list[str] = Field(..., min_items=1, description="<topic id>/<source id> in the knowledge base")
    deadlines: list[Deadline] = Field(default_factory=list)
    text: dict[str, FindingText]

    _languages = validator("text", allow_reuse=True)(lambda v: every_language(v, "text"))
    _unique_deadlines = validator("deadlines", allow_reuse=True)(lambda v: unique_ids(v, "deadline"))
    _alternatives = validator("when", "unless", pre=True, allow_reuse=True)(_as_alternatives)

    @root_validator(skip_on_failure=True)
    def _deadline_labels(cls, values: dict) -> dict:
        ids = {deadline.id for deadline in values["deadlines"]}
        for lang, text in values["text"].items():
            if set(text.deadlines) != ids:
                raise ValueError(f"text.{lang}.deadlines must label exactly the deadlines {sorted(ids)}")
        return values


class RiskRules(Strict):
    """The whole file."""

    as_of: dt.date
    review_by: dt.date
    reviewed_by: str = Field(..., min_length=3)
    jurisdictions: dict[Jurisdiction, dict[str, str]] = Field(..., description="names in every language")
    # What the card writes after a jurisdiction's name when all its findings there are notes.
    note_label: dict[str, str] = Field(..., description="e.g. «для сведения», in every language")
    controls: dict[Control, dict[str, ControlText]] = Field(..., description="back, change, stop, restart")
    questions: list[Question] = Field(..., min_items=1)
    findings: list[Finding] = Field(..., min_items=1)

    _by_id: dict[str, Question] = PrivateAttr(default_factory=dict)

    _unique_questions = validator("questions", allow_reuse=True)(lambda v: unique_ids(v, "question"))
    _unique_findings = validator("findings", allow_reuse=True)(lambda v: unique_ids(v, "finding"))

    _every_jurisdiction = validator("jurisdictions", allow_reuse=True)(lambda v: _complete(v, Jurisdiction, "names"))
    _every_control = validator("controls", allow_reuse=True)(lambda v: _complete(v, Control, "texts"))
    _note_label = validator("note_label", allow_reuse=True)(lambda v: every_language(v, "note_label"))

    @root_validator(skip_on_failure=True)
    def _references(cls, values: dict) -> dict:
        """Conditions name earlier questions and their answers; deadlines name date questions."""
        questions: dict[str, Question] = {}
        for question in values["questions"]:
            for name, alternatives in (("ask_if", question.ask_if), ("ask_unless", question.ask_unless)):
                _check_alternatives(alternatives, questions, f"question {question.id}: {name}")
            questions[question.id] = question
        finding_ids = {finding.id for finding in values["findings"]}
        for finding in values["findings"]:
            for name, alternatives in (("when", finding.when), ("unless", finding.unless)):
                _check_alternatives(alternatives, questions, f"finding {finding.id}: {name}")
            for deadline in finding.deadlines:
                asked = questions.get(deadline.after)
                if asked is None or asked.kind is not QuestionKind.date:
                    raise ValueError(
                        f"finding {finding.id}: deadline {deadline.id} must follow a date question, "
                        f"not {deadline.after!r}"
                    )
            unknown = set(finding.conflicts_with) - finding_ids
            if unknown:
                raise ValueError(f"finding {finding.id}: conflicts_with names unknown findings {sorted(unknown)}")
        return values

    def question(self, question_id: str) -> Question:
        if not self._by_id:
            self._by_id.update((q.id, q) for q in self.questions)
        return self._by_id[question_id]


def _complete(value: dict, keys: type[Enum], what: str) -> dict:
    """Every member of the enum `keys` is present, each in every language."""
    missing = set(keys) - set(value)
    if missing:
        raise ValueError(f"{what} missing for {sorted(key.value for key in missing)}")
    for texts in value.values():
        every_language(texts, what)
    return value


def _check_alternatives(alternatives: Alternatives, known: dict[str, Question], where: str) -> None:
    for condition in alternatives:
        if not condition:
            raise ValueError(f"{where}: an empty condition")
        for question_id, accepted in condition.items():
            if question_id not in known:
                raise ValueError(f"{where}: {question_id!r} is not a question asked before it")
            unknown = set(accepted) - set(known[question_id].values())
            if unknown or not accepted:
                raise ValueError(f"{where}: {question_id} has no answer(s) {sorted(unknown) or '(empty list)'}")


def cited_sources(kb: KnowledgeBase, references: list[str]) -> list[Source]:
    """The knowledge-base sources named `<topic id>/<source id>` (kb lint checks they exist)."""
    cited = []
    for reference in references:
        topic_id, _, source_id = reference.partition("/")
        cited += [source for source in kb.topic(topic_id).sources if source.id == source_id]
    return cited


def read_rules(path: Path) -> RiskRules:
    """Read and validate the rules file, or raise KnowledgeError naming each problem."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        return RiskRules(**data)
    except (OSError, yaml.YAMLError, TypeError) as error:
        raise KnowledgeError(f"{path.name}: cannot read: {error}") from error
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise KnowledgeError(f"{path.name}: {problems}") from error


@lru_cache(maxsize=4)
def load_rules(knowledge_dir: Path) -> RiskRules:
    return read_rules(knowledge_dir / RULES_FILE)
